"""`harmgraph import`: coded studies in a CSV become conforming Turtle; bad rows are reported
by row number and nothing is written unless all rows are good (or --skip-bad)."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import pytest
import rdflib
from hostile import HOSTILE_IRI_CELLS

from conftest import ROOT, run_cli

# One test process runs this module, so the bundled graph is loaded once.
pytestmark = pytest.mark.xdist_group("import")

EXAMPLE = ROOT / "examples" / "claims.csv"
ID = "https://w3id.org/harmgraph/id/"
HEADER = (
    "intervention,harm,source,locator,evidence_kind,direction,confidence,rationale,"
    "intervention_label,intervention_definition,intervention_type,stage,prevention_level,"
    "harm_label,harm_definition,harm_broader,source_title,source_year,source_authors,"
    "source_publisher,source_kind\n"
)
NEW_ROW = (
    "intervention/peer-support-circles,harm/sexual-extortion,10.9999/harmgraph.test.1,Table 3,"
    "evaluation,supports,moderate,A small controlled evaluation in two schools.,"
    "peer support circles,Facilitated peer groups for pupils targeted by image-based abuse.,"
    "education-and-awareness,StageEducation,secondary,,,,A test evaluation,2025,"
    '"Tester, Ada; Tester, Bob",,PeerReviewedArticle\n'
)


#: The day the claims of these tests were recorded (`import --date`).
DATE = "2026-12-01"


def test_example_csv_imports_and_changes_the_gaps(tmp_path):
    out = tmp_path / "mine.ttl"
    result = run_cli("import", str(EXAMPLE), "--date", DATE, "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "imported 4 claim(s)" in result.stderr
    assert (
        run_cli("--data", str(ROOT / "graph" / "kb"), "--data", str(out), "validate").returncode
        == 0
    )
    before = json.loads(run_cli("stats", "--format", "json").stdout)["claims"]
    after = json.loads(
        run_cli(
            "--data", str(ROOT / "graph" / "kb"), "--data", str(out), "stats", "--format", "json"
        ).stdout
    )["claims"]
    assert after == before + 4


def test_new_intervention_and_source_conform(tmp_path):
    csv_file = tmp_path / "new.csv"
    csv_file.write_text(HEADER + NEW_ROW, encoding="utf-8")
    out = tmp_path / "new.ttl"
    result = run_cli("import", str(csv_file), "--date", DATE, "--out", str(out))
    assert result.returncode == 0, result.stdout + result.stderr
    data = ["--data", str(ROOT / "graph" / "kb"), "--data", str(out)]
    gaps = json.loads(
        run_cli(*data, "gaps", "--kind", "no-intervention", "--format", "json").stdout
    )
    assert not any(g["subject"].endswith("/harm/sexual-extortion") for g in gaps)
    entity = json.loads(
        run_cli(*data, "neighbours", "intervention/peer-support-circles", "--format", "json").stdout
    )
    assert any(n["iri"].endswith("/harm/sexual-extortion") for n in entity["nodes"])


BAD_ROWS = [
    (
        "intervention/hash-matching,harm/detection-strain,source/iwf-2023-ai-csam,p. 2,rumour,supports,high,Long enough reason.\n",
        "evidence_kind 'rumour'",
    ),
    (
        "intervention/brand-new,harm/detection-strain,source/iwf-2023-ai-csam,p. 2,evaluation,supports,high,Long enough reason.\n",
        "is new, so 'intervention_label' is needed",
    ),
    (
        "intervention/hash-matching,harm/detection-strain,doi:10.12/not valid,p. 2,evaluation,supports,high,Long enough reason.\n",
        "neither a source in the graph nor a DOI",
    ),
    (
        "intervention/hash-matching,harm/detection-strain,source/iwf-2023-ai-csam,,evaluation,supports,high,Long enough reason.\n",
        "'locator' is empty",
    ),
    (
        "intervention/hash-matching,harm/detection-strain,source/iwf-2023-ai-csam,p. 2,evaluation,maybe,high,Long enough reason.\n",
        "direction 'maybe'",
    ),
]


def test_bad_rows_are_reported_and_nothing_is_written(tmp_path):
    csv_file = tmp_path / "bad.csv"
    good = EXAMPLE.read_text(encoding="utf-8").splitlines(keepends=True)[1]
    csv_file.write_text(HEADER + good + "".join(row for row, _ in BAD_ROWS), encoding="utf-8")
    out = tmp_path / "bad.ttl"
    result = run_cli("import", str(csv_file), "--date", DATE, "--out", str(out))
    assert result.returncode == 1 and not out.exists()
    for number, (_, reason) in enumerate(BAD_ROWS, start=3):
        assert f"{csv_file}:{number}: " in result.stderr and reason in result.stderr
    assert "Traceback" not in result.stderr
    skipped = run_cli("import", str(csv_file), "--date", DATE, "--out", str(out), "--skip-bad")
    assert skipped.returncode == 0 and out.exists()
    report = (tmp_path / "bad.ttl.report.csv").read_text()
    assert report.count("\n") == len(BAD_ROWS) + 1


def test_missing_columns_are_reported(tmp_path):
    csv_file = tmp_path / "short.csv"
    csv_file.write_text("intervention,harm\nintervention/hash-matching,harm/detection-strain\n")
    result = run_cli("import", str(csv_file), "--date", DATE)
    assert result.returncode == 1 and "lacks the column(s) source" in result.stderr


HOSTILE_CELLS = [
    'a "double-quoted" locator',
    "back\\slash and \\n and \\u0041 and a trailing \\",
    "<angle> & ampersand &amp; # hash ; semicolon",
    "non-ASCII: é ñ 中文 😀 \u202e",
    '" ; hg:evil "injected" ; rdf:type hg:Harm . <x> <y> <z> . #',
    "}}] ) . @prefix ex: <http://example.org/> .",
    "line one\nline two",
]


def test_hostile_cells_round_trip_and_add_no_triple(tmp_path):
    """Every hostile cell comes back exactly as written, and each row adds only its own claim."""
    import csv as csv_module
    import io

    import rdflib

    buffer = io.StringIO()
    writer = csv_module.writer(buffer)
    writer.writerow([*HEADER.strip().split(",")])
    for i, cell in enumerate(HOSTILE_CELLS):
        row = dict.fromkeys(HEADER.strip().split(","), "")
        row.update(
            intervention="intervention/hash-matching",
            harm="harm/detection-strain",
            source="source/iwf-2023-ai-csam",
            locator=cell,
            evidence_kind="evaluation",
            direction="supports",
            confidence="high",
            rationale=f"rationale {i}: {cell}",
        )
        writer.writerow(list(row.values()))
    csv_file = tmp_path / "hostile.csv"
    csv_file.write_text(buffer.getvalue(), encoding="utf-8")
    out = tmp_path / "hostile.ttl"
    result = run_cli("import", str(csv_file), "--date", DATE, "--out", str(out))
    assert result.returncode == 0, result.stderr
    graph = rdflib.Graph().parse(out, format="turtle")
    hg = rdflib.Namespace("https://w3id.org/harmgraph/ontology#")
    locators = sorted(str(o) for o in graph.objects(None, hg.locator))
    rationales = sorted(str(o) for o in graph.objects(None, hg.confidenceRationale))
    assert locators == sorted(c.strip() for c in HOSTILE_CELLS)
    assert rationales == sorted(f"rationale {i}: {c}".strip() for i, c in enumerate(HOSTILE_CELLS))
    # Each row is one claim: 10 triples on the claim and 3 on its citation node, nothing else.
    assert len(set(graph.subjects(rdflib.RDF.type, hg.Claim))) == len(HOSTILE_CELLS)
    assert len(graph) == 13 * len(HOSTILE_CELLS)
    assert not list(graph.subjects(rdflib.RDF.type, hg.Harm))
    assert "example.org" not in {str(ns) for _, ns in graph.namespaces()}


def test_hostile_new_source_keeps_its_text_and_author_order(tmp_path):
    import rdflib
    from rdflib.collection import Collection

    title = 'A "quoted" title \\ with <tags> & more ; # é'
    row = (
        "intervention/hash-matching,harm/detection-strain,https://example.org/a?b=1&c=2,Table 1,"
        'evaluation,supports,low,"Short, but long enough.",,,,,,,,,'
        f'"{title.replace(chr(34), chr(34) * 2)}",2024,"Zeta, Z.; Alpha, A.; Mu, M.",,Report\n'
    )
    csv_file = tmp_path / "source.csv"
    csv_file.write_text(HEADER + row, encoding="utf-8")
    out = tmp_path / "source.ttl"
    result = run_cli("import", str(csv_file), "--date", DATE, "--out", str(out))
    assert result.returncode == 0, result.stderr
    graph = rdflib.Graph().parse(out, format="turtle")
    dcterms = rdflib.Namespace("http://purl.org/dc/terms/")
    bibo = rdflib.Namespace("http://purl.org/ontology/bibo/")
    assert [str(t) for t in graph.objects(None, dcterms.title)] == [title]
    head = next(graph.objects(None, bibo.authorList))
    assert [str(n) for n in Collection(graph, head)] == ["Zeta, Z.", "Alpha, A.", "Mu, M."]


def test_a_violation_in_the_import_names_the_csv_row(tmp_path):
    row = (
        "intervention/peer-support-circles,harm/sexual-extortion,source/iwf-2023-ai-csam,p. 1,"
        "evaluation,supports,moderate,A small controlled evaluation.,"
        "peer support circles,Facilitated peer groups.,education-and-awareness,StageEducation,"
        "secondary,,,,,,,,,gb\n"
    )
    csv_file = tmp_path / "juris.csv"
    csv_file.write_text(HEADER.strip() + ",intervention_jurisdiction\n" + row, encoding="utf-8")
    out = tmp_path / "juris.ttl"
    result = run_cli("import", str(csv_file), "--date", DATE, "--out", str(out))
    assert result.returncode == 1 and not out.exists()
    assert f"{csv_file}:2: violation: id/intervention/peer-support-circles" in result.stdout
    assert "imported.ttl" not in result.stdout + result.stderr


# --- IRI cells: every cell that becomes an IRI is checked on its own row (issue 20) ---

COLUMNS = [*HEADER.strip().split(","), "intervention_jurisdiction"]
EXISTING = {
    "intervention": "intervention/hash-matching",
    "harm": "harm/detection-strain",
    "source": "source/iwf-2023-ai-csam",
    "locator": "p. 2",
    "evidence_kind": "evaluation",
    "direction": "supports",
    "confidence": "high",
    "rationale": "Long enough reason.",
}
NEW_INTERVENTION = {
    "intervention": "intervention/peer-support-circles",
    "intervention_label": "peer support circles",
    "intervention_definition": "Facilitated peer groups for pupils targeted by image-based abuse.",
    "intervention_type": "education-and-awareness",
    "stage": "StageEducation",
    "prevention_level": "secondary",
}
NEW_HARM = {
    "harm": "harm/new-test-harm",
    "harm_label": "a new test harm",
    "harm_definition": "A harm made up for this test.",
}
NEW_SOURCE = {
    "source": "10.9999/harmgraph.test.2",
    "source_title": "A test report",
    "source_year": "2025",
    "source_publisher": "A test organisation",
    "source_kind": "Report",
}


def claims_csv(*rows: dict[str, str]) -> str:
    """A claims CSV with every column, one line per row (cells written by the csv module)."""
    import csv as csv_module
    import io

    buffer = io.StringIO()
    writer = csv_module.DictWriter(buffer, COLUMNS, restval="", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def hostile_rows() -> list[tuple[str, dict[str, str]]]:
    """(what, row) for hostile text in every cell of a claims row that becomes an IRI: each
    row is good but for that one cell (the rest describe a new entity where one is needed)."""
    rows = []
    for text in HOSTILE_IRI_CELLS:
        for kind, new in (("intervention", NEW_INTERVENTION), ("harm", NEW_HARM)):
            for value in (text, f"{kind}/{text}", f"{kind}/{text}/ok", f"{ID}{kind}/{text}"):
                rows.append((f"{kind}={value!r}", {**EXISTING, **new, kind: value}))
        for value in (text, f"intervention/{text}"):
            row = {**EXISTING, **NEW_INTERVENTION, "intervention_type": value}
            rows.append((f"intervention_type={value!r}", row))
            row = {**EXISTING, **NEW_HARM, "harm_broader": value.replace("intervention", "harm")}
            rows.append((f"harm_broader={row['harm_broader']!r}", row))
        for value in (text, f"source/{text}", f"10.9999/{text}" if " " in text else f"doi: {text}"):
            rows.append((f"source={value!r}", {**EXISTING, **NEW_SOURCE, "source": value}))
        for column, new in (
            ("stage", NEW_INTERVENTION),
            ("prevention_level", NEW_INTERVENTION),
            ("source_kind", NEW_SOURCE),
            ("evidence_kind", {}),
            ("direction", {}),
            ("confidence", {}),
        ):
            rows.append((f"{column}={text!r}", {**EXISTING, **new, column: text}))
    return rows


@pytest.fixture(scope="module")
def bundled():
    from harmgraph.rdf.load import load_graph

    return load_graph()


def test_a_new_slug_is_checked_whole_not_only_its_last_segment(tmp_path):
    """Regression: `intervention = ../../harm/dotdot` imported with exit 0, because only the
    last path segment (`dotdot`) was held to the slug rule."""
    row = {**EXISTING, **NEW_INTERVENTION, "intervention": "../../harm/dotdot"}
    csv_file = tmp_path / "dotdot.csv"
    csv_file.write_text(claims_csv(row), encoding="utf-8")
    out = tmp_path / "dotdot.ttl"
    result = run_cli("import", str(csv_file), "--date", DATE, "--out", str(out))
    assert result.returncode == 1 and not out.exists(), result.stderr
    assert f"{csv_file}:2: intervention '../../harm/dotdot' is not" in result.stderr


def test_a_bad_iri_cell_is_a_row_error_that_skip_bad_skips(tmp_path):
    """Regression: a cell with '<' whose last segment was a good slug became an IRI, and
    rdflib's serialiser ended `import` with a traceback after every row was read."""
    bad = {**EXISTING, **NEW_INTERVENTION, "intervention": "intervention/a<b/dotdot"}
    csv_file = tmp_path / "angle.csv"
    csv_file.write_text(claims_csv(EXISTING, bad), encoding="utf-8")
    out = tmp_path / "angle.ttl"
    result = run_cli("import", str(csv_file), "--date", DATE, "--out", str(out))
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 1 and not out.exists()
    assert f"{csv_file}:3: intervention 'intervention/a<b/dotdot' is not" in result.stderr
    skipped = run_cli("import", str(csv_file), "--date", DATE, "--out", str(out), "--skip-bad")
    assert skipped.returncode == 0, skipped.stderr
    assert "a<b" not in out.read_text(encoding="utf-8")
    assert "imported 1 claim(s), skipped 1 bad row(s)" in skipped.stderr


