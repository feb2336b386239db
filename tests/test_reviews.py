"""Reviews behind the gaps: a gap says "we looked and found nothing" only with a review.

The mini graph holds one review (r1) of facets A and B for every intervention, run on
2026-11-29 with one keyword search, that screened two candidates: src-1 included (producing
claim c2) and one paper excluded as off topic. Every expected value below is counted by hand
from tests/data/mini/mini.ttl and the extra Turtle in each test.
"""

from __future__ import annotations

import json

import pytest

from conftest import MINI, ROOT, run_cli
from harmgraph import load_graph
from harmgraph.analysis.gaps import find_gaps
from harmgraph.analysis.matrix import build_matrix
from harmgraph.analysis.priorities import rank_priorities
from harmgraph.analysis.stats import graph_stats
from harmgraph.model.reviews import review_coverage, screening_flow

ID = "https://w3id.org/harmgraph/id/"

# A second intervention type with no claim, and an unreviewed facet C with no claim.
TYPE_U_AND_FACET_C = """
intervention:type-u
    a hg:Intervention, skos:Concept ; skos:prefLabel "type U"@en ;
    skos:definition "A second intervention type."@en ;
    skos:inScheme scheme:intervention ; skos:topConceptOf scheme:intervention .
harm:facet-c
    a hg:Harm, skos:Concept ; skos:prefLabel "facet C"@en ;
    skos:definition "A harm no review has searched."@en ;
    skos:inScheme scheme:harm ; skos:topConceptOf scheme:harm .
"""

# A review of facet C limited to type T: type U is still unsearched for facet C.
REVIEW_C_TYPE_T = """
review:r2
    a hg:Review ; skos:prefLabel "review of facet C, type T only"@en ;
    hg:reviewedHarm harm:facet-c ; hg:reviewedIntervention intervention:type-t ;
    dcterms:date "2026-11-30"^^xsd:date ;
    prov:wasAssociatedWith <https://w3id.org/harmgraph/id/agent/tester> ;
    hg:method [ a hg:CitationChasing ; hg:chasedFrom source:src-2 ] .
"""


def gaps_by_kind(gaps: list[dict], kind: str) -> list[tuple[str, str, str]]:
    return sorted(
        (g["subject"].removeprefix(ID), g["object"].removeprefix(ID), g["pending_kind"])
        for g in gaps
        if g["kind"] == kind
    )


def test_every_gap_names_its_review():
    gaps = find_gaps(load_graph([MINI]))
    assert gaps and all(g["review"] is not None for g in gaps)
    review = gaps[0]["review"]
    assert review == {
        "iri": ID + "review/r1",
        "label": "review of facets A and B",
        "date": "2026-11-29",
        "methods": "keyword search in a test index ('interventions for facet A or B')",
        "screened": 2,
        "included": 1,
        "excluded": 1,
    }
    facet_b = next(g for g in gaps if g["kind"] == "no-intervention")
    assert facet_b["subject"] == ID + "harm/facet-b"
    assert (
        "Searched by review 'review of facets A and B' (2026-11-29; keyword search; 2 source(s) "
        "screened, 1 included)." in facet_b["explanation"]
    )


def test_not_reviewed_is_a_kind_of_its_own(mini_with):
    graph = load_graph([mini_with(TYPE_U_AND_FACET_C)])
    gaps = find_gaps(graph)
    # Facet C: nobody looked, so it is a coverage gap, not a no-intervention evidence gap.
    assert gaps_by_kind(gaps, "not-reviewed") == [("harm/facet-c", "", "no-intervention")]
    assert gaps_by_kind(gaps, "no-intervention") == [("harm/facet-b", "", "")]
    not_reviewed = next(g for g in gaps if g["kind"] == "not-reviewed")
    assert not_reviewed["review"] is None
    assert not_reviewed["explanation"].startswith("Not yet reviewed:")
    # Type U has no claim for facet A, which type T addresses, and r1 searched every type.
    assert gaps_by_kind(gaps, "empty-cell") == [("intervention/type-u", "harm/facet-a", "")]
    ranked = rank_priorities(graph)
    assert ranked and all(r["kind"] != "not-reviewed" for r in ranked)
    assert {r["kind"] for r in ranked} == {
        "no-intervention",
        "empty-cell",
        "unsynthesised",
        "contested",
        "research-need",
    }


