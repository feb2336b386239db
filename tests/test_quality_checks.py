"""The quality checks beyond SHACL (``graph/shacl/checks/*-violation.rq``), run by ``validate``.

Each check counts across nodes: one screening record per item a search returned, a count on
every search, a source included once per review, a second screening's sample size. Each has a
passing case (the mini graph, and a good variant of its failing case) and a failing case (inline
Turtle added to the mini graph), asserted through the API with both engines and through the CLI,
where a finding reads like a shape's: file:line, severity, focus, message, rule, path and value.
"""

from __future__ import annotations

import re
import shutil
from importlib import resources
from pathlib import Path
from typing import NamedTuple

import pytest

from conftest import ROOT, run_cli
from harmgraph import load_graph, validate_graph
from harmgraph.rdf.load import shapes_file
from harmgraph.shacl.quality import read_checks
from harmgraph.shacl.validate import short

ENGINES = ("sparql", "pyshacl")
CHECKS = ROOT / "graph" / "shacl" / "checks"

HEAD = """
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix review: <https://w3id.org/harmgraph/id/review/> .
"""


def record(review: str, name: str, found_by: str, *, sampled: bool = True, **more: str) -> str:
    """An excluded screening record ``<review>#<name>`` found by ``found_by`` (both decisions
    recorded when ``sampled``), with ``more`` properties (``hg__reportOf`` for hg:reportOf)."""
    fields = {
        "a": "hg:ScreeningRecord",
        "hg:foundBy": f"review:{review}\\#{found_by}",
        "hg:decision": "hg:Excluded",
        "hg:exclusionReason": "hg:OffTopic",
        "dcterms:title": f'"item {name}"',
        "schema:url": f'"https://example.org/{review}/{name}"',
    }
    if sampled:
        fields |= {"hg:firstDecision": "hg:Excluded", "hg:secondDecision": "hg:Excluded"}
    fields |= {k.replace("__", ":"): v for k, v in more.items()}
    body = " ;\n    ".join(f"{k} {v}" for k, v in fields.items() if v is not None)
    return f"review:{review}\\#{name}\n    {body} .\n"


def search(review: str, name: str, kind: str = "hg:KeywordSearch", returned: int | None = 0) -> str:
    """A good search ``<review>#<name>`` of ``kind`` that returned ``returned`` items (None:
    no count recorded)."""
    count = "" if returned is None else f"    hg:resultsReturned {returned} ;\n"
    query = (
        '    hg:organisation "Test Organisation" ;\n'
        if kind == "hg:OrganisationSearch"
        else '    hg:searchQuery "a test query" ;\n'
    )
    aims = (
        ""
        if kind == "hg:KnownItemLookup"
        else "    hg:aimedAt harm:facet-b ;\n    hg:sought hg:SoughtHarmEvidence ;\n"
    )
    return (
        f"review:{review}\\#{name}\n    a {kind} ;\n{query}"
        '    hg:searchedIn "a test index" ;\n    hg:placeKind hg:WebIndex ;\n'
        '    dcterms:date "2026-11-29"^^xsd:date ;\n    hg:resultLimit 8 ;\n'
        f'{count}{aims}    hg:placeVersion "version 1" .\n'
    )


def more_of_r1(methods: list[str], records: list[str], body: str) -> str:
    """Further methods and records of the mini graph's review r1, with their Turtle."""
    lines = []
    if methods:
        lines.append("review:r1 hg:method " + ", ".join(f"review:r1\\#{m}" for m in methods) + " .")
    if records:
        lines.append(
            "review:r1 hg:screened " + ", ".join(f"review:r1\\#{r}" for r in records) + " ."
        )
    return HEAD + "\n".join(lines) + "\n\n" + body


def returned_and_found(returned: int, found: int) -> str:
    """A second search of r1 that says it returned ``returned`` items, with ``found`` records
    found by it (each sampled by the second screener)."""
    names = [f"s2-item-{n}" for n in range(1, found + 1)]
    return more_of_r1(
        ["search-2"],
        names,
        search("r1", "search-2", returned=returned)
        + "\n".join(record("r1", n, "search-2") for n in names),
    )


