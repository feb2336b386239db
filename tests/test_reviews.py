"""Reviews behind the gaps: a gap says "we looked and found nothing" only through a search aimed
at it, and says how strong that search was.

The mini graph holds one review (r1), a rapid web scan run on 2026-11-29 with one keyword search
(search-1) aimed at facets A and B and at every intervention, that returned two items: src-1,
included (producing claim c2), and a paper excluded as off topic; both were screened again by a
second screener, who agreed. Every expected value below is worked out by hand from
tests/data/mini/mini.ttl and the extra Turtle in each test, never by calling the code under test
a second way.
"""

from __future__ import annotations

import json

import pytest

from conftest import MINI, ROOT, run_cli
from harmgraph import load_graph
from harmgraph.analysis.cells import GRAINS
from harmgraph.analysis.gaps import find_gaps
from harmgraph.analysis.matrix import build_matrix
from harmgraph.analysis.priorities import rank_priorities
from harmgraph.analysis.stats import graph_stats
from harmgraph.model.coverage import review_coverage
from harmgraph.model.reviews import read_reviews
from harmgraph.model.screening import (
    agreement,
    kappa,
    prisma_flow,
    sample_size,
    screening_flow,
    second_sample,
)

# One test process runs this module, so the bundled graph and its reviews are read once.
pytestmark = pytest.mark.xdist_group("reviews")

ID = "https://w3id.org/harmgraph/id/"
HG = "https://w3id.org/harmgraph/ontology#"
STRENGTH = (
    "rapid web scan: 1 query for evidence in one web index (a test index; test index, version 1)"
    ", up to 10 results per query, one screener, a second screener on a sample, 2026-11-29"
)

# A second intervention type with no claim, and a facet C that no search has reached.
TYPE_U_AND_FACET_C = """
intervention:type-u
    a hg:Intervention, skos:Concept ; skos:prefLabel "type U"@en ;
    skos:definition "A second intervention type."@en ;
    skos:inScheme scheme:intervention ; skos:topConceptOf scheme:intervention .
harm:facet-c
    a hg:Harm, skos:Concept ; skos:prefLabel "facet C"@en ;
    skos:definition "A harm no search has reached."@en ;
    skos:inScheme scheme:harm ; skos:topConceptOf scheme:harm .
"""


def a_review(
    slug: str, aims: str, sought: str = "hg:SoughtInterventions", kind: str = "hg:KeywordSearch"
) -> str:
    """A review with one search (no items) aimed at ``aims``, in the new model."""
    aimed = f"hg:aimedAt {aims} ; hg:sought {sought} ;" if aims else ""
    return f"""
@prefix review: <https://w3id.org/harmgraph/id/review/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
review:{slug}
    a hg:Review ; skos:prefLabel "review {slug}"@en ; hg:reviewType hg:RapidWebScan ;
    hg:screenerCount 1 ; hg:reviewedHarm harm:facet-a ; dcterms:date "2026-11-30"^^xsd:date ;
    prov:wasAssociatedWith <https://w3id.org/harmgraph/id/agent/tester> ;
    hg:method review:{slug}\\#search-1 .
review:{slug}\\#search-1
    a {kind} ; hg:searchQuery "q {slug}" ; hg:searchedIn "a test index" ; hg:placeKind hg:WebIndex ;
    dcterms:date "2026-11-30"^^xsd:date ; hg:resultLimit 8 ; hg:resultsReturned 0 ; {aimed}
    skos:note "no item came back"@en .
"""


def gaps_by_kind(gaps: list[dict], kind: str) -> list[tuple[str, str, str]]:
    return sorted(
        (g["subject"].removeprefix(ID), g["object"].removeprefix(ID), g["pending_kind"])
        for g in gaps
        if g["kind"] == kind
    )


def cells(graph, rows: str, cols: str) -> dict[tuple[str, str], dict]:
    matrix = build_matrix(graph, rows, cols).as_dict()
    return {
        (c["row"].removeprefix(ID).removeprefix(HG), c["col"].removeprefix(ID)): c
        for c in matrix["cells"]
    }


# ------------------------------------------------------------------ the mini graph