def test_a_review_of_one_type_does_not_cover_the_others(mini_with):
    graph = load_graph([mini_with(TYPE_U_AND_FACET_C + REVIEW_C_TYPE_T)])
    assert gaps_by_kind(find_gaps(graph), "not-reviewed") == [
        ("harm/facet-c", "", "no-intervention")
    ]
    matrix = build_matrix(graph, "intervention-type", "harm-facet").as_dict()
    cells = {(c["row"].removeprefix(ID), c["col"].removeprefix(ID)): c for c in matrix["cells"]}
    assert cells[("intervention/type-t", "harm/facet-c")]["status"] == "no-evidence"
    assert cells[("intervention/type-t", "harm/facet-c")]["reviews"] == [ID + "review/r2"]
    assert cells[("intervention/type-u", "harm/facet-c")]["status"] == "not-reviewed"
    assert cells[("intervention/type-u", "harm/facet-a")]["status"] == "no-evidence"
    # Type T on facet A: c2 (high, supports, src-1) and c3 (low, disputes): one backing source.
    assert cells[("intervention/type-t", "harm/facet-a")]["status"] == "weak"


def test_screening_flow_and_counts_on_the_mini_graph():
    graph = load_graph([MINI])
    assert screening_flow(graph) == {
        "reviews": 1,
        "considered": 2,
        "excluded": 1,
        "excluded_by_reason": {
            "off topic": 1,
            "no AI dimension": 0,
            "no outcome data": 0,
            "duplicate": 0,
            "cannot be verified": 0,
            "operational detail": 0,
        },
        "included": 1,
        "sources_included": 1,
        "claims_produced": 1,
    }
    counts = graph_stats(graph)
    assert (counts["reviews"], counts["screened"], counts["excluded"], counts["included"]) == (
        1,
        2,
        1,
        1,
    )
    coverage = review_coverage(graph)
    assert (coverage["cells"], coverage["reviewed_cells"]) == (2, 2)


def test_stats_json_and_gaps_json_carry_the_new_keys():
    stats = json.loads(run_cli("--data", str(MINI), "stats", "--format", "json").stdout)
    assert {"reviews", "screened", "excluded"} <= set(stats)
    gaps = json.loads(run_cli("--data", str(MINI), "gaps", "--format", "json").stdout)
    assert all("review" in g for g in gaps)
    assert run_cli("--data", str(MINI), "gaps", "--kind", "not-reviewed").returncode == 1


# ------------------------------------------------------------------ the bundled knowledge base


@pytest.fixture(scope="module")
def kb():
    return load_graph()


def test_the_knowledge_base_meets_its_targets():
    stats = json.loads(run_cli("stats", "--format", "json").stdout)
    assert stats["sources"] >= 150
    assert stats["claims"] >= 400
    assert stats["reviews"] >= 30


def test_no_facet_shows_no_intervention_without_a_review(kb):
    for gap in find_gaps(kb):
        if gap["kind"] == "no-intervention":
            assert gap["review"] is not None
        assert not (gap["kind"] == "not-reviewed" and gap["pending_kind"] == "no-intervention")


def test_every_facet_has_an_intervention_claim_or_a_review_that_found_none(kb):
    from harmgraph.model.evidence import read_evidence
    from harmgraph.model.reviews import coverage

    evidence = read_evidence(kb)
    cover = coverage(kb)
    addressed = {c.object for c in evidence.claims if c.predicate == "addresses"}
    for facet in (h for h in evidence.of_kind("harm") if h.top):
        has_claim = bool(evidence.descendants(facet.iri) & addressed)
        assert has_claim or cover.for_all_interventions(facet.iri), facet.label


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


# ------------------------------------------------------------------ importing a screening log


