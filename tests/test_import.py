"""`harmgraph import`: coded studies in a CSV become conforming Turtle; bad rows are reported
by row number and nothing is written unless all rows are good (or --skip-bad)."""

from __future__ import annotations

import json

from conftest import ROOT, run_cli

EXAMPLE = ROOT / "examples" / "claims.csv"
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


def test_example_csv_imports_and_changes_the_gaps(tmp_path):
    out = tmp_path / "mine.ttl"
    result = run_cli("import", str(EXAMPLE), "--out", str(out))
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
    result = run_cli("import", str(csv_file), "--out", str(out))
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
    result = run_cli("import", str(csv_file), "--out", str(out))
    assert result.returncode == 1 and not out.exists()
    for number, (_, reason) in enumerate(BAD_ROWS, start=3):
        assert f"{csv_file}:{number}: " in result.stderr and reason in result.stderr
    assert "Traceback" not in result.stderr
    skipped = run_cli("import", str(csv_file), "--out", str(out), "--skip-bad")
    assert skipped.returncode == 0 and out.exists()
    report = (tmp_path / "bad.ttl.report.csv").read_text()
    assert report.count("\n") == len(BAD_ROWS) + 1


def test_missing_columns_are_reported(tmp_path):
    csv_file = tmp_path / "short.csv"
    csv_file.write_text("intervention,harm\nintervention/hash-matching,harm/detection-strain\n")
    result = run_cli("import", str(csv_file))
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
    result = run_cli("import", str(csv_file), "--out", str(out))
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
    result = run_cli("import", str(csv_file), "--out", str(out))
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
    result = run_cli("import", str(csv_file), "--out", str(out))
    assert result.returncode == 1 and not out.exists()
    assert f"{csv_file}:2: violation: id/intervention/peer-support-circles" in result.stdout
    assert "imported.ttl" not in result.stdout + result.stderr