def test_every_gap_names_its_searches_and_its_strength():
    gaps = find_gaps(load_graph([MINI]))
    facet_b = next(g for g in gaps if g["kind"] == "no-intervention")
    assert facet_b["subject"] == ID + "harm/facet-b"
    assert facet_b["review"] == {
        "iri": ID + "review/r1",
        "label": "review of facets A and B",
        "date": "2026-11-29",
        "type": "rapid web scan",
        "strength": STRENGTH,
        "methods": "keyword search in a test index ('interventions for facet A or B')",
        "screened": 2,
        "included": 1,
        "excluded": 1,
    }
    assert facet_b["strength"] == STRENGTH and facet_b["searched_at"] == "exact"
    assert [s["iri"] for s in facet_b["searches"]] == [ID + "review/r1#search-1"]
    assert facet_b["explanation"].endswith(
        "Not found by 1 search(es) aimed at it, in review 'review of facets A and B': "
        + STRENGTH
        + "."
    )
    # Every gap states a strength, even one no search reached.
    assert all(g["strength"] for g in gaps)


# An intervention under type T whose IRI sorts after the type's: the narrowest target must be
# chosen by the hierarchy, never by the IRIs' order.
ZETA_UNDER_TYPE_T = """
intervention:zeta
    a hg:Intervention, skos:Concept ; skos:prefLabel "intervention zeta"@en ;
    skos:definition "A second intervention of type T."@en ;
    skos:inScheme scheme:intervention ; skos:broader intervention:type-t .
"""


def test_a_search_aimed_at_an_intervention_and_its_type_searched_the_intervention(mini_with):
    """Regression: the narrowest of a search's intervention targets was chosen by IRI order,
    so "type-t" (before "zeta") made the cell "searched more broadly" instead of an "x"."""
    graph = load_graph(
        [
            mini_with(
                ZETA_UNDER_TYPE_T
                + a_review("r3", "harm:facet-b, intervention:type-t, intervention:zeta")
            )
        ]
    )
    grid = cells(graph, "intervention", "harm")
    assert grid[("intervention/zeta", "harm/facet-b")]["status"] == "no-evidence"
    empty = [
        (g["subject"].removeprefix(ID), g["object"].removeprefix(ID))
        for g in find_gaps(graph)
        if g["kind"] == "empty-cell" and g["grain"] == "intervention x harm"
    ]
    assert ("intervention/zeta", "harm/facet-b") in empty


def test_a_review_that_lists_a_harm_searches_nothing_by_listing_it(mini_with):
    # Review r2 lists facet A but its one search was aimed at facet C only: facet A's cells
    # are reached by r1's search, facet C's by r2's, and type U on facet C by none of r1's.
    graph = load_graph(
        [mini_with(TYPE_U_AND_FACET_C + a_review("r2", "harm:facet-c, intervention:type-t"))]
    )
    grid = cells(graph, "intervention-type", "harm-facet")
    assert grid[("intervention/type-t", "harm/facet-c")]["status"] == "no-evidence"
    assert grid[("intervention/type-t", "harm/facet-c")]["reviews"] == [ID + "review/r2"]
    assert grid[("intervention/type-u", "harm/facet-c")]["status"] == "not-reviewed"
    # r1's search was aimed at every intervention, not at type U: searched only more broadly.
    assert grid[("intervention/type-u", "harm/facet-a")]["status"] == "searched-broader"
    assert (
        "No search was aimed at this cell at its grain"
        in grid[("intervention/type-u", "harm/facet-a")]["note"]
    )
    # Type T on facet A: c2 (high, supports, src-1) and c3 (low, disputes): one backing source.
    assert grid[("intervention/type-t", "harm/facet-a")]["status"] == "weak"


def test_a_search_aimed_at_a_type_covers_the_interventions_under_it(mini_with):
    """The regression the issue names: a search limited to an intervention type must cover
    the interventions under it (int-i is under type T)."""
    graph = load_graph(
        [mini_with(TYPE_U_AND_FACET_C + a_review("r2", "harm:facet-c, intervention:type-t"))]
    )
    row = cells(graph, "intervention", "harm")[("intervention/int-i", "harm/facet-c")]
    assert row["status"] == "searched-broader"
    assert row["reviews"] == [ID + "review/r2"] and row["searched_at"] == "broader"
    # Type U has no intervention under it, and r2 was not aimed at it.
    assert (
        cells(graph, "intervention-type", "harm")[("intervention/type-u", "harm/facet-c")]["status"]
        == "not-reviewed"
    )