def review_of(
    slug: str, records: int, sampled: int, include: str = "", include_second: bool = False
) -> str:
    """A whole good review ``slug`` of ``records`` records, all returned by its one search, of
    which the first ``sampled`` were screened a second time; its first record (and its second,
    with ``include_second``) includes the source ``include``, when given."""
    names = [f"record-{n}" for n in range(1, records + 1)]
    head = (
        f'review:{slug}\n    a hg:Review ;\n    skos:prefLabel "review {slug}"@en ;\n'
        "    hg:reviewType hg:RapidWebScan ;\n    hg:screenerCount 1 ;\n"
        "    hg:reviewedHarm harm:facet-b ;\n"
        '    dcterms:date "2026-11-29"^^xsd:date ;\n'
        "    prov:wasAssociatedWith <https://w3id.org/harmgraph/id/agent/tester> ;\n"
        f"    hg:method review:{slug}\\#search-1 ;\n"
        "    hg:screened " + ", ".join(f"review:{slug}\\#{n}" for n in names) + " ;\n"
        f"    hg:secondScreening review:{slug}\\#second-screening .\n\n"
        f"review:{slug}\\#second-screening\n    a hg:SecondScreening ;\n    hg:sampleSeed 3 ;\n"
        '    dcterms:date "2026-11-30"^^xsd:date ;\n'
        "    prov:wasAssociatedWith <https://w3id.org/harmgraph/id/agent/second-tester> .\n\n"
    )
    included = {
        "hg__decision": "hg:Included",
        "hg__exclusionReason": None,
        "hg__includedSource": include,
        "hg__firstDecision": "hg:Included",
        "hg__secondDecision": "hg:Included",
    }
    body = search(slug, "search-1", returned=records) + "\n".join(
        record(
            slug,
            n,
            "search-1",
            sampled=i < sampled,
            **(included if include and (i == 0 or (i == 1 and include_second)) else {}),
        )
        for i, n in enumerate(names)
    )
    return HEAD + head + body


INCLUDED_AGAIN = record(
    "r1",
    "record-3",
    "added",
    hg__decision="hg:Included",
    hg__exclusionReason=None,
    hg__includedSource="source:src-1",
    hg__firstDecision="hg:Included",
    hg__secondDecision="hg:Included",
)
SUPPORTING_INSTEAD = record(
    "r1",
    "record-3",
    "added",
    hg__decision="hg:Supporting",
    hg__exclusionReason=None,
    hg__reportOf="review:r1\\#record-1",
    hg__firstDecision="hg:Supporting",
    hg__secondDecision="hg:Supporting",
)
ADDED = "review:r1\\#added a hg:AddedOnRequest .\n"


class Failing(NamedTuple):
    """A failing case of one check: the Turtle, the focus node and value (shortened) and the
    path of the finding, and a fragment of its message."""

    turtle: str
    focus: str
    path: str
    value: str
    message: str


#: One failing case per check, by rule.
FAILING = {
    "hgsh:Search-records-match-returned": Failing(
        returned_and_found(3, 2),
        "id/review/r1#search-2",
        "hg:resultsReturned",
        "3",
        "exactly that many screening records found by it",
    ),
    "hgsh:Search-records-unattributed": Failing(
        more_of_r1(["search-2"], [], search("r1", "search-2", returned=None)),
        "id/review/r1#search-2",
        "hg:resultsReturned",
        "hg:KeywordSearch",
        "a search needs hg:resultsReturned",
    ),
    "hgsh:Review-second-sample-size": Failing(
        more_of_r1(
            ["added"], ["record-3"], ADDED + record("r1", "record-3", "added", sampled=False)
        ),
        "id/review/r1",
        "hg:secondScreening",
        "id/review/r1#second-screening",
        "at least 20% of the review's decided records and never fewer than 10",
    ),
    "hgsh:Review-source-included-once": Failing(
        more_of_r1(["added"], ["record-3"], ADDED + INCLUDED_AGAIN),
        "id/review/r1",
        "hg:includedSource",
        "id/source/src-1",
        "a source is included at most once per review",
    ),
}

#: For each check, a good variant of its failing case that passes it.
PASSING = {
    "hgsh:Search-records-match-returned": returned_and_found(2, 2),
    "hgsh:Search-records-unattributed": more_of_r1(
        ["search-2", "unrecorded"],
        [],
        search("r1", "search-2", returned=None)
        + "review:r1\\#unrecorded a hg:UnrecordedSearch .\n",
    ),
    "hgsh:Review-second-sample-size": more_of_r1(
        ["added"], ["record-3"], ADDED + record("r1", "record-3", "added")
    ),
    "hgsh:Review-source-included-once": more_of_r1(
        ["added"], ["record-3"], ADDED + SUPPORTING_INSTEAD
    ),
}


