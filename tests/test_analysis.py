"""The gap engine on the mini graph, where every right answer is known:

- facet-b is the only harm no intervention addresses (facet-a is covered through narrow-a);
- intervention I addresses narrow-a with an evaluation (high, supports) and an opinion
  (low, disputes): a contested link, primary evidence but no review (unsynthesised);
- gap g1 is a research need stated by src-1 about facet-b (severity 5).
"""

from __future__ import annotations

import pytest

from conftest import MINI
from harmgraph import load_graph
from harmgraph.analysis.gaps import find_gaps
from harmgraph.analysis.matrix import build_matrix, parse_filters
from harmgraph.analysis.network import build_network, centrality, ego_network, find_paths
from harmgraph.analysis.priorities import parse_weights, rank_priorities
from harmgraph.errors import UnknownEntity, UsageError

# One test process runs this module, so its mini and bundled graphs are loaded and analysed once.
pytestmark = pytest.mark.xdist_group("analysis")

ID = "https://w3id.org/harmgraph/id/"
HG = "https://w3id.org/harmgraph/ontology#"


@pytest.fixture(scope="module")
def mini():
    return load_graph([MINI])


def by_kind(gaps, kind):
    return sorted(
        (g["subject"].removeprefix(ID), g["object"].removeprefix(ID))
        for g in gaps
        if g["kind"] == kind
    )


def test_every_gap_kind_on_the_mini_graph(mini):
    gaps = find_gaps(mini)
    assert by_kind(gaps, "no-intervention") == [("harm/facet-b", "")]
    assert by_kind(gaps, "unevaluated-intervention") == []
    assert by_kind(gaps, "unsynthesised") == [("intervention/int-i", "")]
    assert by_kind(gaps, "weak-evidence") == []
    assert by_kind(gaps, "contested") == [("intervention/int-i", "harm/narrow-a")]
    assert by_kind(gaps, "research-need") == [("gap/g1", "")]
    need = next(g for g in gaps if g["kind"] == "research-need")
    assert need["source"] == ID + "source/src-1" and need["concerns"] == [ID + "harm/facet-b"]
    contested = next(g for g in gaps if g["kind"] == "contested")
    assert "1 supporting, 0 mixed and 1 disputing" in contested["explanation"]
    assert contested["evidence_gap"] == "synthesis"


def test_weak_and_unevaluated_when_evidence_is_thin(mini_with):
    extra = """
intervention:int-j
    a hg:Intervention, skos:Concept ; skos:prefLabel "intervention J"@en ;
    skos:definition "Only described in a report."@en ; skos:inScheme scheme:intervention ;
    skos:broader intervention:type-t ; hg:lifecycleStage hg:StageLawPolicy ;
    hg:preventionLevel hg:PrimaryPrevention .
claim:j1 a hg:Claim ; rdf:subject intervention:int-j ; rdf:predicate hg:addresses ;
    rdf:object harm:facet-b ;
    hg:citation [ a hg:Citation ; hg:source source:src-2 ; hg:locator "p. 9" ] ;
    hg:evidenceKind hg:LegalText ; hg:direction hg:Supports ; hg:confidence hg:ModerateConfidence ;
    hg:confidenceRationale "The law names this aim."@en ; dcterms:created "2026-11-24"^^xsd:date .
"""
    gaps = find_gaps(load_graph([mini_with(extra)]))
    assert by_kind(gaps, "unevaluated-intervention") == [("intervention/int-j", "")]
    assert by_kind(gaps, "weak-evidence") == [("intervention/int-j", "harm/facet-b")]
    assert by_kind(gaps, "no-intervention") == []
    weak = next(g for g in gaps if g["kind"] == "weak-evidence")
    assert "a single source" in weak["explanation"] and weak["evidence_gap"] == "absolute"