def test_a_search_aimed_at_a_narrower_harm_does_not_cover_the_broader(mini_with):
    narrow_c = TYPE_U_AND_FACET_C + (
        'harm:narrow-c a hg:Harm, skos:Concept ; skos:prefLabel "narrow C"@en ; '
        'skos:definition "Under facet C."@en ; skos:inScheme scheme:harm ; skos:broader harm:facet-c .\n'
    )
    graph = load_graph([mini_with(narrow_c + a_review("r2", "harm:narrow-c, hg:AnyIntervention"))])
    gaps = find_gaps(graph)
    assert ("harm/narrow-c", "", "") in gaps_by_kind(gaps, "no-intervention")
    assert ("harm/facet-c", "", "no-intervention") in gaps_by_kind(gaps, "not-reviewed")


@pytest.mark.parametrize(
    ("aims", "sought", "kind"),
    [
        ("harm:facet-c, hg:AnyIntervention", "hg:SoughtHarmEvidence", "hg:KeywordSearch"),
        ("harm:facet-c, hg:AnyIntervention", "hg:SoughtEvaluations", "hg:KeywordSearch"),
        ("", "", "hg:KnownItemLookup"),
    ],
)
def test_only_a_search_for_interventions_can_show_none_is_known(mini_with, aims, sought, kind):
    """A search for evidence on the harm itself, a search for evaluations only, and a known-item
    look-up cannot support "no intervention known": facet C stays a coverage gap."""
    graph = load_graph([mini_with(TYPE_U_AND_FACET_C + a_review("r2", aims, sought, kind))])
    gaps = find_gaps(graph)
    assert ("harm/facet-c", "", "no-intervention") in gaps_by_kind(gaps, "not-reviewed")
    assert "harm/facet-c" not in {g[0] for g in gaps_by_kind(gaps, "no-intervention")}


def test_a_search_for_any_intervention_supports_no_intervention(mini_with):
    graph = load_graph(
        [mini_with(TYPE_U_AND_FACET_C + a_review("r2", "harm:facet-c, hg:AnyIntervention"))]
    )
    gap = next(g for g in find_gaps(graph) if g["subject"] == ID + "harm/facet-c")
    assert (gap["kind"], gap["searched_at"]) == ("no-intervention", "exact")
    assert gap["review"]["iri"] == ID + "review/r2"


NARROW_B = """
harm:narrow-b a hg:Harm, skos:Concept ; skos:prefLabel "narrow B"@en ;
    skos:definition "A harm under facet B."@en ; skos:inScheme scheme:harm ;
    skos:broader harm:facet-b .
claim:c9 a hg:Claim ; rdf:subject intervention:int-i ; rdf:predicate hg:addresses ;
    rdf:object harm:facet-b ;
    hg:citation [ a hg:Citation ; hg:source source:src-2 ; hg:locator "p. 9" ] ;
    hg:evidenceKind hg:ExpertOpinion ; hg:direction hg:Supports ; hg:confidence hg:LowConfidence ;
    hg:confidenceRationale "An opinion that it helps against facet B."@en ;
    dcterms:created "2026-11-24"^^xsd:date .
"""


def test_broader_evidence_is_not_nothing(mini_with):
    """An intervention that addresses facet B shows on the narrower harm as addressed at the
    broader level, never as "no intervention"; facet B's own interventions are unevaluated."""
    graph = load_graph([mini_with(NARROW_B)])
    gaps = find_gaps(graph)
    assert gaps_by_kind(gaps, "no-intervention") == []
    assert gaps_by_kind(gaps, "broader-only") == [("harm/narrow-b", "", "")]
    assert gaps_by_kind(gaps, "no-evaluated-intervention") == [("harm/facet-b", "", "")]
    cell = cells(graph, "intervention", "harm")[("intervention/int-i", "harm/narrow-b")]
    assert cell["status"] == "addressed-broader"
    assert cell["broader_claims"] == [ID + "claim/c9"]