def test_hostile_text_in_any_iri_cell_is_refused_on_its_own_row(bundled):
    from harmgraph.importing.claims import import_claims

    cases = hostile_rows()
    result = import_claims(claims_csv(*(row for _, row in cases)), bundled, DATE)
    reasons = dict(result.bad)
    accepted = [what for number, (what, _) in enumerate(cases, start=2) if number not in reasons]
    assert not accepted and result.good == 0, accepted
    for number, reason in result.bad:
        assert "\n" not in reason and len(reason) < 400, (cases[number - 2][0], reason)


def test_hostile_iri_cells_through_the_cli_with_and_without_skip_bad(tmp_path):
    """Every hostile row is reported on stderr with its row number, in one line; nothing is
    written and the exit is 1. With --skip-bad only the good row is written (no hostile text
    in any IRI), and when no row is good nothing is written and the exit is 1."""
    rows = [row for _, row in hostile_rows()]
    csv_file = tmp_path / "hostile-iris.csv"
    csv_file.write_text(claims_csv(*rows), encoding="utf-8")
    out = tmp_path / "hostile-iris.ttl"
    result = run_cli("import", str(csv_file), "--date", DATE, "--out", str(out), timeout=300)
    assert "Traceback" not in result.stderr
    assert result.returncode == 1 and not out.exists()
    lines = result.stderr.splitlines()
    for number in range(2, len(rows) + 2):
        assert sum(line.startswith(f"{csv_file}:{number}: ") for line in lines) == 1, number
    assert len(lines) == len(rows) + 1  # and the closing "nothing written" line
    skipped = run_cli(
        "import", str(csv_file), "--date", DATE, "--out", str(out), "--skip-bad", timeout=300
    )
    assert skipped.returncode == 1 and not out.exists(), skipped.stderr
    assert "Traceback" not in skipped.stderr
    assert "no good row" in skipped.stderr.splitlines()[-1]
    csv_file.write_text(claims_csv(EXISTING, *rows), encoding="utf-8")
    skipped = run_cli(
        "import", str(csv_file), "--date", DATE, "--out", str(out), "--skip-bad", timeout=300
    )
    assert skipped.returncode == 0, skipped.stderr
    graph = rdflib.Graph().parse(out, format="turtle")
    iris = {str(t) for triple in graph for t in triple if isinstance(t, rdflib.URIRef)}
    assert not any(text in iri for iri in iris for text in HOSTILE_IRI_CELLS)
    assert not any(".." in iri or "javascript" in iri for iri in iris)
    report = (tmp_path / "hostile-iris.ttl.report.csv").read_text(encoding="utf-8")
    assert len(list(csv.reader(io.StringIO(report)))) == len(rows) + 1