def test_a_link_backed_only_by_low_confidence_claims_from_two_sources_is_weak(mini_with):
    """Two sources, so not weak for a single source: weak only because every backing claim is
    low-confidence (confidence rank 1). Catches `c.confidence <= 1` turned into `< 1`."""
    claims = "".join(
        f"""
claim:j{n} a hg:Claim ; rdf:subject intervention:int-j ; rdf:predicate hg:addresses ;
    rdf:object harm:facet-b ;
    hg:citation [ a hg:Citation ; hg:source source:{source} ; hg:locator "p. {n}" ] ;
    hg:evidenceKind hg:EvaluationTrial ; hg:direction hg:Supports ;
    hg:confidence hg:LowConfidence ;
    hg:confidenceRationale "A small uncontrolled pilot."@en ;
    dcterms:created "2026-11-24"^^xsd:date .
"""
        for n, source in ((1, "src-1"), (2, "src-2"))
    )
    extra = (
        """
intervention:int-j
    a hg:Intervention, skos:Concept ; skos:prefLabel "intervention J"@en ;
    skos:definition "Piloted twice."@en ; skos:inScheme scheme:intervention ;
    skos:broader intervention:type-t ; hg:lifecycleStage hg:StageLawPolicy ;
    hg:preventionLevel hg:PrimaryPrevention .
"""
        + claims
    )
    gaps = find_gaps(load_graph([mini_with(extra)]))
    assert by_kind(gaps, "weak-evidence") == [("intervention/int-j", "harm/facet-b")]
    weak = next(g for g in gaps if g["kind"] == "weak-evidence")
    assert "only low-confidence claims" in weak["explanation"]
    assert "2 claim(s) from 2 source(s)" in weak["explanation"]
    # One moderate claim among them, and the link is no longer weak.
    moderate = extra.replace("hg:LowConfidence", "hg:ModerateConfidence", 1)
    assert by_kind(find_gaps(load_graph([mini_with(moderate)])), "weak-evidence") == []


def test_unknown_gap_kind_is_refused(mini):
    with pytest.raises(UsageError):
        find_gaps(mini, ["no-such-kind"])


def cell(matrix, row, col):
    return matrix.cell(ID + row, ID + col).as_dict()


def test_matrix_rolls_up_the_hierarchy(mini):
    m = build_matrix(mini, "intervention", "harm")
    assert [label for _, label in m.rows] == ["intervention I"]
    # Harm columns come grouped under their facet, the facet first: narrow A after facet A.
    assert [label for _, label in m.cols] == ["facet A", "narrow A", "facet B"]
    narrow = cell(m, "intervention/int-i", "harm/narrow-a")
    assert (narrow["claims"], narrow["sources"], narrow["rolled_up"]) == (2, 2, 0)
    assert narrow["strongest_confidence"] == "high"
    assert (narrow["supports"], narrow["disputes"]) == (1, 1)
    assert narrow["evidence_kinds"] == {"EvaluationTrial": 1, "ExpertOpinion": 1}
    broad = cell(m, "intervention/int-i", "harm/facet-a")
    assert (broad["claims"], broad["rolled_up"]) == (2, 2)
    assert cell(m, "intervention/int-i", "harm/facet-b")["claims"] == 0


def test_matrix_by_type_and_facet(mini):
    m = build_matrix(mini, "intervention-type", "harm-facet")
    assert [label for _, label in m.cols] == ["facet A", "facet B"]
    assert cell(m, "intervention/type-t", "harm/facet-a")["claims"] == 2
    stage = build_matrix(mini, "stage", "harm-facet")
    assert [label for _, label in stage.rows] == ["distribution and platforms"]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (["evidence-kind=EvaluationTrial"], 1),
        (["year=2024"], 1),
        (["year=2020-2023"], 1),
        (["year=2010-2012"], 0),
        (["jurisdiction=GB"], 2),
        (["jurisdiction=US"], 0),
        (["actor=actor-p"], 2),
        (["actor=nobody"], 0),
        (["stage=StageDistributionPlatform"], 2),
        (["stage=StageLawPolicy"], 0),
        (["prevention-level=secondary"], 2),
        (["prevention-level=primary"], 0),
    ],
)
def test_matrix_filters(mini, filters, expected):
    m = build_matrix(mini, "intervention", "harm", parse_filters(filters))
    assert cell(m, "intervention/int-i", "harm/facet-a")["claims"] == expected


def test_bad_filter_is_refused():
    with pytest.raises(UsageError):
        parse_filters(["colour=red"])


def _order(ranked: list[dict]) -> list[tuple[str, str]]:
    return [(r["kind"], r["subject"].removeprefix(ID)) for r in ranked]


def test_priorities_are_a_transparent_weighted_sum(mini):
    """Worked out by hand from mini.ttl with the default weights (severity 3, reach 1,
    enablers 1, weakness 2, stated 1.5): facet B is rated 5 and named by the stated gap g1;
    narrow A is enabled by technology X (the only enabler, so enablers = 1); no harm has an
    affects claim (reach 0); int-i's link has a high-confidence supporting claim (weakness 0).

    - no-intervention facet-b: 3 x 1 + 2 x 1 + 1.5 x 1 = 6.5
    - research-need g1: the same criteria, 6.5
    - contested int-i/narrow-a and unsynthesised int-i: enablers 1 x 1 = 1.0
    Ties are broken by kind, so the order is no-intervention, research-need, contested,
    unsynthesised."""
    ranked = rank_priorities(mini)
    assert _order(ranked) == [
        ("no-intervention", "harm/facet-b"),
        ("research-need", "gap/g1"),
        ("contested", "intervention/int-i"),
        ("unsynthesised", "intervention/int-i"),
    ]
    assert [r["score"] for r in ranked] == [6.5, 6.5, 1.0, 1.0]
    assert ranked[0]["contributions"] == {
        "severity": 3.0,
        "reach": 0.0,
        "enablers": 0.0,
        "weakness": 2.0,
        "stated": 1.5,
    }
    assert ranked[2]["contributions"] == {
        "severity": 0.0,
        "reach": 0.0,
        "enablers": 1.0,
        "weakness": 0.0,
        "stated": 0.0,
    }
    assert ranked[0]["severity_source"] == ID + "source/src-1"