def test_gaps_and_matrix_agree_cell_by_cell_on_the_mini_graph(mini_with):
    graph = load_graph(
        [mini_with(TYPE_U_AND_FACET_C + a_review("r2", "harm:facet-c, intervention:type-t"))]
    )
    assert_gaps_and_matrix_agree(graph)
    # Worked out by hand: r1 was aimed at facets A and B and at every intervention (no row
    # of the map), so it makes no "x"; r2 was aimed at type T and facet C, a column at both
    # grains, so it makes two.
    assert gaps_by_kind(find_gaps(graph), "empty-cell") == [
        ("intervention/type-t", "harm/facet-c", ""),
        ("intervention/type-t", "harm/facet-c", ""),
    ]


def assert_gaps_and_matrix_agree(graph) -> None:
    gaps = find_gaps(graph, ["empty-cell"])
    for rows, cols in GRAINS:
        grain = f"{rows} x {cols}"
        listed = {(g["subject"], g["object"]) for g in gaps if g["grain"] == grain}
        matrix = build_matrix(graph, rows, cols).as_dict()
        marked = {(c["row"], c["col"]) for c in matrix["cells"] if c["status"] == "no-evidence"}
        assert listed == marked, grain


def test_prisma_flow_of_the_mini_review():
    review = read_reviews(load_graph([MINI]))[0]
    flow = prisma_flow(review)
    assert flow["columns"]["databases"] == {
        "identified": 2,
        "sources": [("a test index", 2)],
        "duplicates": 0,
        "screened": 2,
        "excluded_screening": 1,
        "sought": 1,
        "not_retrieved": 0,
        "assessed": 1,
        "excluded_assessment": [],
        "reports_included": 1,
        # Every record of the mini review is decided: none waits for a screener.
        "awaiting_screening": 0,
        "awaiting_assessment": 0,
    }
    assert flow["columns"]["other"]["identified"] == 0
    assert (flow["studies_included"], flow["reports_included"], flow["notes"]) == (1, 1, [])


def test_kappa_is_worked_out_as_cohen_defined_it():
    # 4 records: both include 1, both exclude 2, first includes and second excludes 1.
    # p_o = 3/4; the first includes 2/4, the second 1/4: p_e = 2/4*1/4 + 2/4*3/4 = 1/2;
    # kappa = (3/4 - 1/2) / (1 - 1/2) = 0.5.
    pairs = [("i", "i"), ("e", "e"), ("e", "e"), ("i", "e")]
    assert kappa(pairs) == 0.5
    # Chance agreement of 1 (both gave everything one decision): kappa is not defined.
    assert kappa([("e", "e")] * 5) is None
    # Perfect disagreement on a balanced sample: p_o = 0, p_e = 1/2, kappa = -1.
    assert kappa([("i", "e"), ("e", "i")]) == -1.0


def test_agreement_of_the_mini_review():
    review = read_reviews(load_graph([MINI]))[0]
    result = agreement(review)
    # Both screeners included record-1 and excluded record-2: p_o = 1, p_e = 1/2, kappa = 1.
    assert (result["sampled"], result["agreed"], result["kappa"]) == (2, 2, 1.0)
    assert result["disagreements"] == []


def test_sample_size_follows_the_rule():
    assert [sample_size(n) for n in (0, 1, 9, 10, 49, 50, 51, 100)] == [0, 1, 9, 10, 10, 10, 11, 20]
    records = [f"r#record-{i}" for i in range(1, 31)]
    drawn = second_sample(records, seed=5)
    assert len(drawn) == 10 and set(drawn) <= set(records)
    assert second_sample(list(reversed(records)), seed=5) == drawn  # order of input is irrelevant
    assert second_sample(records, seed=6) != drawn


def test_screening_flow_and_counts_on_the_mini_graph():
    graph = load_graph([MINI])
    flow = screening_flow(graph)
    assert flow["reviews"] == 1 and flow["considered"] == 2
    assert (flow["excluded"], flow["included"], flow["supporting"]) == (1, 1, 0)
    assert flow["excluded_by_reason"]["off topic"] == 1
    assert flow["excluded_by_reason"]["secondary report"] == 0
    assert (flow["sources_included"], flow["claims_produced"]) == (1, 1)
    counts = graph_stats(graph)
    assert (counts["reviews"], counts["screened"], counts["excluded"], counts["included"]) == (
        1,
        2,
        1,
        1,
    )