# --- An entity made on one row may be named alone on the rows after it (issue 20) ---

MAKES_ALL = {**EXISTING, **NEW_INTERVENTION, **NEW_HARM, **NEW_SOURCE}
NAMES_ALONE = {
    **EXISTING,
    "intervention": "peer-support-circles",
    "harm": "harm/new-test-harm",
    "source": "https://doi.org/10.9999/HARMGRAPH.TEST.2",
    "locator": "p. 7",
}


def test_an_entity_made_on_one_row_can_be_named_alone_later(tmp_path):
    csv_file = tmp_path / "reuse.csv"
    csv_file.write_text(claims_csv(MAKES_ALL, NAMES_ALONE), encoding="utf-8")
    out = tmp_path / "reuse.ttl"
    result = run_cli("import", str(csv_file), "--date", DATE, "--out", str(out))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "imported 2 claim(s)" in result.stderr
    graph = rdflib.Graph().parse(out, format="turtle")
    hg = rdflib.Namespace("https://w3id.org/harmgraph/ontology#")
    skos, dcterms = rdflib.SKOS, rdflib.DCTERMS
    assert len(set(graph.subjects(rdflib.RDF.type, hg.Claim))) == 2
    assert (
        len(
            list(
                graph.objects(
                    rdflib.URIRef(ID + "intervention/peer-support-circles"), skos.prefLabel
                )
            )
        )
        == 1
    )
    assert len(list(graph.objects(rdflib.URIRef(ID + "harm/new-test-harm"), skos.prefLabel))) == 1
    assert len(set(graph.subjects(rdflib.RDF.type, hg.EvidenceSource))) == 1
    assert len(list(graph.objects(None, dcterms.title))) == 1


