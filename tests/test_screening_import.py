"""`harmgraph import` of a screening log in the review model of issue 18.

One row per retrieved item: the review's type, screeners and finding on its first row; each
search's id, place, date, limit, count, aims and what it sought on its first row; each record's
id, what it duplicates or reports, both screeners' decisions and the second screening. Every
test runs the real CLI against the mini graph (or the bundled graph), and reads what it wrote
with rdflib.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
import rdflib
from rdflib import RDF, Literal, URIRef

from conftest import MINI, ROOT, canonical, cli_in_process, run_cli

# One test process runs this module, so the full screening log is imported once.
pytestmark = pytest.mark.xdist_group("screening-import")

ID = "https://w3id.org/harmgraph/id/"
HG = rdflib.Namespace("https://w3id.org/harmgraph/ontology#")
DCTERMS = rdflib.Namespace("http://purl.org/dc/terms/")
PROV = rdflib.Namespace("http://www.w3.org/ns/prov#")
SKOS = rdflib.Namespace("http://www.w3.org/2004/02/skos/core#")
SCHEMA = rdflib.Namespace("https://schema.org/")
BIBO = rdflib.Namespace("http://purl.org/ontology/bibo/")
RDFS = rdflib.Namespace("http://www.w3.org/2000/01/rdf-schema#")
XSD_DATE = URIRef("http://www.w3.org/2001/XMLSchema#date")
EXAMPLE = ROOT / "examples" / "screening-log.csv"
LOGS = sorted((ROOT / "graph" / "kb" / "screening-logs").glob("*.csv"))
#: The columns of a screening log: the example's, and the one it does not use.
COLUMNS = [
    *EXAMPLE.read_text(encoding="utf-8").splitlines()[0].split(","),
    "address_not_recorded",
]

T1 = URIRef(ID + "review/t1")


def rec(n: str) -> URIRef:
    return URIRef(f"{T1}#record-{n}")


def srch(n: str) -> URIRef:
    return URIRef(f"{T1}#search-{n}")


# ------------------------------------------------------------------ a log with every column

#: The first row of review t1: the review, its second screening, and its first search s1.
FIRST = {
    "review": "t1",
    "review_title": "A test review of facets A and B",
    "harms": "harm/facet-a;harm/facet-b",
    "interventions": "intervention/type-t",
    "date": "2026-12-01",
    "agent": "https://w3id.org/harmgraph/id/agent/tester",
    "review_type": "scoping-review",
    "screeners": "2",
    "finding": "In a scoping review of one database no evaluation of type T was found.",
    "second_seed": "42",
    "second_date": "2026-12-03",
    "second_agent": "Second Reader",
    "search": "s1",
    "method": "keyword-search",
    "query": "interventions facet A",
    "searched_in": "a test bibliographic database",
    "place_kind": "bibliographic-database",
    "place_version": "November 2026 release",
    "search_date": "2026-12-01",
    "result_limit": "50",
    "results_returned": "4",
    "aimed_at": "harm/facet-a;any-intervention",
    "sought": "interventions",
}


def full_log() -> list[dict[str, str]]:
    """Review t1, one row per retrieved item, with every new column used at least once.

    Records r1..r8, all screened twice (fewer than 10); r1 is a supporting report of the later
    r2, r3 a duplicate of the later r4, r4 a secondary report of the earlier r2, r6 a duplicate
    of the earlier r3. Searches s5 and s6 returned nothing.
    """
    both = {"first_decision": "excluded", "second_decision": "excluded"}
    return [
        {
            **FIRST,
            "record": "r1",
            "decision": "supporting",
            "report_of": "r2",
            "candidate_title": "the journal version",
            "candidate_url": "https://journal.example.org/a",
            "first_decision": "supporting",
            "second_decision": "supporting",
        },
        {
            "review": "t1",
            "search": "s1",
            "record": "r2",
            "decision": "included",
            "source": "source/src-1",
            "claims": "claim/c2",
            "first_decision": "included",
            "second_decision": "included",
        },
        {
            "review": "t1",
            "search": "s1",
            "record": "r3",
            "decision": "excluded",
            "reason": "duplicate",
            "duplicate_of": "r4",
            "candidate_title": "a mirror of the news item",
            "candidate_url": "https://mirror.example.org/news",
            **both,
            "second_reason": "duplicate",
        },
        {
            "review": "t1",
            "search": "s1",
            "record": "r4",
            "decision": "excluded",
            "reason": "secondary-report",
            "report_of": "r2",
            "candidate_title": "a news item about the study",
            "candidate_doi": "10.1234/news.1",
            "first_decision": "excluded",
            "second_decision": "included",
            "resolution": "a third reader kept the exclusion: it reports the included study",
        },
        {
            "review": "t1",
            "search": "s2",
            "method": "known-item-lookup",
            "query": "A test report with a URL",
            "searched_in": "a test index of web pages",
            "place_kind": "web-index",
            "place_version": "no index date stated",
            "search_date": "2026-12-02",
            "result_limit": "8",
            "results_returned": "1",
            "record": "r5",
            "decision": "included",
            "source": "source/src-2",
            "claims": "claim/c4",
            "first_decision": "included",
            "second_decision": "included",
        },
        {
            "review": "t1",
            "search": "s3",
            "method": "carried-in",
            "carried_from": "r1",
            "record": "r6",
            "decision": "excluded",
            "reason": "duplicate",
            "duplicate_of": "r3",
            "candidate_title": "the news item again",
            "address_not_recorded": "split from a record that stood for several items",
            **both,
        },
        {
            "review": "t1",
            "search": "s4",
            "method": "added-on-request",
            "record": "r7",
            "decision": "excluded",
            "reason": "off-topic",
            "candidate_title": "a page the editors asked about",
            "candidate_url": "https://example.org/asked",
            **both,
        },
        {
            "review": "t1",
            "search": "s5",
            "method": "keyword-search",
            "query": "evaluation of type T for narrow A",
            "searched_in": "a test register",
            "place_kind": "register",
            "place_version": "version 3",
            "search_date": "2026-12-02",
            "result_limit": "20",
            "results_returned": "0",
            "aimed_at": "intervention/type-t;harm/narrow-a",
            "sought": "evaluations",
        },
        {
            "review": "t1",
            "search": "s6",
            "method": "organisation-publications",
            "organisation": "Test Organisation",
            "searched_in": "the organisation's own website",
            "place_kind": "organisation-website",
            "search_date": "2026-12-02",
            "result_limit": "30",
            "results_returned": "0",
            "aimed_at": "intervention/int-i;harm/facet-b",
            "sought": "harm-evidence",
        },
        {
            "review": "t1",
            "search": "s7",
            "method": "citation-chasing",
            "chased_from": "source/src-1",
            "record": "r8",
            "decision": "excluded",
            "reason": "no-outcome-data",
            "candidate_title": "a paper the source cites",
            "candidate_url": "https://example.org/cited",
            **both,
        },
    ]


def one_row(slug: str = "t1", **changes: str) -> dict[str, str]:
    """A whole review in one row: its one search returned one item, screened twice."""
    return {
        **FIRST,
        "review": slug,
        "results_returned": "1",
        "record": "r1",
        "decision": "excluded",
        "reason": "off-topic",
        "candidate_title": "an unrelated page",
        "candidate_url": f"https://example.org/{slug}",
        "first_decision": "excluded",
        "second_decision": "excluded",
        **changes,
    }


def its_own_search(n: int, **changes: str) -> dict[str, str]:
    """A further row of review t1 that is a whole search of its own (search ``h<n>``, one item,
    record ``x<n>``), so that dropping the row drops its search and keeps the counts right."""
    return {
        "review": "t1",
        "search": f"h{n}",
        "method": "keyword-search",
        "query": f"query {n}",
        "searched_in": "a test index",
        "place_kind": "web-index",
        "search_date": "2026-12-02",
        "result_limit": "8",
        "results_returned": "1",
        "aimed_at": "harm/facet-b",
        "sought": "harm-evidence",
        "record": f"x{n}",
        "decision": "excluded",
        "reason": "off-topic",
        "candidate_title": f"item {n}",
        "candidate_url": f"https://example.org/item-{n}",
        "first_decision": "excluded",
        "second_decision": "excluded",
        **changes,
    }


def write_log(folder: Path, rows: list[dict[str, str]], name: str = "log.csv") -> Path:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, COLUMNS)
    writer.writeheader()
    for row in rows:
        writer.writerow(row)
    path = folder / name
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def import_log(log: Path, out: Path, *flags: str, data: list[Path] | None = None):
    # In this process: this file runs the importer a few hundred times (a subprocess each
    # would triple its time); other tests run the command as a real subprocess.
    data_args = [a for d in (data or [MINI]) for a in ("--data", str(d))]
    return cli_in_process(*data_args, "import", str(log), "--out", str(out), *flags)


def read(out: Path) -> rdflib.Graph:
    return rdflib.Graph().parse(out, format="turtle")


@pytest.fixture(scope="module")
def full(tmp_path_factory) -> rdflib.Graph:
    """The full log imported against the mini graph (checked to conform by the import)."""
    folder = tmp_path_factory.mktemp("full")
    out = folder / "t1.ttl"
    result = import_log(write_log(folder, full_log()), out)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"imported {len(full_log())} screening row(s)" in result.stderr
    return read(out)


def test_review_type_screeners_and_finding(full):
    assert full.value(T1, HG.reviewType) == HG.ScopingReview
    assert full.value(T1, HG.screenerCount) == Literal(2)
    assert full.value(T1, DCTERMS.description) == Literal(FIRST["finding"], lang="en")
    assert set(full.objects(T1, HG.reviewedHarm)) == {
        URIRef(ID + "harm/facet-a"),
        URIRef(ID + "harm/facet-b"),
    }
    assert set(full.objects(T1, HG.reviewedIntervention)) == {URIRef(ID + "intervention/type-t")}


@pytest.mark.parametrize(
    ("value", "term"),
    [
        ("rapid-web-scan", "RapidWebScan"),
        ("rapid-review", "RapidReview"),
        ("scoping-review", "ScopingReview"),
        ("systematic-review", "FullSystematicReview"),
    ],
)
def test_every_review_type(tmp_path, value, term):
    out = tmp_path / "t.ttl"
    result = import_log(write_log(tmp_path, [one_row(review_type=value)]), out)
    assert result.returncode == 0, result.stdout + result.stderr
    assert read(out).value(T1, HG.reviewType) == HG[term]


def test_screeners_default_to_one(tmp_path):
    out = tmp_path / "t.ttl"
    result = import_log(write_log(tmp_path, [one_row(screeners="")]), out)
    assert result.returncode == 0, result.stdout + result.stderr
    assert read(out).value(T1, HG.screenerCount) == Literal(1)


def test_searches_by_id_with_place_date_limit_count_aims_and_sought(full):
    assert set(full.objects(T1, HG.method)) == {srch(f"s{n}") for n in range(1, 8)}
    s1 = srch("s1")
    assert full.value(s1, RDF.type) == HG.KeywordSearch
    assert full.value(s1, HG.searchQuery) == Literal("interventions facet A")
    assert full.value(s1, HG.searchedIn) == Literal("a test bibliographic database")
    assert full.value(s1, HG.placeKind) == HG.BibliographicDatabase
    assert full.value(s1, HG.placeVersion) == Literal("November 2026 release")
    assert full.value(s1, DCTERMS.date) == Literal("2026-12-01", datatype=XSD_DATE)
    assert full.value(s1, HG.resultLimit) == Literal(50)
    assert full.value(s1, HG.resultsReturned) == Literal(4)
    assert set(full.objects(s1, HG.aimedAt)) == {URIRef(ID + "harm/facet-a"), HG.AnyIntervention}
    assert full.value(s1, HG.sought) == HG.SoughtInterventions
    s5 = srch("s5")
    assert full.value(s5, HG.placeKind) == HG.Register
    assert set(full.objects(s5, HG.aimedAt)) == {
        URIRef(ID + "intervention/type-t"),
        URIRef(ID + "harm/narrow-a"),
    }
    assert full.value(s5, HG.sought) == HG.SoughtEvaluations
    s6 = srch("s6")
    assert full.value(s6, RDF.type) == HG.OrganisationSearch
    assert full.value(s6, HG.organisation) == Literal("Test Organisation")
    assert full.value(s6, HG.placeKind) == HG.OrganisationWebsite
    assert full.value(s6, HG.sought) == HG.SoughtHarmEvidence
    assert set(full.objects(s6, HG.aimedAt)) == {
        URIRef(ID + "intervention/int-i"),
        URIRef(ID + "harm/facet-b"),
    }


def test_a_search_that_returned_nothing_has_no_record(full):
    for search in (srch("s5"), srch("s6")):
        assert full.value(search, HG.resultsReturned) == Literal(0)
        assert not list(full.subjects(HG.foundBy, search))


def test_known_item_lookup_is_aimed_at_nothing(full):
    lookup = srch("s2")
    assert full.value(lookup, RDF.type) == HG.KnownItemLookup
    assert full.value(lookup, HG.searchQuery) == Literal("A test report with a URL")
    assert full.value(lookup, HG.placeKind) == HG.WebIndex
    assert not list(full.objects(lookup, HG.aimedAt))
    assert not list(full.objects(lookup, HG.sought))
    assert list(full.subjects(HG.foundBy, lookup)) == [rec("r5")]


def test_carried_in_added_on_request_and_citation_chasing(full):
    assert full.value(srch("s3"), RDF.type) == HG.CarriedIn
    assert full.value(srch("s3"), HG.carriedFrom) == URIRef(ID + "review/r1")
    assert full.value(srch("s4"), RDF.type) == HG.AddedOnRequest
    assert full.value(srch("s7"), RDF.type) == HG.CitationChasing
    assert full.value(srch("s7"), HG.chasedFrom) == URIRef(ID + "source/src-1")
    assert full.value(rec("r6"), HG.foundBy) == srch("s3")
    assert full.value(rec("r7"), HG.foundBy) == srch("s4")


def test_one_record_per_row_by_id_each_found_by_its_search(full):
    assert set(full.objects(T1, HG.screened)) == {rec(f"r{n}") for n in range(1, 9)}
    found = {r: full.value(r, HG.foundBy) for r in full.objects(T1, HG.screened)}
    assert found == {
        rec("r1"): srch("s1"),
        rec("r2"): srch("s1"),
        rec("r3"): srch("s1"),
        rec("r4"): srch("s1"),
        rec("r5"): srch("s2"),
        rec("r6"): srch("s3"),
        rec("r7"): srch("s4"),
        rec("r8"): srch("s7"),
    }


def test_duplicate_of_and_report_of_name_earlier_and_later_records(full):
    assert full.value(rec("r3"), HG.duplicateOf) == rec("r4")  # a later record
    assert full.value(rec("r6"), HG.duplicateOf) == rec("r3")  # an earlier one
    assert full.value(rec("r1"), HG.reportOf) == rec("r2")  # a later record
    assert full.value(rec("r4"), HG.reportOf) == rec("r2")  # an earlier one
    assert full.value(rec("r3"), HG.exclusionReason) == HG.Duplicate


def test_supporting_and_secondary_report(full):
    supporting = rec("r1")
    assert full.value(supporting, HG.decision) == HG.Supporting
    assert full.value(supporting, HG.exclusionReason) is None
    assert full.value(supporting, HG.includedSource) is None
    assert full.value(supporting, DCTERMS.title) == Literal("the journal version")
    assert full.value(supporting, SCHEMA.url) == Literal("https://journal.example.org/a")
    secondary = rec("r4")
    assert full.value(secondary, HG.decision) == HG.Excluded
    assert full.value(secondary, HG.exclusionReason) == HG.SecondaryReport
    assert full.value(secondary, BIBO.doi) == Literal("10.1234/news.1")


def test_address_not_recorded(full):
    record = rec("r6")
    assert full.value(record, HG.addressNotRecorded) == Literal(
        "split from a record that stood for several items"
    )
    assert full.value(record, SCHEMA.url) is None and full.value(record, BIBO.doi) is None


def test_included_record_and_its_claims(full):
    assert full.value(rec("r2"), HG.decision) == HG.Included
    assert full.value(rec("r2"), HG.includedSource) == URIRef(ID + "source/src-1")
    assert set(full.objects(rec("r2"), HG.producedClaim)) == {URIRef(ID + "claim/c2")}


def test_both_decisions_second_reason_and_resolution(full):
    for n in range(1, 9):
        assert full.value(rec(f"r{n}"), HG.firstDecision) is not None, n
        assert full.value(rec(f"r{n}"), HG.secondDecision) is not None, n
    assert full.value(rec("r3"), HG.secondReason) == HG.Duplicate
    disagreed = rec("r4")
    assert full.value(disagreed, HG.firstDecision) == HG.Excluded
    assert full.value(disagreed, HG.secondDecision) == HG.Included
    assert full.value(disagreed, HG.decision) == HG.Excluded  # the final decision
    assert full.value(disagreed, HG.resolution) == Literal(
        "a third reader kept the exclusion: it reports the included study", lang="en"
    )
    # Where the screeners agree, no resolution is recorded.
    assert full.value(rec("r2"), HG.resolution) is None


def test_second_screening_seed_date_and_agent(full):
    second = full.value(T1, HG.secondScreening)
    assert second == URIRef(f"{T1}#second-screening")
    assert full.value(second, RDF.type) == HG.SecondScreening
    assert full.value(second, HG.sampleSeed) == Literal(42)
    assert full.value(second, DCTERMS.date) == Literal("2026-12-03", datatype=XSD_DATE)
    agent = full.value(second, PROV.wasAssociatedWith)
    assert agent == URIRef(ID + "agent/second-reader")
    assert full.value(agent, RDFS.label) == Literal("Second Reader")
    assert full.value(T1, PROV.wasAssociatedWith) == URIRef(ID + "agent/tester")


def test_record_ids_default_to_the_rows_place_in_its_review(tmp_path):
    rows = [
        one_row(record="", results_returned="2"),
        {
            "review": "t1",
            "search": "s1",
            "decision": "excluded",
            "reason": "duplicate",
            "duplicate_of": "1",
            "candidate_title": "the same page again",
            "candidate_url": "https://mirror.example.org/t1",
            "first_decision": "excluded",
            "second_decision": "excluded",
        },
    ]
    out = tmp_path / "t.ttl"
    result = import_log(write_log(tmp_path, rows), out)
    assert result.returncode == 0, result.stdout + result.stderr
    graph = read(out)
    assert set(graph.objects(T1, HG.screened)) == {rec("1"), rec("2")}
    assert graph.value(rec("2"), HG.duplicateOf) == rec("1")


# ------------------------------------------------------------------ bad values


def errors_of(result, log: Path) -> list[str]:
    """The lines that report rows of ``log`` (row errors on stderr, violations on stdout)."""
    lines = (result.stdout + "\n" + result.stderr).splitlines()
    return [line for line in lines if line.startswith(f"{log}:")]


#: (what, the rows' changes: {row index: {column: value}}, the row reported, a fragment of it)
BAD = [
    ("review_type", {0: {"review_type": "quick-look"}}, 2, "review_type 'quick-look'"),
    ("review_type missing", {0: {"review_type": ""}}, 2, "'review_type' is needed"),
    ("screeners zero", {0: {"screeners": "0"}}, 2, "screeners '0'"),
    ("screeners words", {0: {"screeners": "two"}}, 2, "screeners 'two'"),
    ("screeners superscript", {0: {"screeners": "²"}}, 2, "screeners '²'"),
    ("search id", {1: {"search": "S 1"}}, 3, "search 'S 1'"),
    ("search of another row", {1: {"search": "s1", "query": "another query"}}, 3, "'query'"),
    ("method", {4: {"method": "guesswork"}}, 6, "method 'guesswork'"),
    ("place_kind", {0: {"place_kind": "library"}}, 2, "place_kind 'library'"),
    ("place_kind missing", {0: {"place_kind": ""}}, 2, "'place_kind'"),
    ("search_date form", {0: {"search_date": "01/12/2026"}}, 2, "search_date '01/12/2026'"),
    ("search_date missing", {0: {"search_date": ""}}, 2, "'search_date'"),
    ("result_limit", {0: {"result_limit": "eight"}}, 2, "result_limit 'eight'"),
    ("result_limit missing", {0: {"result_limit": ""}}, 2, "'result_limit'"),
    ("results_returned", {0: {"results_returned": "-1"}}, 2, "results_returned '-1'"),
    ("aimed_at kind", {0: {"aimed_at": "technology/tech-x"}}, 2, "aimed_at: 'technology/tech-x'"),
    ("aimed_at unknown", {0: {"aimed_at": "harm/nothing"}}, 2, "aimed_at: 'harm/nothing'"),
    ("aimed_at missing", {0: {"aimed_at": ""}}, 2, "'aimed_at'"),
    ("aimed_at on a look-up", {4: {"aimed_at": "harm/facet-a"}}, 6, "'aimed_at'"),
    ("sought on a look-up", {4: {"sought": "interventions"}}, 6, "'sought'"),
    ("sought", {0: {"sought": "rumours"}}, 2, "sought 'rumours'"),
    ("carried_from", {5: {"carried_from": "nothing"}}, 7, "carried_from 'nothing'"),
    ("record id", {6: {"record": "R 7"}}, 8, "record 'R 7'"),
    ("record id twice", {2: {"record": "r2"}}, 4, "record 'r2'"),
    ("duplicate_of unknown", {2: {"duplicate_of": "r99"}}, 4, "duplicate_of 'r99'"),
    ("duplicate_of missing", {2: {"duplicate_of": ""}}, 4, "'duplicate_of'"),
    ("report_of unknown", {0: {"report_of": "r99"}}, 2, "report_of 'r99'"),
    ("report_of source", {3: {"report_of": "source/nothing"}}, 5, "report_of 'source/nothing'"),
    ("supporting without report_of", {0: {"report_of": ""}}, 2, "'report_of'"),
    ("supporting with a source", {0: {"source": "source/src-2"}}, 2, "supporting"),
    ("decision", {1: {"decision": "maybe"}}, 3, "decision 'maybe'"),
    ("reason", {2: {"reason": "secondary"}}, 4, "'reason'"),
    ("first_decision", {2: {"first_decision": "maybe"}}, 4, "first_decision 'maybe'"),
    ("first_decision missing", {2: {"first_decision": ""}}, 4, "first_decision ''"),
    ("second_decision", {2: {"second_decision": "maybe"}}, 4, "second_decision 'maybe'"),
    ("second_reason", {2: {"second_reason": "boring"}}, 4, "second_reason 'boring'"),
    ("resolution missing", {3: {"resolution": ""}}, 5, "'resolution'"),
    ("second_seed", {0: {"second_seed": "seed"}}, 2, "second_seed 'seed'"),
    ("second_seed negative", {0: {"second_seed": "-1"}}, 2, "second_seed '-1'"),
    ("second_date form", {0: {"second_date": "3 Dec 2026"}}, 2, "second_date '3 Dec 2026'"),
    ("second_date missing", {0: {"second_date": ""}}, 2, "'second_date'"),
    ("second_agent missing", {0: {"second_agent": ""}}, 2, "'second_agent'"),
    ("candidate_url", {6: {"candidate_url": "ftp://example.org/x"}}, 8, "candidate_url"),
    # Well-formed but impossible dates are bad values too, and so is a count that does not
    # match the rows of its search: each is reported at its row, without a traceback.
    ("date impossible", {0: {"date": "2026-02-30"}}, 2, "2026-02-30"),
    ("search_date impossible", {0: {"search_date": "2026-13-01"}}, 2, "2026-13-01"),
    ("second_date impossible", {0: {"second_date": "2026-12-32"}}, 2, "2026-12-32"),
    ("results_returned one too many", {0: {"results_returned": "5"}}, 2, "results"),
    ("results_returned one too few", {0: {"results_returned": "3"}}, 2, "results"),
]


@pytest.mark.parametrize(("what", "changes", "row", "fragment"), BAD, ids=[b[0] for b in BAD])
def test_a_bad_value_is_one_line_at_its_row_and_nothing_is_written(
    tmp_path, what, changes, row, fragment
):
    rows = full_log()
    for index, cells in changes.items():
        rows[index] = {**rows[index], **cells}
    log = write_log(tmp_path, rows)
    out = tmp_path / "t.ttl"
    result = import_log(log, out)
    assert result.returncode == 1, result.stdout + result.stderr
    assert not out.exists() and not (tmp_path / "t.ttl.report.csv").exists()
    assert "Traceback" not in result.stderr + result.stdout, result.stderr
    reported = [line for line in errors_of(result, log) if line.startswith(f"{log}:{row}: ")]
    assert any(fragment in line for line in reported), (result.stdout, result.stderr)
    # Every line is a row's one-line error, or the one-line summary.
    for line in result.stderr.splitlines():
        assert line.startswith(f"{log}:") or re.fullmatch(
            r"harmgraph: (\d+ bad row\(s\)|the import does not conform): nothing written", line
        ), line


def test_the_full_log_is_good(tmp_path):
    """The log the bad values spoil is good as it is (so each bad case fails for its value)."""
    out = tmp_path / "t.ttl"
    result = import_log(write_log(tmp_path, full_log()), out)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stderr.strip() == f"imported {len(full_log())} screening row(s)"
    validated = run_cli("--data", str(MINI), "--data", str(out), "validate")
    assert validated.returncode == 0, validated.stdout + validated.stderr


# ------------------------------------------------------------------ Partial review on --skip-bad


def imported_rows(log: Path) -> tuple[rdflib.Graph, list[int]]:
    """Run the screening-log importer itself on ``log`` against the mini graph: its graph of
    the good rows, as built before the import is validated, and the numbers of the bad rows."""
    from harmgraph import load_graph
    from harmgraph.importing.screening import import_screening

    result = import_screening(log.read_text(encoding="utf-8"), load_graph([MINI]))
    graph = rdflib.Graph().parse(data=result.turtle, format="turtle")
    return graph, [number for number, _ in result.bad]


def complete_reviews(graph: rdflib.Graph) -> None:
    """Assert that every node used as a review (it screens records or has methods) is a whole
    review: typed, titled, dated, with an agent, a method, a review type and screeners."""
    used = set(graph.subjects(HG.screened, None)) | set(graph.subjects(HG.method, None))
    for review in used:
        for predicate in (SKOS.prefLabel, DCTERMS.date, PROV.wasAssociatedWith, HG.method):
            assert graph.value(review, predicate) is not None, (review, predicate)
        assert (review, RDF.type, HG.Review) in graph, review
        assert graph.value(review, HG.reviewType) is not None, review
        assert graph.value(review, HG.screenerCount) is not None, review


def test_partial_review_on_skip_bad(tmp_path):
    """Regression, "Partial review on --skip-bad": the first row of a review fails after its
    review cells passed. The review must not stay registered, so the rows after it must not
    make a review with no type, title, date, agent or method."""
    first = one_row("t9", results_returned="2", decision="maybe")
    rest = {
        "review": "t9",
        "method": "keyword-search",
        "query": first["query"],
        "searched_in": first["searched_in"],
        "search": "s1",
        "record": "r2",
        "decision": "excluded",
        "reason": "off-topic",
        "candidate_title": "another page",
        "candidate_url": "https://example.org/another",
        "first_decision": "excluded",
        "second_decision": "excluded",
    }
    log = write_log(tmp_path, [first, rest, one_row("t1")])
    # What the importer makes of the good rows, before the import is validated.
    staged, bad = imported_rows(log)
    complete_reviews(staged)
    assert bad == [2, 3]
    out = tmp_path / "t.ttl"
    result = import_log(log, out, "--skip-bad")
    assert result.returncode == 0, result.stdout + result.stderr
    graph = read(out)
    complete_reviews(graph)
    t9 = URIRef(ID + "review/t9")
    assert not list(graph.triples((t9, None, None))) and not list(graph.triples((None, None, t9)))
    assert not [s for s in graph.subjects() if str(s).startswith(f"{t9}#")]
    # The review that follows is imported whole.
    assert graph.value(T1, HG.reviewType) == HG.ScopingReview
    assert f"{log}:2: decision 'maybe'" in result.stderr
    assert f"{log}:3: review 't9' starts here, so 'review_title' is needed" in result.stderr
    report = (tmp_path / "t.ttl.report.csv").read_text(encoding="utf-8")
    assert [r["row"] for r in csv.DictReader(io.StringIO(report))] == ["2", "3"]


def test_partial_search_on_skip_bad(tmp_path):
    """The same for a search: its first row fails, so the next row of that search is its first
    and must carry the search's cells; no search is left without its query, place or count."""
    rows = [
        one_row("t1"),
        its_own_search(1, results_returned="2", decision="maybe"),
        {
            "review": "t1",
            "search": "h1",
            "record": "x2",
            "decision": "excluded",
            "reason": "off-topic",
            "candidate_title": "another page",
            "candidate_url": "https://example.org/another",
            "first_decision": "excluded",
            "second_decision": "excluded",
        },
    ]
    log = write_log(tmp_path, rows)
    staged, bad = imported_rows(log)
    assert bad == [3, 4]
    assert set(staged.objects(T1, HG.method)) == {srch("s1")}
    assert not list(staged.subjects(HG.foundBy, srch("h1")))
    out = tmp_path / "t.ttl"
    result = import_log(log, out, "--skip-bad")
    assert result.returncode == 0, result.stdout + result.stderr
    graph = read(out)
    complete_reviews(graph)
    assert set(graph.objects(T1, HG.method)) == {srch("s1")}
    assert not [s for s in graph.subjects() if str(s).startswith(f"{T1}#search-h1")]
    assert not list(graph.subjects(HG.foundBy, srch("h1")))
    assert f"{log}:3: decision 'maybe'" in result.stderr
    # Row 4 is now the first row of search h1, and it does not say what the search was.
    assert f"{log}:4: method '' is not one of" in result.stderr