def rules_in_files() -> dict[str, str]:
    """Each ``.rq`` file in the checks folder, by the rule its header names."""
    found = {}
    for path in sorted(CHECKS.glob("*.rq")):
        head = re.search(r"^# rule: *(\S+)", path.read_text(encoding="utf-8"), re.MULTILINE)
        assert head, f"{path.name} names no rule"
        found[head.group(1)] = path.name
    return found


def line_of(folder: Path, focus: str) -> tuple[Path, int]:
    """Where a finding on ``focus`` (``id/review/r1#search-2``) is placed: the last data file,
    in the order the folder is read (sorted), with a line that starts by describing it."""
    kind, _, local = focus.removeprefix("id/").partition("/")
    token = f"{kind}:{local.replace('#', chr(92) + '#')}"
    place = None
    for path in sorted(folder.glob("*.ttl")):
        lines = path.read_text(encoding="utf-8").splitlines()
        hits = [
            n for n, text in enumerate(lines, 1) if re.match(re.escape(token) + r"(\s|$)", text)
        ]
        if hits:
            place = (path, hits[0])
    assert place, f"{focus} is described nowhere"
    return place


def test_read_checks_finds_every_rq_file():
    files = rules_in_files()
    assert len(files) == len(list(CHECKS.glob("*.rq"))), "two files name the same rule"
    assert {c.rule for c in read_checks()} == set(files)
    # The installed package data holds the same files as the source folder.
    shipped = {e.name for e in resources.files("harmgraph.shacl.checks").iterdir()}
    assert {n for n in shipped if n.endswith(".rq")} == set(files.values())
    for check in read_checks():
        assert check.severity == "http://www.w3.org/ns/shacl#Violation", check.rule
        assert len(check.message) > 20 and "\n" not in check.message, check.rule
        assert "?entity" in check.sparql and "?property" in check.sparql, check.rule


def test_every_check_has_a_failing_and_a_passing_case():
    assert set(FAILING) == set(PASSING) == set(rules_in_files())


@pytest.mark.parametrize("engine", ENGINES)
def test_mini_graph_passes_every_check(mini_with, engine):
    report = validate_graph(load_graph([mini_with("")]), engine)
    rules = set(FAILING)
    assert not [str(f) for f in report.findings if f.shape in rules]


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("rule", sorted(PASSING))
def test_good_variant_passes(mini_with, rule, engine):
    report = validate_graph(load_graph([mini_with(PASSING[rule])]), engine)
    assert report.engine == engine, report.note
    assert not report.findings, [str(f) for f in report.findings]


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("rule", sorted(FAILING))
def test_failing_case_names_its_rule(mini_with, rule, engine):
    case = FAILING[rule]
    folder = mini_with(case.turtle)
    report = validate_graph(load_graph([folder]), engine)
    assert report.engine == engine, report.note
    named = [f for f in report.findings if f.shape == rule]
    assert len(named) == 1, [str(f) for f in report.findings]
    finding = named[0]
    assert short(finding.focus) == case.focus
    assert (finding.path, finding.value) == (case.path, case.value)
    assert case.message in finding.message
    assert finding.severity == "violation"
    assert finding.component == "hgsh:QualityCheck"
    path, line = line_of(folder, case.focus)
    assert (finding.file, finding.line) == (str(path), line)
    # It is the only finding: the failing case spoils nothing a shape checks.
    assert [f.shape for f in report.findings] == [rule]


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("rule", sorted(FAILING))
def test_cli_reports_the_check_by_file_and_line_exit_1(mini_with, rule, engine):
    case = FAILING[rule]
    folder = mini_with(case.turtle)
    result = run_cli("--data", str(folder), "validate", "--engine", engine)
    assert result.returncode == 1, result.stdout + result.stderr
    path, line = line_of(folder, case.focus)
    lines = [row for row in result.stdout.splitlines() if f"({rule})" in row]
    assert len(lines) == 1, result.stdout
    assert lines[0].startswith(f"{path}:{line}: violation: {case.focus}: "), lines[0]
    assert lines[0].endswith(f"({rule}) [{case.path} = {case.value}]"), lines[0]
    assert case.message in lines[0]
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("rule", sorted(FAILING))
def test_a_users_own_shapes_file_skips_the_checks(tmp_path, mini_with, rule):
    """The checks belong to harmgraph's own shapes: with the very same shapes given as a user's
    own file, data that fails a check conforms."""
    folder = mini_with(FAILING[rule].turtle)
    own = tmp_path / "my-shapes.ttl"
    shutil.copyfile(shapes_file(), own)
    default = run_cli("--data", str(folder), "validate")
    assert default.returncode == 1 and f"({rule})" in default.stdout, default.stdout
    result = run_cli("--data", str(folder), "validate", "--shapes", str(own))
    assert result.returncode == 0, result.stdout + result.stderr
    assert rule not in result.stdout + result.stderr
    report = validate_graph(load_graph([folder]), shapes=own)
    assert not report.findings, [str(f) for f in report.findings]