@pytest.mark.parametrize(
    ("column", "value", "what"),
    [
        ("intervention_label", "another label", "intervention 'peer-support-circles'"),
        ("stage", "StageLawPolicy", "intervention 'peer-support-circles'"),
        ("intervention_jurisdiction", "GB", "intervention 'peer-support-circles'"),
        ("harm_definition", "Another definition.", "harm 'harm/new-test-harm'"),
        ("source_title", "Another title", "source 'https://doi.org/10.9999/HARMGRAPH.TEST.2'"),
    ],
)
def test_a_later_row_that_repeats_a_new_entitys_columns_must_repeat_them_exactly(
    bundled, column, value, what
):
    from harmgraph.importing.claims import import_claims

    exact = import_claims(claims_csv(MAKES_ALL, {**MAKES_ALL, "locator": "p. 8"}), bundled, DATE)
    assert exact.bad == [] and exact.good == 2
    differs = import_claims(claims_csv(MAKES_ALL, {**NAMES_ALONE, column: value}), bundled, DATE)
    assert differs.good == 1
    assert differs.bad == [
        (
            3,
            f"'{column}' differs from row 2, which made {what}: name it alone, or repeat its "
            "columns exactly",
        )
    ]


def test_an_entity_made_on_a_bad_row_is_not_known_to_later_rows(bundled):
    """A row that fails keeps nothing, not even the entities it named as new: a later row that
    names one alone is refused as naming a new entity, never accepted pointing at nothing."""
    from harmgraph.importing.claims import import_claims

    result = import_claims(
        claims_csv({**MAKES_ALL, "direction": "maybe"}, NAMES_ALONE), bundled, DATE
    )
    assert result.good == 0 and [n for n, _ in result.bad] == [2, 3]
    assert "is new, so 'intervention_label' is needed" in result.bad[1][1]
    only_source = {
        **NAMES_ALONE,
        "intervention": EXISTING["intervention"],
        "harm": EXISTING["harm"],
    }
    result = import_claims(
        claims_csv({**MAKES_ALL, "direction": "maybe"}, only_source), bundled, DATE
    )
    assert [n for n, _ in result.bad] == [2, 3]
    assert "is new, so 'source_title' is needed" in result.bad[1][1]