# ------------------------------------------------------------------ hostile cells

HOSTILE = [
    'a "double-quoted" value',
    "back\\slash and \\u0041",
    "<angle> & ampersand # hash",
    "non-ASCII é 中文 😀 \u202e",
    '" ; hg:evil "injected" ; rdf:type hg:Harm . <x> <y> <z> . #',
    "}}] ) . @prefix ex: <http://example.org/> .",
    "line one\nline two",
    "https://evil.example/a> <b> <c",
    "https://evil.example/control\x01char",
    "https://evil.example/delete\x7fchar",
    "../../etc/passwd",
    "harm/facet-b> <x",
    "Upper_Case",
    "x" * 81,
]


def hostile_rows(column: str) -> list[dict[str, str]]:
    """Review t1 (a good row), then one row per hostile value in ``column``, each a review or a
    search of its own so that skipping it leaves the others whole."""
    good = [one_row("t1")]
    if column in ("review", "harms", "interventions", "agent", "second_agent"):
        if column == "review":
            return good + [one_row(value) for value in HOSTILE]
        return good + [one_row(f"h{n}", **{column: v}) for n, v in enumerate(HOSTILE)]
    per_column = {
        "search": lambda n, v: {"search": v},
        "aimed_at": lambda n, v: {"aimed_at": v},
        "carried_from": lambda n, v: {
            **dict.fromkeys(("query", "searched_in", "place_kind", "search_date", "aimed_at")),
            **dict.fromkeys(("result_limit", "results_returned", "sought")),
            "method": "carried-in",
            "carried_from": v,
        },
        "chased_from": lambda n, v: {
            **dict.fromkeys(("query", "searched_in", "place_kind", "search_date", "aimed_at")),
            **dict.fromkeys(("result_limit", "results_returned", "sought")),
            "method": "citation-chasing",
            "chased_from": v,
        },
        "record": lambda n, v: {"record": v},
        "duplicate_of": lambda n, v: {"reason": "duplicate", "duplicate_of": v},
        "report_of": lambda n, v: {"reason": "secondary-report", "report_of": v},
        "source": lambda n, v: {
            **dict.fromkeys(("reason", "candidate_title", "candidate_url")),
            "decision": "included",
            "source": v,
            "first_decision": "included",
            "second_decision": "included",
        },
        "claims": lambda n, v: {
            **dict.fromkeys(("reason", "candidate_title", "candidate_url")),
            "decision": "included",
            "source": "source/src-1",
            "claims": v,
            "first_decision": "included",
            "second_decision": "included",
        },
        "candidate_url": lambda n, v: {"candidate_url": v},
    }[column]
    rows = [its_own_search(n, **per_column(n, v)) for n, v in enumerate(HOSTILE)]
    return good + [{k: v for k, v in row.items() if v is not None} for row in rows]