def test_example_screening_log_imports(tmp_path):
    out = tmp_path / "log.ttl"
    result = run_cli("import", str(ROOT / "examples" / "screening-log.csv"), "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "imported 4 screening row(s)" in result.stderr
    merged = json.loads(
        run_cli(
            "--data", str(ROOT / "graph" / "kb"), "--data", str(out), "stats", "--format", "json"
        ).stdout
    )
    base = json.loads(run_cli("stats", "--format", "json").stdout)
    assert merged["reviews"] == base["reviews"] + 1
    assert merged["screened"] == base["screened"] + 4
    assert merged["excluded"] == base["excluded"] + 2


LOG_HEADER = (
    "review,review_title,harms,interventions,date,agent,method,query,searched_in,chased_from,"
    "organisation,decision,reason,candidate_title,candidate_doi,candidate_url,source,claims,note\n"
)
BAD_LOG_ROWS = [
    ("Bad Slug!,t,harm/facet-a,,2026-01-01,me,keyword-search,q,idx,,,,,,,,,,\n", "lower-case"),
    ("r9,t,harm/nope,,2026-01-01,me,keyword-search,q,idx,,,,,,,,,,\n", "not a harm"),
    ("r9,t,harm/facet-a,,01/01/2026,me,keyword-search,q,idx,,,,,,,,,,\n", "not YYYY-MM-DD"),
    ("r9,t,harm/facet-a,,2026-01-01,me,guessing,q,idx,,,,,,,,,,\n", "method 'guessing'"),
    ("r9,t,harm/facet-a,,2026-01-01,me,keyword-search,,idx,,,,,,,,,,\n", "needs 'query'"),
    (
        "r9,t,harm/facet-a,,2026-01-01,me,keyword-search,q,idx,,,excluded,boring,A paper,,https://e.org/a,,,\n",
        "closed list",
    ),
    (
        "r9,t,harm/facet-a,,2026-01-01,me,keyword-search,q,idx,,,excluded,off-topic,A paper,,,,,\n",
        "address_withheld",
    ),
    (
        "r9,t,harm/facet-a,,2026-01-01,me,keyword-search,q,idx,,,included,,A paper,,,,,\n",
        "needs 'source'",
    ),
    (
        "r9,t,harm/facet-a,,2026-01-01,me,citation-chasing,,,not a source,,,,,,,,,\n",
        "neither a source",
    ),
]


@pytest.mark.parametrize(("row", "reason"), BAD_LOG_ROWS)
def test_bad_screening_rows_are_reported_by_row(tmp_path, row, reason):
    log = tmp_path / "log.csv"
    log.write_text(LOG_HEADER + row, encoding="utf-8")
    result = run_cli("--data", str(MINI), "import", str(log), "--out", str(tmp_path / "o.ttl"))
    assert result.returncode == 1 and not (tmp_path / "o.ttl").exists()
    assert f"{log}:2: " in result.stderr and reason in result.stderr, result.stderr
    assert "Traceback" not in result.stderr


def test_hostile_screening_cells_come_back_as_written(tmp_path):
    import rdflib

    hostile = 'quote " backslash \\ <b>&amp;</b> # ; é " ; hg:evil "x" . <a> <b> <c> .'
    row = (
        f'r9,"{hostile.replace(chr(34), chr(34) * 2)}",harm/facet-a,,2026-01-01,me,keyword-search,'
        f'"{hostile.replace(chr(34), chr(34) * 2)}",idx,,,excluded,off-topic,'
        f'"{hostile.replace(chr(34), chr(34) * 2)}",,https://example.org/x,,,\n'
    )
    log = tmp_path / "log.csv"
    log.write_text(LOG_HEADER + row, encoding="utf-8")
    out = tmp_path / "o.ttl"
    result = run_cli("--data", str(MINI), "import", str(log), "--out", str(out))
    assert result.returncode == 0, result.stdout + result.stderr
    graph = rdflib.Graph().parse(out, format="turtle")
    hg = rdflib.Namespace("https://w3id.org/harmgraph/ontology#")
    assert [str(q) for q in graph.objects(None, hg.searchQuery)] == [hostile]
    dcterms = rdflib.Namespace("http://purl.org/dc/terms/")
    assert [str(t) for t in graph.objects(None, dcterms.title)] == [hostile]
    assert not list(graph.subjects(rdflib.URIRef("https://w3id.org/harmgraph/ontology#evil")))