@pytest.mark.parametrize("delta", [-1, 0, 1])
def test_count_check_fails_one_more_or_one_fewer(mini_with, delta):
    """A search that returned one item more, or one fewer, than its records fails; exactly as
    many passes."""
    found = 3
    report = validate_graph(load_graph([mini_with(returned_and_found(found + delta, found))]))
    named = [f for f in report.findings if f.shape == "hgsh:Search-records-match-returned"]
    if delta:
        assert [(f.focus.rsplit("/", 1)[-1], f.value) for f in named] == [
            ("r1#search-2", str(found + delta))
        ]
    else:
        assert not named
    assert report.conforms == (delta == 0), [str(f) for f in report.findings]


def test_a_search_that_returned_nothing_needs_no_record(mini_with):
    report = validate_graph(load_graph([mini_with(returned_and_found(0, 0))]))
    assert not report.findings, [str(f) for f in report.findings]
    spoilt = validate_graph(load_graph([mini_with(returned_and_found(0, 1))]))
    assert [f.value for f in spoilt.findings] == ["0"]


@pytest.mark.parametrize(
    "kind", ["hg:KeywordSearch", "hg:OrganisationSearch", "hg:KnownItemLookup"]
)
def test_every_kind_of_queried_search_needs_a_count(mini_with, kind):
    without = more_of_r1(["search-2"], [], search("r1", "search-2", kind, returned=None))
    report = validate_graph(load_graph([mini_with(without)]))
    assert [(f.shape, f.value) for f in report.findings] == [
        ("hgsh:Search-records-unattributed", kind)
    ]
    counted = more_of_r1(["search-2"], [], search("r1", "search-2", kind, returned=0))
    assert not validate_graph(load_graph([mini_with(counted)])).findings


@pytest.mark.parametrize(
    ("records", "sampled", "passes"),
    [
        (3, 3, True),
        (3, 2, False),  # fewer than 10 records: all of them
        (10, 10, True),
        (10, 9, False),
        (12, 10, True),  # never fewer than 10
        (12, 9, False),
        (51, 11, True),  # at least 20%, rounded up: 10.2 -> 11
        (51, 10, False),
    ],
)
def test_second_sample_size_rule(mini_with, records, sampled, passes):
    report = validate_graph(load_graph([mini_with(review_of("big", records, sampled))]))
    named = [f for f in report.findings if f.shape == "hgsh:Review-second-sample-size"]
    assert [short(f.focus) for f in named] == ([] if passes else ["id/review/big"])
    assert report.conforms == passes, [str(f) for f in report.findings]


def test_a_source_may_be_included_once_in_each_of_two_reviews(mini_with):
    # The other review's first record includes src-1, which r1 includes too.
    other = review_of("other", 2, 2, include="source:src-1")
    assert "hg:includedSource source:src-1" in other
    report = validate_graph(load_graph([mini_with(other)]))
    assert not report.findings, [str(f) for f in report.findings]
    twice = review_of("other", 2, 2, include="source:src-1", include_second=True)
    spoilt = validate_graph(load_graph([mini_with(twice)]))
    assert [(short(f.focus), f.shape) for f in spoilt.findings] == [
        ("id/review/other", "hgsh:Review-source-included-once")
    ]