IRI_COLUMNS = [
    "review",
    "harms",
    "interventions",
    "search",
    "record",
    "duplicate_of",
    "report_of",
    "aimed_at",
    "carried_from",
    "source",
    "claims",
    "chased_from",
    "candidate_url",
]


def no_hostile_iri(graph: rdflib.Graph) -> None:
    """No IRI in ``graph`` carries any part of a hostile value."""
    iris = {str(t) for triple in graph for t in triple if isinstance(t, URIRef)}
    for iri in iris:
        assert re.fullmatch(r"[A-Za-z0-9:/#._~%-]+", iri), iri
        assert "evil" not in iri and "etc" not in iri, iri


@pytest.mark.parametrize("column", IRI_COLUMNS)
def test_hostile_cells_that_become_iris_are_row_errors(tmp_path, column):
    log = write_log(tmp_path, hostile_rows(column))
    out = tmp_path / "t.ttl"
    result = import_log(log, out)
    assert result.returncode == 1, result.stdout + result.stderr
    assert not out.exists()
    assert "Traceback" not in result.stderr
    reported = {int(line.split(":")[1]) for line in errors_of(result, log)}
    assert reported == set(range(3, 3 + len(HOSTILE))), (result.stdout, result.stderr)
    # With --skip-bad every hostile row is skipped, and the good review is written whole.
    skipped = import_log(log, out, "--skip-bad")
    assert skipped.returncode == 0, skipped.stdout + skipped.stderr
    assert "Traceback" not in skipped.stderr
    graph = read(out)
    no_hostile_iri(graph)
    complete_reviews(graph)
    assert set(graph.subjects(RDF.type, HG.ScreeningRecord)) == {rec("r1")}
    report = (tmp_path / "t.ttl.report.csv").read_text(encoding="utf-8")
    assert [int(r["row"]) for r in csv.DictReader(io.StringIO(report))] == list(
        range(3, 3 + len(HOSTILE))
    )