def test_review_coverage_counts_searched_cells_not_listed_ones(mini_with):
    # Mini: one type, facets A and B, r1 aimed at both facets and every intervention: both
    # cells searched, neither at its own grain (r1 names no type).
    figures = review_coverage(load_graph([MINI]))
    assert (figures["cells"], figures["searched_cells"], figures["searched_exact"]) == (2, 2, 0)
    assert figures["reviewed_cells"] == figures["searched_cells"]
    # r3 lists facet C and every type, but its only search is a known-item look-up: listed,
    # not searched. Two types x three facets = 6 cells; A and B searched for both types (r1
    # reached every intervention) = 4; facet C listed by r3 for both types = 2.
    lookup = a_review("r3", "", "", "hg:KnownItemLookup").replace(
        "hg:reviewedHarm harm:facet-a", "hg:reviewedHarm harm:facet-c"
    )
    figures = review_coverage(load_graph([mini_with(TYPE_U_AND_FACET_C + lookup)]))
    assert (figures["cells"], figures["searched_cells"], figures["listed_not_searched"]) == (
        6,
        4,
        2,
    )


def test_coverage_gaps_are_never_ranked(mini_with):
    graph = load_graph([mini_with(TYPE_U_AND_FACET_C)])
    ranked = rank_priorities(graph)
    assert ranked and all(r["kind"] != "not-reviewed" for r in ranked)


def test_stats_json_and_gaps_json_carry_the_new_keys():
    stats = json.loads(run_cli("--data", str(MINI), "stats", "--format", "json").stdout)
    assert {"reviews", "screened", "excluded"} <= set(stats)
    gaps = json.loads(run_cli("--data", str(MINI), "gaps", "--format", "json").stdout)
    assert all({"review", "searches", "searched_at", "strength", "grain"} <= set(g) for g in gaps)
    assert run_cli("--data", str(MINI), "gaps", "--kind", "not-reviewed").returncode == 1


# ------------------------------------------------------------------ the bundled knowledge base


@pytest.fixture(scope="module")
def kb():
    return load_graph()


def test_gaps_json_and_matrix_json_agree_cell_by_cell(tmp_path):
    """The issue's first check, through the real commands: every x of every grain is an
    empty-cell gap, and every empty-cell gap is an x."""
    gaps = json.loads(run_cli("gaps", "--kind", "empty-cell", "--format", "json").stdout)
    for rows, cols in GRAINS:
        result = run_cli("matrix", "--rows", rows, "--cols", cols, "--format", "json")
        matrix = json.loads(result.stdout)
        marked = {(c["row"], c["col"]) for c in matrix["cells"] if c["status"] == "no-evidence"}
        listed = {(g["subject"], g["object"]) for g in gaps if g["grain"] == f"{rows} x {cols}"}
        assert listed == marked, (rows, cols)


def test_no_harm_with_a_broader_addresses_claim_is_no_intervention(kb):
    from harmgraph.model.evidence import read_evidence

    evidence = read_evidence(kb)
    named = {c.object for c in evidence.claims if c.predicate == "addresses"}
    for gap in find_gaps(kb, ["no-intervention", "not-reviewed"]):
        if gap["kind"] == "no-intervention" or gap["pending_kind"] == "no-intervention":
            above = set(evidence.ancestors(gap["subject"])[1:])
            assert not above & named, gap["subject_label"]


def test_every_empty_cell_and_no_intervention_gap_names_a_search_aimed_at_it(kb):
    from harmgraph.model.evidence import read_evidence
    from harmgraph.model.reviews import ANY_INTERVENTION

    evidence = read_evidence(kb)
    for gap in find_gaps(kb, ["empty-cell", "no-intervention"]):
        assert gap["searches"], gap["explanation"]
        for search in gap["searches"]:
            if gap["kind"] == "empty-cell":
                # Aimed at this very cell: its harm and its row.
                assert (search["harm"], search["intervention"]) == (gap["object"], gap["subject"])
            else:
                assert search["harm"] in evidence.ancestors(gap["subject"])
                assert search["intervention"] in (
                    ANY_INTERVENTION,
                    *(e.iri for e in evidence.of_kind("intervention") if e.top),
                )


