"""Read-only SPARQL: updates, LOAD and SERVICE are refused by their parsed form."""

from __future__ import annotations

import csv
import io
import json

import pytest

from conftest import run_cli
from harmgraph.errors import QueryFailed, QueryRefused
from harmgraph.query import check_read_only

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