AGENT_ADDRESSES = {n for n, v in enumerate(HOSTILE) if v.startswith(("http://", "https://"))}


def agent_of(graph: rdflib.Graph, review: URIRef, column: str) -> URIRef | None:
    subject = review if column == "agent" else graph.value(review, HG.secondScreening)
    return graph.value(subject, PROV.wasAssociatedWith)


@pytest.mark.parametrize("column", ["agent", "second_agent"])
def test_hostile_agent_names_become_labels(tmp_path, column):
    """An agent is an http(s) IRI or a name (docs/import.md): a hostile name becomes a slug IRI,
    and its text the agent's rdfs:label exactly as written, adding no other triple."""
    rows = hostile_rows(column)
    names = [row for n, row in enumerate(rows[1:]) if n not in AGENT_ADDRESSES]
    log = write_log(tmp_path, [rows[0], *names])
    out = tmp_path / "t.ttl"
    result = import_log(log, out)
    assert result.returncode == 0, result.stdout + result.stderr
    graph = read(out)
    for iri in {str(t) for triple in graph for t in triple if isinstance(t, URIRef)}:
        assert re.fullmatch(r"[A-Za-z0-9:/#._~-]+", iri), iri
    complete_reviews(graph)
    for row in names:
        agent = agent_of(graph, URIRef(ID + "review/" + row["review"]), column)
        assert re.fullmatch(ID + r"agent/[a-z0-9][a-z0-9-]{0,59}", str(agent)), agent
        assert list(graph.objects(agent, RDFS.label)) == [Literal(row[column].strip())]
        assert set(graph.predicate_objects(agent)) == {
            (RDF.type, PROV.Agent),
            (RDFS.label, Literal(row[column].strip())),
        }