# Weights under which all four mini gaps tie at 1.5 (facet B: 1 x 1 + 0.5 x 1; int-i's gaps:
# 1.5 x 1), so the tie-break (kind) orders them and any move of a weight reorders them.
TIED = {"severity": 1.0, "reach": 0.0, "enablers": 1.5, "weakness": 0.5, "stated": 0.0}


def test_weights_change_the_ranking(mini):
    default = _order(rank_priorities(mini))
    tied = _order(rank_priorities(mini, TIED))
    assert tied == [
        ("contested", "intervention/int-i"),
        ("no-intervention", "harm/facet-b"),
        ("research-need", "gap/g1"),
        ("unsynthesised", "intervention/int-i"),
    ]
    assert tied != default


def test_sensitivity_reports_each_ranks_range(mini):
    """By hand: severity x0.5, enablers x1.5 or weakness x0.5 put int-i's gaps first (ranks
    contested 1, unsynthesised 2, no-intervention 3, research-need 4); severity x1.5,
    enablers x0.5 or weakness x1.5 put facet B's first (1, 2, 3, 4 the other way); reach and
    stated are 0 and stay 0. So every gap moves over two places: none is stable (the margin
    for four gaps is one place)."""
    ranges = {
        (r["kind"], r["subject"].removeprefix(ID)): (
            r["rank"],
            r["rank_min"],
            r["rank_max"],
            r["stable"],
        )
        for r in rank_priorities(mini, TIED, with_sensitivity=True)
    }
    assert ranges == {
        ("contested", "intervention/int-i"): (1, 1, 3, False),
        ("no-intervention", "harm/facet-b"): (2, 1, 3, False),
        ("research-need", "gap/g1"): (3, 2, 4, False),
        ("unsynthesised", "intervention/int-i"): (4, 2, 4, False),
    }


def test_bad_weights_are_refused():
    for bad in (["severity"], ["severity=-1"], ["colour=2"], ["severity=abc"]):
        with pytest.raises(UsageError):
            parse_weights(bad)


def test_network_paths_and_ego(mini):
    network = build_network(mini)
    assert network.nodes[ID + "harm/narrow-a"]["kind"] == "harm"
    edge = network.get_edge_data(ID + "intervention/int-i", ID + "harm/narrow-a")["addresses"]
    assert sorted(c["claim"].removeprefix(ID) for c in edge["claims"]) == ["claim/c2", "claim/c3"]
    paths = find_paths(mini, "technology/tech-x", "actor/actor-p")
    assert [(s["from_label"], s["relation"], s["to_label"]) for s in paths[0]] == [
        ("technology X", "enables", "narrow A"),
        ("intervention I", "addresses", "narrow A"),
        ("intervention I", "implementedBy", "actor P"),
    ]
    ego = ego_network(mini, "intervention I", depth=1)
    assert {n["label"] for n in ego["nodes"]} == {"intervention I", "narrow A", "actor P"}
    capped = ego_network(mini, "intervention I", depth=2, limit=2)
    assert len(capped["nodes"]) == 2 and capped["cut"] == 2
    with pytest.raises(UnknownEntity):
        ego_network(mini, "no such thing")


def test_centrality_finds_single_points_of_failure(mini):
    result = centrality(mini)
    sources = {r["label"]: r for r in result["sources_by_claims"]}
    assert sources["A test report with a URL"]["count"] == 3
    assert sources["A test report with a URL"]["sole_source_links"] == 2
    assert result["interventions_by_coverage"][0]["label"] == "intervention I"


# --- Readable by a funder (issue 19): columns by facet, gaps in parts, strongest first ---


@pytest.fixture(scope="module")
def bundled():
    return load_graph()


