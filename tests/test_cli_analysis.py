"""The analysis commands through the real CLI, on the bundled graph and on --data."""

from __future__ import annotations

import csv
import io
import json

import pytest

from conftest import MINI, run_cli


def test_research_needs_of_the_founding_paper_appear():
    result = run_cli("gaps", "--kind", "research-need", "--format", "json")
    assert result.returncode == 0, result.stderr
    labels = " | ".join(g["subject_label"].lower() for g in json.loads(result.stdout))
    for need in (
        "ai-specific detection",
        "international policy frameworks",
        "longitudinal studies",
    ):
        assert need in labels, need


def test_harm_reduction_claim_is_contested():
    result = run_cli("gaps", "--kind", "contested", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert any(r["subject"] == "intervention/synthetic-material-as-substitute-outlet" for r in rows)


def test_matrix_csv_has_one_line_per_cell():
    stats = json.loads(run_cli("stats", "--format", "json").stdout)
    result = run_cli(
        "matrix", "--rows", "intervention-type", "--cols", "harm-facet", "--format", "csv"
    )
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == stats["intervention_types"] * stats["harm_facets"]
    assert any(r["claims"] == "0" for r in rows), "empty cells are part of the output"


def test_matrix_filter_changes_the_result_and_bad_filter_exit_2():
    all_cells = json.loads(run_cli("matrix", "--format", "json").stdout)["cells"]
    legal = json.loads(
        run_cli("matrix", "--filter", "evidence-kind=LegalText", "--format", "json").stdout
    )
    assert sum(c["claims"] for c in legal["cells"]) < sum(c["claims"] for c in all_cells)
    bad = run_cli("matrix", "--filter", "colour=red")
    assert bad.returncode == 2 and "bad filter" in bad.stderr and "Traceback" not in bad.stderr


def test_priorities_with_weights_and_sensitivity():
    result = run_cli("priorities", "--weight", "severity=5", "--sensitivity", "--format", "json")
    ranked = json.loads(result.stdout)
    assert ranked[0]["rank"] == 1 and ranked[0]["weights"]["severity"] == 5
    # The CLI ranks exactly what the Python API ranks with the same weights.
    from harmgraph.analysis.priorities import DEFAULT_WEIGHTS, rank_priorities
    from harmgraph.rdf.load import load_graph

    api = rank_priorities(load_graph(), DEFAULT_WEIGHTS | {"severity": 5.0}, with_sensitivity=True)
    assert [
        (r["kind"], r["subject"], r["object"], r["rank_min"], r["rank_max"]) for r in ranked
    ] == [(r["kind"], r["subject"], r["object"], r["rank_min"], r["rank_max"]) for r in api]
    assert run_cli("priorities", "--weight", "severity=-2").returncode == 2


def test_path_neighbours_and_unknown_entity():
    found = run_cli("--data", str(MINI), "path", "technology/tech-x", "actor/actor-p")
    assert found.returncode == 0 and "--enables-->" in found.stdout
    none = run_cli("--data", str(MINI), "path", "harm/facet-b", "actor/actor-p")
    assert none.returncode == 1 and "no path found" in none.stderr
    ego = json.loads(
        run_cli("neighbours", "harm/offending-pathway", "--depth", "2", "--format", "json").stdout
    )
    assert ego["center"].endswith("/harm/offending-pathway") and len(ego["nodes"]) > 1
    unknown = run_cli("neighbours", "no such entity")
    assert unknown.returncode == 1 and "is not in the graph" in unknown.stderr


def test_one_resolver_for_cli_app_and_network():
    """The entity page and the network resolve names with the same rules and messages."""
    from harmgraph.analysis.entity import describe_entity
    from harmgraph.analysis.network import ego_network
    from harmgraph.errors import UnknownEntity
    from harmgraph.rdf.load import load_graph

    graph = load_graph()
    by_label = describe_entity(graph, "Normalisation of the sexual exploitation of children")
    assert by_label["iri"].endswith("/harm/normalisation")
    assert ego_network(graph, "normalisation of the sexual exploitation of children")[
        "center"
    ].endswith("/harm/normalisation")
    with pytest.raises(UnknownEntity, match="did you mean harm/normalisation"):
        ego_network(graph, "normalisation")
    with pytest.raises(UnknownEntity, match="did you mean harm/normalisation"):
        describe_entity(graph, "normalisation")
    # A source is an entity, but not a node of the network.
    assert describe_entity(graph, "source/iwf-2023-ai-csam")["kind"] == "source"
    with pytest.raises(UnknownEntity, match="harm, technology, actor, intervention"):
        ego_network(graph, "source/iwf-2023-ai-csam")


def test_centrality_lists_sources():
    result = json.loads(run_cli("centrality", "--format", "json").stdout)
    # Count, straight from the Turtle with rdflib, how many claims cite each source.
    import collections

    import rdflib

    from conftest import ROOT

    turtle = rdflib.Graph().parse(ROOT / "graph" / "kb" / "claims.ttl", format="turtle")
    hg = rdflib.Namespace("https://w3id.org/harmgraph/ontology#")
    per_source = collections.Counter()
    for claim in set(turtle.subjects(rdflib.RDF.type, hg.Claim)):
        for source in {turtle.value(c, hg.source) for c in turtle.objects(claim, hg.citation)}:
            per_source[str(source)] += 1
    top_count = max(per_source.values())
    listed = result["sources_by_claims"]
    assert listed[0]["count"] == top_count
    assert per_source[listed[0]["iri"]] == top_count


def test_stats_counts_agree_in_every_format():
    """Regression: the Markdown said 46 interventions, the table and JSON 54: types were
    left out of one and counted in the others. Every format counts the same things and says
    what it counts."""
    counts = json.loads(run_cli("stats", "--format", "json").stdout)
    table = run_cli("stats").stdout.splitlines()
    rows = {line.split()[0]: line.split(None, 2)[1:] for line in table[2:]}
    for key, value in counts.items():
        assert rows[key][0] == str(value), key
    assert "the intervention types included" in rows["interventions"][1]
    markdown = run_cli("stats", "--format", "markdown").stdout.split("\n\n")[0]
    assert f"**{counts['interventions']} interventions** " in markdown
    assert f"({counts['intervention_types']} of them intervention types)" in markdown
    assert f"**{counts['harms']} harms** ({counts['harm_facets']} of them facets)" in markdown
    assert f"**{counts['sources']} evidence sources** ({counts['sources_on_copy']} of them" in (
        markdown
    )
    assert counts["sources_on_copy"] > 0


def test_stats_markdown_calls_no_source_verified(tmp_path):
    """Regression: the summary called every source "verified", those a user imported too."""
    source = (
        "intervention,harm,source,locator,evidence_kind,direction,confidence,rationale,"
        "source_title,source_year,source_publisher,source_kind\n"
        "hash-matching,normalisation,https://example.org/my-report,p. 2,ExpertOpinion,"
        "supports,low,An unchecked report of my own.,My report,2026,Me,Report\n"
    )
    (tmp_path / "mine.csv").write_text(source, encoding="utf-8")
    done = run_cli("import", "mine.csv", "--date", "2026-12-01", "--out", "mine.ttl", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    bundled = json.loads(run_cli("stats", "--format", "json").stdout)["sources"]
    for data, sources in (([], bundled), (["--with-bundled", "--data", "mine.ttl"], bundled + 1)):
        markdown = run_cli(*data, "stats", "--format", "markdown", cwd=tmp_path).stdout
        first = markdown.split("\n\n")[0]
        assert "verified" not in first
        assert f"**{sources} evidence sources**" in first


def test_path_limit_prints_the_first_paths_and_says_how_many_there_are():
    """Regression: `path` printed up to 50 paths (a quarter of the README) and cut the rest
    without a word, so the docs said "50 paths" where there were 59."""
    ends = ["technology/nudify-apps", "actor/children-and-young-people"]
    every = run_cli("path", *ends, "--limit", "100000", "--format", "json")
    paths = json.loads(every.stdout)
    assert len(paths) > 50
    assert every.stderr.strip() == f"{len(paths)} path(s) of at most 4 link(s)"
    table = run_cli("path", *ends)
    assert "path 20:" in table.stdout and "path 21:" not in table.stdout
    assert table.stdout.rstrip().endswith(
        f"{len(paths)} path(s) of at most 4 link(s); the first 20 shown (--limit)"
    )
    two = run_cli("path", *ends, "--limit", "2", "--format", "json")
    assert json.loads(two.stdout) == paths[:2]
    assert f"{len(paths)} path(s) of at most 4 link(s); the first 2 shown" in two.stderr


def test_priorities_csv_has_the_iris_and_whole_labels():
    """Regression: the CSV had the table's labels, cut at 40 and 30 characters, and no IRI."""
    ranked = json.loads(run_cli("priorities", "--format", "json").stdout)
    rows = list(csv.DictReader(io.StringIO(run_cli("priorities", "--format", "csv").stdout)))
    assert len(rows) == len(ranked)
    for row, gap in zip(rows, ranked, strict=True):
        assert row["subject_iri"] == gap["subject"] and row["object_iri"] == (gap["object"] or "")
        assert row["subject"] == gap["subject_label"] and row["object"] == gap["object_label"]
    assert any(len(row["subject"]) > 40 for row in rows)
    assert any(len(row["object"]) > 30 for row in rows)
    # The table may cut them to fit a terminal.
    long = next(row["subject"] for row in rows if len(row["subject"]) > 40)
    table = run_cli("priorities").stdout
    assert long[:40] in table and long not in table