@pytest.mark.parametrize("column", ["agent", "second_agent"])
def test_hostile_agent_addresses_are_row_errors(tmp_path, column):
    """A value that starts as an http(s) address but is not a valid IRI (a space, an angle
    bracket, a control character) is a row error: never an IRI in the Turtle (which would not
    parse), never a name, never a traceback; --skip-bad skips it."""
    rows = hostile_rows(column)
    log = write_log(tmp_path, [rows[0], *(rows[1 + n] for n in sorted(AGENT_ADDRESSES))])
    out = tmp_path / "t.ttl"
    result = import_log(log, out)
    assert "Traceback" not in result.stderr
    assert "imported.ttl" not in result.stderr + result.stdout, result.stderr
    assert result.returncode == 1, result.stdout + result.stderr
    assert not out.exists()
    reported = {int(line.split(":")[1]) for line in errors_of(result, log)}
    assert reported == set(range(3, 3 + len(AGENT_ADDRESSES))), result.stderr
    skipped = import_log(log, out, "--skip-bad")
    assert skipped.returncode == 0, skipped.stdout + skipped.stderr
    graph = read(out)
    no_hostile_iri(graph)
    assert set(graph.subjects(RDF.type, HG.Review)) == {T1}


def test_two_agents_named_without_latin_letters_are_not_one_agent(tmp_path):
    """Two reviewers whose names have no ASCII letter or digit must not become one agent."""
    log = write_log(
        tmp_path, [one_row("t1", agent="李明"), one_row("t2", agent="王芳")], name="agents.csv"
    )
    out = tmp_path / "t.ttl"
    result = import_log(log, out)
    assert "Traceback" not in result.stderr
    if result.returncode == 0:
        graph = read(out)
        agents = {agent_of(graph, URIRef(ID + f"review/{slug}"), "agent") for slug in ("t1", "t2")}
        assert len(agents) == 2, agents
    else:
        assert f"{log}:2: " in result.stderr and f"{log}:3: " in result.stderr