def test_harm_columns_are_grouped_under_their_facet(bundled):
    """Each facet is followed by its own narrower harms, facets in the order of the facet view;
    read with rdflib, not with harmgraph's hierarchy."""
    import rdflib

    from conftest import ROOT

    kb = rdflib.Graph()
    for path in sorted((ROOT / "graph" / "kb").glob("*.ttl")):
        kb.parse(path, format="turtle")
    skos = rdflib.SKOS
    harms = {str(h) for h in kb.subjects(rdflib.RDF.type, rdflib.URIRef(HG + "Harm"))}
    top = {h for h in harms if (rdflib.URIRef(h), skos.broader, None) not in kb}

    def facet(harm: str) -> str:
        while harm not in top:
            harm = str(kb.value(rdflib.URIRef(harm), skos.broader))
        return harm

    cols = [iri for iri, _ in build_matrix(bundled, "intervention", "harm").cols]
    facets = [iri for iri, _ in build_matrix(bundled, "intervention", "harm-facet").cols]
    assert sorted(cols) == sorted(harms) and len(cols) == len(harms)
    # Every column's facet, in column order, runs through the facets in the facet view's order,
    # each facet once, and each group opens with the facet itself.
    runs = [facet(c) for c in cols]
    assert list(dict.fromkeys(runs)) == facets
    assert [c for i, c in enumerate(cols) if i == 0 or runs[i] != runs[i - 1]] == facets
    labels = [label for _, label in build_matrix(bundled, "intervention", "harm").cols]
    assert labels != sorted(labels, key=str.lower), "columns are no longer alphabetical"


def test_a_gap_keeps_its_explanation_in_parts_that_name_no_review(bundled):
    """The parts rebuild the explanation: what the graph holds, then which searches looked,
    then the review's name and strength, which only the explanation quotes (pages link it)."""
    gaps = find_gaps(bundled)
    searched = [g for g in gaps if g["review"] and g["kind"] not in ("research-need", "contested")]
    assert len(searched) > 50
    for gap in searched:
        review = gap["review"]
        assert gap["explanation"].startswith(f"{gap['finding']} {gap['searched']}, in review "), gap
        assert review["label"] not in gap["finding"] + gap["searched"]
        assert review["strength"] not in gap["finding"] + gap["searched"]
        assert gap["reviews"][0] == review["iri"]
    coverage = [g for g in gaps if g["kind"] == "not-reviewed"]
    assert coverage and any(g["listed_by"] for g in coverage)
    for gap in coverage:
        assert gap["review"] is None and gap["reviews"] == []
        assert gap["finding"].startswith("Not yet searched: ")
        assert " list this harm" not in gap["finding"]


def test_an_intervention_summarises_the_strongest_claim_for_each_harm(bundled):
    """One line per harm the intervention is said to address, with the strongest of its
    claims about that harm: confidence, then the kind of evidence, then the sources."""
    from harmgraph.analysis.entity import describe_entity
    from harmgraph.analysis.summary import KIND_RANK
    from harmgraph.model.evidence import read_evidence

    evidence = read_evidence(bundled)
    iri = ID + "intervention/hash-matching"
    claims = [c for c in evidence.claims if c.subject == iri and c.predicate == "addresses"]
    page = describe_entity(bundled, "intervention/hash-matching")
    lines = {line["harm"]: line for line in page["addresses"]}
    assert set(lines) == {c.object for c in claims} and len(lines) > 1
    for harm, line in lines.items():
        about = [c for c in claims if c.object == harm]
        best = max(about, key=lambda c: (c.confidence, KIND_RANK[c.kind], len(c.sources)))
        top = (best.confidence, KIND_RANK[best.kind], len(best.sources))
        shown = line["strongest"]
        assert tuple(shown["strength"]) == top, harm
        assert line["claims"] == len(about)
    assert describe_entity(bundled, "harm/normalisation")["addresses"] == []


def test_claims_sort_strongest_first():
    from harmgraph.analysis.entity import strongest_first

    rows = [
        {"claim": "c", "strength": [2, 6, 1]},
        {"claim": "a", "strength": [3, 1, 1]},
        {"claim": "d", "strength": [2, 6, 3]},
        {"claim": "b", "strength": [2, 6, 1]},
        {"claim": "e", "strength": [1, 6, 9]},
    ]
    assert [r["claim"] for r in strongest_first(rows)] == ["a", "d", "b", "c", "e"]


def test_review_overview_lists_every_review_and_the_types(bundled):
    import rdflib

    from conftest import ROOT
    from harmgraph.analysis.entity import review_overview

    kb = rdflib.Graph()
    for path in sorted((ROOT / "graph" / "kb").glob("*.ttl")):
        kb.parse(path, format="turtle")
    reviews = {str(r) for r in kb.subjects(rdflib.RDF.type, rdflib.URIRef(HG + "Review"))}
    overview = review_overview(bundled)
    assert {r["iri"] for r in overview["reviews"]} == reviews
    assert [t["label"] for t in overview["types"]][0] == "rapid web scan"
    assert sum(t["reviews"] for t in overview["types"]) == len(reviews)
    assert all(t["meaning"] for t in overview["types"])
    ranks = [r["rank"] for r in overview["reviews"]]
    assert ranks == sorted(ranks)