def test_every_gap_states_its_strength(kb):
    for gap in find_gaps(kb):
        assert gap["strength"], gap["explanation"]
        if gap["review"]:
            assert gap["strength"] == gap["review"]["strength"]
            assert gap["strength"].split(":")[0] in {
                "rapid web scan",
                "rapid review",
                "scoping review or evidence-gap map",
                "systematic review",
            }


def test_every_review_reports_kappa_from_a_reproducible_sample(kb):
    for review in read_reviews(kb):
        result = agreement(review)
        assert result["sampled"] == sample_size(len(review.records)) > 0, review.iri
        seed = int(review.second_screening["seed"])
        drawn = set(second_sample([r.iri for r in review.records], seed))
        assert drawn == {r.iri for r in review.records if r.second}, review.iri
        assert result["kappa"] is not None or result["agreed"] == result["sampled"]


def test_the_bundled_reviews_are_described_as_what_they_are(kb):
    for review in read_reviews(kb):
        assert review.review_type == "RapidWebScan" and review.screeners == 1
        for search in review.evidence_searches:
            assert search.place_kind == "WebIndex" and search.limit == 8
            assert "harmgraph library search tool" not in search.where
        # Its finding says what kind of search it was, and never claims an absolute absence.
        finding = review.finding.lower()
        assert "rapid" in finding, review.iri
        for claim in ("no evidence exists", "no study exists", "there is no evidence"):
            assert claim not in finding, (review.iri, claim)


def test_the_five_harms_have_searches_aimed_at_their_interventions(kb):
    """Re-reviewed in December 2026: each now has a search aimed at interventions for it."""
    from harmgraph.model.coverage import coverage

    cover = coverage(kb)
    for slug in (
        "desensitisation-and-escalation",
        "lowered-barriers",
        "survivor-fine-tuned-models",
        "survivor-image-generation",
        "undermined-protective-factors",
    ):
        hits = cover.any_intervention(ID + "harm/" + slug)
        assert any(h.harm == ID + "harm/" + slug for h in hits), slug


def test_the_knowledge_base_meets_its_targets():
    stats = json.loads(run_cli("stats", "--format", "json").stdout)
    assert stats["sources"] >= 150
    assert stats["claims"] >= 400
    assert stats["reviews"] >= 30


def test_every_intervention_has_a_sourced_addresses_claim(kb):
    from harmgraph.model.evidence import read_evidence

    evidence = read_evidence(kb)
    addressed = {c.subject for c in evidence.claims if c.predicate == "addresses"}
    missing = [
        e.label for e in evidence.of_kind("intervention") if not e.top and e.iri not in addressed
    ]
    assert missing == []


def test_grooming_coercion_and_extortion_rest_on_three_independent_sources(kb):
    from harmgraph.model.evidence import read_evidence

    evidence = read_evidence(kb)
    family = evidence.descendants(ID + "harm/grooming-coercion-extortion")
    for harm in (family, {ID + "harm/grooming-facilitation"}, {ID + "harm/sexual-extortion"}):
        sources = {
            s for c in evidence.claims if c.subject in harm or c.object in harm for s in c.sources
        }
        assert len(sources) >= 3, harm


def test_the_founding_papers_research_needs_are_still_gaps(kb):
    needs = {g["subject_label"] for g in find_gaps(kb, ["research-need"])}
    assert {
        "AI-specific detection methods for abuse material",
        "international policy frameworks for AI-generated material",
        "longitudinal studies of the psychological impact on victims",
    } <= needs


def test_example_screening_log_imports(tmp_path):
    out = tmp_path / "log.ttl"
    result = run_cli("import", str(ROOT / "examples" / "screening-log.csv"), "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "imported 8 screening row(s)" in result.stderr
    merged = json.loads(
        run_cli(
            "--data", str(ROOT / "graph" / "kb"), "--data", str(out), "stats", "--format", "json"
        ).stdout
    )
    base = json.loads(run_cli("stats", "--format", "json").stdout)
    assert merged["reviews"] == base["reviews"] + 1
    assert merged["screened"] == base["screened"] + 8
    assert merged["included"] == base["included"] + 1