# ------------------------------------------------------------------ the bundled logs and the example


@pytest.mark.parametrize("log", LOGS, ids=[p.stem for p in LOGS])
def test_bundled_log_round_trips_to_its_review_file(tmp_path, log):
    """Each bundled screening log, imported against the bundled graph without its own review
    file, gives exactly that review file (blank nodes compared canonically)."""
    review_file = ROOT / "graph" / "kb" / f"review-{log.stem}.ttl"
    assert review_file.exists(), review_file
    others = [p for p in sorted((ROOT / "graph" / "kb").glob("*.ttl")) if p != review_file]
    out = tmp_path / "review.ttl"
    result = import_log(log, out, data=others)
    assert result.returncode == 0, result.stdout + result.stderr
    rows = sum(1 for _ in csv.DictReader(io.StringIO(log.read_text(encoding="utf-8"))))
    assert result.stderr.strip() == f"imported {rows} screening row(s)"
    assert canonical(out.read_text(encoding="utf-8"), "turtle") == canonical(
        review_file.read_text(encoding="utf-8"), "turtle"
    )


def test_every_bundled_review_file_has_its_log():
    reviews = sorted(
        p.name.removeprefix("review-") for p in (ROOT / "graph" / "kb").glob("review-*.ttl")
    )
    assert reviews == sorted(f"{p.stem}.ttl" for p in LOGS)


def test_example_log_imports_eight_rows(tmp_path):
    out = tmp_path / "example.ttl"
    result = run_cli("import", str(EXAMPLE), "--out", str(out))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stderr.strip() == "imported 8 screening row(s)"
    graph = read(out)
    review = URIRef(ID + "review/example-survivor-models-scan")
    assert graph.value(review, HG.reviewType) == HG.RapidWebScan
    assert len(set(graph.objects(review, HG.screened))) == 8
    validated = run_cli("--data", str(ROOT / "graph" / "kb"), "--data", str(out), "validate")
    assert validated.returncode == 0, validated.stdout + validated.stderr