# --- The import date and the messages a newcomer gets (issue 19) ---

# Runs the real CLI with the clock set to another day: the system clock cannot be moved in a
# test, so `datetime.date.today` (and `datetime.now`) answer the given day instead.
ON_ANOTHER_DAY = """
import datetime, sys

year, month, day = map(int, sys.argv.pop(1).split("-"))


class Day(datetime.date):
    @classmethod
    def today(cls):
        return cls(year, month, day)


class Moment(datetime.datetime):
    @classmethod
    def now(cls, tz=None):
        return cls(year, month, day, 12, tzinfo=tz)

    @classmethod
    def today(cls):
        return cls(year, month, day, 12)


datetime.date, datetime.datetime = Day, Moment
from harmgraph.cli import main

sys.argv[0] = "harmgraph"
main()
"""


def import_on(day: str, *args: str, cwd) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", ON_ANOTHER_DAY, day, "import", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=300,
    )


def test_the_same_csv_imported_on_two_days_gives_the_same_file(tmp_path):
    """Regression: the claims' dcterms:created was today's date, so the Turtle changed daily."""
    first = import_on("2027-01-05", str(EXAMPLE), "--date", DATE, "--out", "a.ttl", cwd=tmp_path)
    second = import_on("2031-06-30", str(EXAMPLE), "--date", DATE, "--out", "b.ttl", cwd=tmp_path)
    assert first.returncode == second.returncode == 0, first.stderr + second.stderr
    a, b = (tmp_path / "a.ttl").read_bytes(), (tmp_path / "b.ttl").read_bytes()
    assert a == b
    assert a.count(b'dcterms:created "2026-12-01"^^xsd:date') == 4
    assert b"2027-01-05" not in a and b"2031-06-30" not in b


