"""Read-only SPARQL: updates, LOAD and SERVICE are refused by their parsed form."""

from __future__ import annotations

import csv
import io
import json

import pytest

from conftest import run_cli
from harmgraph.errors import QueryFailed, QueryRefused
from harmgraph.rdf.query import check_read_only

REFUSED = [
    "INSERT DATA { <https://e/a> <https://e/b> <https://e/c> }",
    "DELETE WHERE { ?s ?p ?o }",
    "LOAD <https://example.org/data.ttl>",
    "CLEAR ALL",
    "DROP GRAPH <https://w3id.org/harmgraph/graph/data>",
    "SELECT * WHERE { SERVICE <https://query.wikidata.org/sparql> { ?s ?p ?o } }",
    "SELECT * WHERE { ?s ?p ?o OPTIONAL { SERVICE SILENT <http://e/> { ?s ?q ?r } } }",
]


@pytest.mark.parametrize("sparql", REFUSED)
def test_refused(sparql):
    with pytest.raises(QueryRefused):
        check_read_only(sparql)


def test_service_in_a_comment_or_string_is_not_refused():
    check_read_only('# SERVICE <http://e/>\nSELECT * WHERE { ?s ?p "SERVICE" }')


def test_not_sparql_is_a_query_error():
    with pytest.raises(QueryFailed):
        check_read_only("SELEKT nothing")


@pytest.mark.parametrize("sparql", REFUSED[:1] + REFUSED[5:6])
def test_cli_refuses_with_exit_2(sparql):
    result = run_cli("query", sparql)
    assert result.returncode == 2
    assert "refused" in result.stderr
    assert "Traceback" not in result.stderr


def test_cli_query_formats():
    sparql = "SELECT ?h ?label WHERE { ?h a hg:Harm ; skos:prefLabel ?label } ORDER BY ?h"
    as_json = json.loads(run_cli("query", sparql, "--format", "json").stdout)
    assert as_json["columns"] == ["h", "label"]
    assert any(row["h"].endswith("/harm/normalisation") for row in as_json["rows"])
    rows = list(csv.reader(io.StringIO(run_cli("query", sparql, "--format", "csv").stdout)))
    assert rows[0] == ["h", "label"] and len(rows) - 1 == len(as_json["rows"])
    table = run_cli("query", sparql).stdout.splitlines()
    assert table[0].split() == ["h", "label"]


def test_cli_query_from_file_and_row_cap(tmp_path):
    query = tmp_path / "q.rq"
    query.write_text("SELECT ?s WHERE { ?s ?p ?o }")
    result = json.loads(
        run_cli("query", "--file", str(query), "--format", "json", "--max-rows", "5").stdout
    )
    assert len(result["rows"]) == 5 and result["truncated"] is True


RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def run_watching_forks(tmp_path, *args: str):
    """Run the CLI with DeprecationWarnings as errors and a hook that records any fork."""
    import subprocess
    import sys

    flag = tmp_path / "forked"
    code = (
        "import os, sys\n"
        f"os.register_at_fork(before=lambda: open({str(flag)!r}, 'w').close())\n"
        f"sys.argv = ['harmgraph', *{list(args)!r}]\n"
        "from harmgraph.cli import main\n"
        "main()\n"
    )
    result = subprocess.run(
        [sys.executable, "-W", "error::DeprecationWarning", "-c", code],
        capture_output=True,
        text=True,
        timeout=120,
    )
    return result, flag.exists()


def test_cli_time_limit_stops_a_runaway_query_without_forking(tmp_path):
    # run_watching_forks's own timeout (120 s) stops the test if the limit does not; how long
    # the stop takes is not asserted (a busy machine must not fail it).
    result, forked = run_watching_forks(tmp_path, "query", "--timeout", "1", RUNAWAY)
    assert result.returncode == 2
    assert "longer than the time limit of 1 s" in result.stderr
    assert "Traceback" not in result.stderr and "DeprecationWarning" not in result.stderr
    assert not forked, "the CLI forked a process"


def test_cli_row_cap_and_no_fork(tmp_path):
    result, forked = run_watching_forks(
        tmp_path, "query", "--max-rows", "2", "--format", "json", "SELECT ?s WHERE { ?s a hg:Harm }"
    )
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert len(answer["rows"]) == 2 and answer["truncated"] is True
    assert not forked


def test_time_limit_on_an_on_disk_store(tmp_path):
    store = tmp_path / "store"
    first = run_cli("--store", str(store), "query", "SELECT ?s WHERE { ?s a hg:Harm } LIMIT 1")
    assert first.returncode == 0, first.stderr
    result = run_cli("--store", str(store), "query", "--timeout", "1", RUNAWAY)
    assert result.returncode == 2 and "time limit" in result.stderr


def test_worker_is_killed_when_the_limit_passes():
    """After the limit the worker process is gone, so the CPU is free; the next query works."""
    from pathlib import Path

    from harmgraph.rdf.load import kb_dir
    from harmgraph.rdf.query_worker import QueryWorker

    worker = QueryWorker([kb_dir()])
    try:
        worker.select("ASK { ?s ?p ?o }", 30, 1)
        pid = worker.pid
        assert pid is not None
        with pytest.raises(QueryFailed, match="time limit"):
            worker.select(RUNAWAY, 1, 10)
        # The worker was killed and waited for before the error was raised: no wait is needed.
        assert not Path(f"/proc/{pid}").exists() or "Z" in Path(f"/proc/{pid}/stat").read_text()
        columns, rows, _ = worker.select("SELECT ?s WHERE { ?s a hg:Harm } LIMIT 1", 30, 5)
        assert columns == ["s"] and len(rows) == 1
        assert worker.pid != pid
    finally:
        worker.close()
