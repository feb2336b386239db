"""A team's own review (issue 21): RIS files of searches in, true de-duplication, decisions from
ASReview LAB, the review's records out as RIS, its PRISMA 2020 figure, and bad input.

The fixture in tests/data/own-review was made by the real tools (tests/make_asreview_fixture.py:
rispy wrote the searches, harmgraph imported and exported them, ASReview LAB screened and
exported them); one test makes it again with ASReview LAB and imports the new exports.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
import rdflib
import rispy
from click.testing import CliRunner

from harmgraph.cli import cli
from harmgraph.importing.dedup import Record, find_duplicates
from harmgraph.model.coverage import coverage
from harmgraph.model.reviews import read_reviews
from harmgraph.rdf.load import kb_dir, load_graph

# One test process runs this module, so its imported reviews are made once.
pytestmark = pytest.mark.xdist_group("own-review")

FIXTURE = Path(__file__).resolve().parent / "data" / "own-review"
REVIEW = "https://w3id.org/harmgraph/id/review/own-review-example"
HG = rdflib.Namespace("https://w3id.org/harmgraph/ontology#")
DCTERMS = rdflib.Namespace("http://purl.org/dc/terms/")
BIBO = rdflib.Namespace("http://purl.org/ontology/bibo/")


def figure_text(svg: str) -> str:
    """The words of an SVG figure, its lines joined by spaces (a box wraps its text)."""
    lines = re.findall(r"<text[^>]*>([^<]*)</text>", svg)
    return " ".join(lines).replace("\u00a0", " ")


def harmgraph(*args: str):  # noqa: ANN201 - click's Result
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def copy_fixture(folder: Path) -> Path:
    for name in ("scopus.ris", "scopus.ris.toml", "wos.ris", "wos.ris.toml"):
        shutil.copy(FIXTURE / name, folder / name)
    return folder


def decisions(path: Path) -> dict[str, str]:
    graph = rdflib.Graph().parse(path)
    return {
        str(s).rsplit("#", 1)[-1]: str(o).rsplit("#", 1)[-1]
        for s, o in graph.subject_objects(HG.decision)
    }


@pytest.fixture(scope="module")
def searched(tmp_path_factory) -> Path:
    """The review after importing both searches."""
    folder = copy_fixture(tmp_path_factory.mktemp("searched"))
    for name in ("scopus.ris", "wos.ris"):
        result = harmgraph("import", str(folder / name), "--out", str(folder / "review.ttl"))
        assert result.exit_code == 0, result.output
    return folder / "review.ttl"


@pytest.fixture(scope="module")
def screened(tmp_path_factory, searched: Path) -> Path:
    """The review after the title-and-abstract and the full-text decisions of ASReview LAB."""
    out = tmp_path_factory.mktemp("screened") / "review.ttl"
    shutil.copy(searched, out)
    for name, stage in (("title-abstract.csv", "title-abstract"), ("full-text.csv", "full-text")):
        result = harmgraph("import", str(FIXTURE / name), "--stage", stage, "--out", str(out))
        assert result.exit_code == 0, result.output
    return out


# ------------------------------------------------------------------- records from a search
def test_every_entry_becomes_a_record_with_its_fields(searched: Path):
    graph = rdflib.Graph().parse(searched)
    review = rdflib.URIRef(REVIEW)
    records = set(graph.objects(review, HG.screened))
    assert len(records) == 5 + 7
    first = rdflib.URIRef(REVIEW + "#record-scopus-1")
    assert str(graph.value(first, DCTERMS.title)).startswith("Evaluating deterrence messages")
    authors = rdflib.collection.Collection(graph, graph.value(first, BIBO.authorList))
    assert [str(a) for a in authors] == ["Example, Ann", "Sample, Bo"]
    assert str(graph.value(first, DCTERMS.date)) == "2024"
    assert str(graph.value(first, BIBO.doi)) == "10.5555/HG-TEST.1"
    # An entry with neither DOI nor address is kept, and says why it has no address.
    fifth = rdflib.URIRef(REVIEW + "#record-scopus-5")
    assert graph.value(fifth, HG.addressNotRecorded) is not None
    search = rdflib.URIRef(REVIEW + "#search-scopus")
    assert graph.value(search, HG.searchQuery).startswith("TITLE-ABS-KEY(")
    assert graph.value(search, HG.searchedIn) == rdflib.Literal("Scopus")
    assert graph.value(search, HG.placeKind) == HG.BibliographicDatabase
    assert int(graph.value(search, HG.resultsReturned)) == 5
    assert int(graph.value(search, HG.resultLimit)) == 20000


def test_new_records_await_screening(searched: Path):
    found = decisions(searched)
    assert found["record-scopus-1"] == "AwaitingScreening"
    assert sum(d == "AwaitingScreening" for d in found.values()) == 9


# ------------------------------------------------------------------------ de-duplication
def test_planted_duplicates(searched: Path):
    graph = rdflib.Graph().parse(searched)
    copies = {
        str(s).rsplit("#", 1)[-1]: str(o).rsplit("#", 1)[-1]
        for s, o in graph.subject_objects(HG.duplicateOf)
    }
    assert copies == {
        # the same paper from two databases, its DOI in another case and as an address
        "record-wos-1": "record-scopus-1",
        "record-wos-5": "record-scopus-4",
        # the same report without a DOI: by title and year
        "record-wos-4": "record-scopus-3",
    }
    for copy in copies:
        node = rdflib.URIRef(f"{REVIEW}#{copy}")
        assert graph.value(node, HG.decision) == HG.Excluded
        assert graph.value(node, HG.exclusionReason) == HG.Duplicate
    found = decisions(searched)
    # the preprint of an article is not a duplicate, nor is another year's paper of one title
    assert found["record-wos-2"] == "AwaitingScreening"
    assert found["record-wos-3"] == "AwaitingScreening"


def test_duplicates_are_counted_before_screening(searched: Path):
    result = harmgraph(
        "--data", str(kb_dir()), "--data", str(searched), "prisma", "own-review-example"
    )
    text = figure_text(result.output)
    assert "duplicate records (n = 3)" in text
    assert "Records identified (n = 12)" in text
    assert "Records awaiting screening (n = 9)" in text
    assert "Records screened (n = 0)" in text


def test_dedup_keeps_first_and_never_matches_different_dois():
    records = [
        Record("a", "Same title", "2020", "10.5555/A"),
        Record("b", "Same title", "2020", "10.5555/B"),  # another DOI: another paper
        Record("c", "Same Title!", "2020", ""),  # no DOI: a copy of the first
        Record("d", "Same title", "2020", "", "https://arxiv.org/abs/2001.00001"),  # a preprint
    ]
    assert find_duplicates(records) == {"c": "a"}


# ----------------------------------------------------------------------- ASReview LAB
def test_title_abstract_labels_become_decisions(tmp_path: Path, searched: Path):
    out = tmp_path / "review.ttl"
    shutil.copy(searched, out)
    result = harmgraph("import", str(FIXTURE / "title-abstract.csv"), "--out", str(out))
    assert result.exit_code == 0, result.output
    assert "3 relevant, 4 irrelevant; 2 unlabelled left unscreened" in result.output
    found = decisions(out)
    assert found["record-scopus-1"] == "AwaitingAssessment"
    assert found["record-wos-2"] == "AwaitingAssessment"  # ASReview's group of one title
    # an unlabelled record stays unscreened: it is not excluded
    assert found["record-scopus-5"] == "AwaitingScreening"
    assert found["record-wos-7"] == "AwaitingScreening"
    graph = rdflib.Graph().parse(out)
    reasons = {
        str(s).rsplit("#", 1)[-1]: str(o).rsplit("#", 1)[-1]
        for s, o in graph.subject_objects(HG.exclusionReason)
        if o != HG.Duplicate
    }
    # a reason in a note, in a tag group exported as 'reason', in other words
    assert reasons == {
        "record-scopus-4": "OffTopic",
        "record-scopus-3": "NoAIDimension",
        "record-wos-3": "NoAIDimension",
        "record-wos-6": "OperationalDetail",
    }


def test_ris_export_gives_the_same_decisions_as_csv(tmp_path: Path, searched: Path):
    outs = {}
    for name in ("title-abstract.csv", "title-abstract.ris"):
        out = tmp_path / (name + ".ttl")
        shutil.copy(searched, out)
        result = harmgraph("import", str(FIXTURE / name), "--out", str(out))
        assert result.exit_code == 0, result.output
        outs[name] = decisions(out)
    assert outs["title-abstract.csv"] == outs["title-abstract.ris"]


def test_full_text_labels_include_a_source(screened: Path):
    found = decisions(screened)
    assert found["record-scopus-1"] == "Included"
    assert found["record-scopus-2"] == "Excluded"
    graph = rdflib.Graph().parse(screened)
    source = graph.value(rdflib.URIRef(REVIEW + "#record-scopus-1"), HG.includedSource)
    assert graph.value(source, HG.sourceKind) == HG.PeerReviewedArticle
    assert str(graph.value(source, BIBO.doi)) == "10.5555/HG-TEST.1"
    assert graph.value(rdflib.URIRef(REVIEW + "#record-scopus-2"), HG.exclusionReason) == (
        HG.NoOutcomeData
    )


def test_prisma_figure_has_the_right_count_in_each_box(screened: Path, tmp_path: Path):
    out = tmp_path / "prisma.svg"
    result = harmgraph(
        "--data",
        str(kb_dir()),
        "--data",
        str(screened),
        "prisma",
        "own-review-example",
        "-o",
        str(out),
    )
    assert result.exit_code == 0, result.output
    svg = out.read_text(encoding="utf-8")
    text = figure_text(svg)
    for box in (
        "Records identified (n = 12)",
        "Scopus (n = 5)",
        "Web of Science Core Collection (n = 7)",
        "duplicate records (n = 3)",
        "Records screened (n = 7)",
        "Records awaiting screening (n = 2)",
        "Records excluded (n = 4)",
        "Reports sought for retrieval (n = 3)",
        "Reports assessed for eligibility (n = 2)",
        "Reports awaiting assessment (n = 1)",
        "Reports excluded (n = 1)",
        "no outcome data (n = 1)",
        "Studies included in review (n = 1)",
        "Reports of included studies (n = 1)",
    ):
        assert box in text, box
    # self-contained: nothing is loaded from anywhere
    assert not re.search(r"(href|src)=\"(?!#)", svg)
    png = tmp_path / "prisma.png"
    result = harmgraph(
        "--data",
        str(kb_dir()),
        "--data",
        str(screened),
        "prisma",
        "own-review-example",
        "--format",
        "png",
        "-o",
        str(png),
    )
    assert result.exit_code == 0 and png.read_bytes().startswith(b"\x89PNG")


def test_prisma_of_no_such_review_is_exit_1():
    result = CliRunner().invoke(cli, ["prisma", "no-such-review"])
    assert result.exit_code == 1
    assert "no-such-review: no such review in the graph" in result.output


def test_review_in_progress_searches_nothing_for_the_map(screened: Path):
    graph = load_graph([kb_dir(), screened])
    review = next(r for r in read_reviews(graph) if r.iri == REVIEW)
    assert review.awaiting
    cover = coverage(graph)
    harm = "https://w3id.org/harmgraph/id/harm/synthetic-csam-of-unabused-children"
    assert all(
        hit.review.iri != REVIEW
        for intervention in ("https://w3id.org/harmgraph/id/intervention/hash-matching",)
        for hit in cover.cell(harm, intervention)
    )


def test_irrelevant_without_reason_is_refused_unless_stated(tmp_path: Path, searched: Path):
    text = (FIXTURE / "title-abstract.csv").read_text(encoding="utf-8")
    bare = tmp_path / "bare.csv"
    bare.write_text(text.replace("reason: off-topic", ""), encoding="utf-8")
    out = tmp_path / "review.ttl"
    shutil.copy(searched, out)
    before = out.read_bytes()
    result = harmgraph("import", str(bare), "--out", str(out))
    assert result.exit_code == 1
    assert "is labelled irrelevant with no reason" in result.output
    assert "nothing written" in result.output and out.read_bytes() == before
    result = harmgraph("import", str(bare), "--default-reason", "off-topic", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert decisions(out)["record-scopus-4"] == "Excluded"


def test_a_reason_that_maps_to_nothing_is_refused(tmp_path: Path, searched: Path):
    text = (FIXTURE / "title-abstract.csv").read_text(encoding="utf-8")
    odd = tmp_path / "odd.csv"
    odd.write_text(text.replace("reason: off-topic", "reason: wrong population"), "utf-8")
    out = tmp_path / "review.ttl"
    shutil.copy(searched, out)
    result = harmgraph("import", str(odd), "--out", str(out))
    assert result.exit_code == 1
    assert "the reason 'wrong population' is not on the closed list" in result.output


def test_asreview_fixture_regenerates_with_asreview_itself(tmp_path: Path, searched: Path):
    """ASReview LAB makes its exports again; they import to the same decisions."""
    import subprocess
    import sys

    made = subprocess.run(
        [sys.executable, str(Path(__file__).parent / "make_asreview_fixture.py"), str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert made.returncode == 0, made.stderr[-2000:]
    expected = json.loads((tmp_path / "expected.json").read_text(encoding="utf-8"))
    assert expected == json.loads((FIXTURE / "expected.json").read_text(encoding="utf-8"))
    for name in ("title-abstract.csv", "title-abstract.ris"):
        fresh, committed = tmp_path / f"fresh-{name}.ttl", tmp_path / f"committed-{name}.ttl"
        for out, folder in ((fresh, tmp_path), (committed, FIXTURE)):
            shutil.copy(searched, out)
            result = harmgraph("import", str(folder / name), "--out", str(out))
            assert result.exit_code == 0, result.output
        assert decisions(fresh) == decisions(committed)


# ----------------------------------------------------------------------- records out
def test_records_out_round_trip_through_rispy(screened: Path, tmp_path: Path):
    out = tmp_path / "records.ris"
    result = harmgraph(
        "--data",
        str(kb_dir()),
        "--data",
        str(screened),
        "export",
        "--format",
        "ris",
        "--review",
        "own-review-example",
        "-o",
        str(out),
    )
    assert result.exit_code == 0, result.output
    entries = rispy.loads(out.read_text(encoding="utf-8"))
    by_id = {e["id"].rsplit("#", 1)[-1]: e for e in entries}
    # every record but the three duplicates, each with every field it was imported with
    assert len(entries) == 12 - 3
    for search in ("scopus", "wos"):
        source = rispy.loads((FIXTURE / f"{search}.ris").read_text(encoding="utf-8"))
        for number, entry in enumerate(source, start=1):
            back = by_id.get(f"record-{search}-{number}")
            if back is None:
                continue  # a duplicate
            for key in ("type_of_reference", "title", "authors", "year", "urls"):
                assert back.get(key) == entry.get(key), (search, number, key)
            assert back.get("doi", "").lower() == (
                entry.get("doi", "").lower().removeprefix("https://doi.org/")
            )


def test_review_option_needs_ris_format():
    result = CliRunner().invoke(cli, ["export", "--format", "turtle", "--review", "x"])
    assert result.exit_code == 2
    assert "use --format ris" in result.output


# ----------------------------------------------------------------------- bad input
SIDECAR = (FIXTURE / "scopus.ris.toml").read_text(encoding="utf-8")
GOOD_ENTRY = "TY  - JOUR\nTI  - A study of {n}\nAU  - Example, Ann\nPY  - 2020\nER  - \n\n"


def write_search(folder: Path, text: str | bytes, sidecar: str = SIDECAR) -> Path:
    path = folder / "search.ris"
    if isinstance(text, str):
        text = text.encode("utf-8")
    path.write_bytes(text)
    (folder / "search.ris.toml").write_text(sidecar, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            GOOD_ENTRY.format(n=1) + "TY  - JOUR\nAU  - Example, Ann\nER  - \n",
            ":7: entry 2: no title",
        ),
        ("PMID- 123\n" + GOOD_ENTRY.format(n=1), ":1: text before the first entry"),
        (
            GOOD_ENTRY.format(n=1) + "TY  - JOUR\nTI  - Unfinished\n",
            ":7: entry 2: no end of record",
        ),
        (
            GOOD_ENTRY.format(n=1) + "TY  - JOUR\nTI  - X\nDO  - not a doi\nER  - \n",
            ":7: entry 2: DO 'not a doi' is not a DOI",
        ),
        (
            (GOOD_ENTRY.format(n=1) + "TY  - JOUR\nTI  - Caf\u00e9\nER  - \n").encode("cp1252"),
            ":8: entry 2: byte 0xe9 is not UTF-8",
        ),
    ],
    ids=["no-title", "broken-tag", "no-end", "bad-doi", "wrong-encoding"],
)
def test_bad_entry_is_one_line_with_its_number_and_nothing_is_written(
    tmp_path: Path, text: str | bytes, message: str
):
    path = write_search(tmp_path, text)
    out = tmp_path / "review.ttl"
    result = harmgraph("import", str(path), "--out", str(out))
    assert result.exit_code in (1, 2), result.output
    assert message in result.output
    assert "Traceback" not in result.output
    assert not out.exists() and not list(tmp_path.glob("*.report.csv"))


def test_encoding_in_the_sidecar_reads_the_file(tmp_path: Path):
    text = GOOD_ENTRY.format(n="caf\u00e9s").encode("cp1252")
    path = write_search(tmp_path, text, 'encoding = "cp1252"\n' + SIDECAR)
    result = harmgraph("import", str(path), "--out", str(tmp_path / "review.ttl"))
    assert result.exit_code == 0, result.output
    assert "A study of caf\u00e9s" in (tmp_path / "review.ttl").read_text(encoding="utf-8")


def test_skip_bad_writes_the_good_entries_and_reports_the_bad(tmp_path: Path):
    text = (
        GOOD_ENTRY.format(n=1) + "TY  - JOUR\nAU  - No title\nER  - \n\n" + GOOD_ENTRY.format(n=3)
    )
    path = write_search(tmp_path, text)
    out = tmp_path / "review.ttl"
    result = harmgraph("import", str(path), "--skip-bad", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert "imported 2 record(s)" in result.output and "skipped 1 bad" in result.output
    graph = rdflib.Graph().parse(out)
    search = rdflib.URIRef(REVIEW + "#search-scopus")
    assert int(graph.value(search, HG.resultsReturned)) == 2
    assert "1 of the 3 entries" in str(graph.value(search, rdflib.namespace.SKOS.note))
    report = (tmp_path / "review.ttl.report.csv").read_text(encoding="utf-8")
    assert "entry 2: no title" in report


def test_a_failed_import_leaves_the_review_file_as_it_was(tmp_path: Path, searched: Path):
    out = tmp_path / "review.ttl"
    shutil.copy(searched, out)
    before = out.read_bytes()
    # the same search id again
    path = write_search(tmp_path, GOOD_ENTRY.format(n=1), SIDECAR)
    result = harmgraph("import", str(path), "--out", str(out))
    assert result.exit_code == 2
    assert "search 'scopus' is already in the review" in result.output
    assert out.read_bytes() == before


def test_missing_sidecar_and_miscounted_search(tmp_path: Path):
    path = tmp_path / "lonely.ris"
    path.write_text(GOOD_ENTRY.format(n=1), encoding="utf-8")
    result = harmgraph("import", str(path))
    assert result.exit_code == 2 and "no sidecar describing the search" in result.output
    miscounted = SIDECAR.replace(
        "result_limit = 20000", "result_limit = 20000\nresults_returned = 7"
    )
    path = write_search(tmp_path, GOOD_ENTRY.format(n=1), miscounted)
    result = harmgraph("import", str(path))
    assert result.exit_code == 2
    assert "results_returned is 7 but the file holds 1 entries" in result.output


# ----------------------------------------------------------------------- the site
def test_site_downloads_hold_a_prisma_figure_per_review(bundled_site: Path):
    page = (bundled_site / "downloads.html").read_text(encoding="utf-8")
    reviews = read_reviews(load_graph())
    assert reviews
    for review in reviews:
        name = f"prisma-{review.iri.rsplit('/', 1)[-1]}.svg"
        svg = (bundled_site / "downloads" / name).read_text(encoding="utf-8")
        assert f'href="downloads/{name}"' in page
        assert svg.startswith("<svg") and "Records identified" in figure_text(svg)
        assert not re.search(r"(href|src)=\"(?!#)", svg)


def test_the_documented_sidecar_reads_and_its_comments_list_the_closed_values():
    """docs/own-review.md shows examples/search.ris.toml: it must read as a sidecar, and the
    values its comments list must be the importer's closed lists (a renamed value fails here)."""
    from harmgraph.importing.review_file import parse_sidecar
    from harmgraph.importing.screening import REVIEW_TYPES
    from harmgraph.importing.searches import PLACE_KINDS, SOUGHT

    path = Path(__file__).parent.parent / "examples" / "search.ris.toml"
    text = path.read_text(encoding="utf-8")
    sidecar = parse_sidecar(text, str(path))
    assert sidecar["review"]["review_type"] in REVIEW_TYPES
    assert sidecar["search"]["place_kind"] in PLACE_KINDS
    assert sidecar["search"]["sought"] in SOUGHT

    def listed(key: str) -> set[str]:
        line = next(row for row in text.splitlines() if row.startswith(f"{key} "))
        return {word.strip() for word in line.split("#", 1)[1].split("|")}

    assert listed("review_type") == set(REVIEW_TYPES)
    assert listed("place_kind") == set(PLACE_KINDS)
    assert listed("sought") == set(SOUGHT)