def test_a_claims_csv_needs_a_date_and_a_row_may_give_its_own(tmp_path):
    csv_file = tmp_path / "dated.csv"
    out = tmp_path / "dated.ttl"
    csv_file.write_text(claims_csv(EXISTING), encoding="utf-8")
    done = run_cli("import", str(csv_file), "--out", str(out))
    assert done.returncode == 2 and not out.exists()
    assert "has no 'date' column: give --date YYYY-MM-DD" in done.stderr
    bad = run_cli("import", str(csv_file), "--date", "2026-02-30", "--out", str(out))
    assert bad.returncode == 2 and "'2026-02-30' is not a date YYYY-MM-DD" in bad.stderr
    # A row's own date wins over --date; a row with an empty date cell takes --date, and one
    # with neither is refused on its row.
    text = "date," + claims_csv(EXISTING, {**EXISTING, "locator": "p. 3"}).replace("\n", "\n,")
    lines = text.rstrip(",").splitlines()
    lines[1] = "2025-03-04" + lines[1]
    csv_file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    done = run_cli("import", str(csv_file), "--date", DATE, "--out", str(out))
    assert done.returncode == 0, done.stderr
    turtle = out.read_text(encoding="utf-8")
    assert '"2025-03-04"^^xsd:date' in turtle and f'"{DATE}"^^xsd:date' in turtle
    out.unlink()
    done = run_cli("import", str(csv_file), "--out", str(out))
    assert done.returncode == 1 and not out.exists()
    assert f"{csv_file}:3: 'date' is empty and no --date was given" in done.stderr


def test_a_bad_intervention_type_lists_the_valid_ones(tmp_path):
    csv_file = tmp_path / "typo.csv"
    row = {**EXISTING, **NEW_INTERVENTION, "intervention_type": "education-and-awarenes"}
    csv_file.write_text(claims_csv(row), encoding="utf-8")
    done = run_cli("import", str(csv_file), "--date", DATE)
    assert done.returncode == 1
    (line,) = [x for x in done.stderr.splitlines() if x.startswith(f"{csv_file}:2: ")]
    assert "intervention_type 'education-and-awarenes' is not an intervention type: one of " in (
        line
    )
    for slug in ("data-and-model-safeguards", "law-and-regulation", "education-and-awareness"):
        assert slug in line
    assert line.endswith("did you mean 'education-and-awareness'?")


def test_a_slug_close_to_an_existing_one_gets_a_did_you_mean(tmp_path):
    csv_file = tmp_path / "close.csv"
    rows = [
        {**EXISTING, "intervention": "hash-matchin"},
        {**EXISTING, "source": "source/iwf-2023-ai-csan"},
        {**EXISTING, **NEW_HARM, "harm_broader": "harm/detection-strian"},
        {**EXISTING, **NEW_INTERVENTION, "intervention": "intervention/hash-matchings"},
        {**EXISTING, "intervention": "an-intervention-nobody-has"},
    ]
    csv_file.write_text(claims_csv(*rows), encoding="utf-8")
    done = run_cli("import", str(csv_file), "--date", DATE, "--skip-bad")
    lines = done.stderr.splitlines()
    assert (
        f"{csv_file}:2: intervention 'hash-matchin' is new, so 'intervention_label' is needed"
        " - did you mean 'intervention/hash-matching'?"
    ) in lines
    assert (
        f"{csv_file}:3: source 'source/iwf-2023-ai-csan' is neither a source in the graph nor a"
        " DOI or http(s) URL - did you mean 'source/iwf-2023-ai-csam'?"
    ) in lines
    assert (
        f"{csv_file}:4: harm_broader 'harm/detection-strian' is not a harm in the graph"
        " - did you mean 'harm/detection-strain'?"
    ) in lines
    # A new entity that is complete is made, with a warning in case it was a typo.
    assert (
        f"{csv_file}:5: warning: new intervention 'hash-matchings' is close to an existing one"
        " - did you mean 'intervention/hash-matching'?"
    ) in lines
    (far,) = [x for x in lines if x.startswith(f"{csv_file}:6: ")]
    assert "did you mean" not in far
    assert done.returncode == 0 and "imported 1 claim(s), skipped 4 bad row(s)" in lines[-1]
