"""Read-only SPARQL for users: refuse what writes or reaches the network, then run.

The check reads the parsed query (rdflib's SPARQL grammar), not the text, so
``SERVICE`` in a comment or a string is not refused and an update is always caught.

Examples
--------
>>> check_read_only("SELECT ?s WHERE { ?s a hg:Harm }")
>>> check_read_only("DELETE WHERE { ?s ?p ?o }")  # doctest: +IGNORE_EXCEPTION_DETAIL
Traceback (most recent call last):
harmgraph.errors.QueryRefused: SPARQL updates are refused: harmgraph is read-only
"""

from __future__ import annotations

import json

from pyparsing import ParseException
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue

from harmgraph.errors import QueryFailed, QueryRefused
from harmgraph.rdf.endpoint import EndpointStore
from harmgraph.rdf.load import LoadedGraph
from harmgraph.rdf.query_worker import QueryWorker
from harmgraph.rdf.store import with_prefixes
from harmgraph.tables import csv_text, format_table

#: Parse-tree nodes that would reach beyond the store.
_REMOTE = {"ServiceGraphPattern": "SERVICE (a call to a remote endpoint)"}


def check_read_only(sparql: str) -> None:
    """Raise :class:`QueryRefused` unless ``sparql`` is a read-only query without SERVICE."""
    text = with_prefixes(sparql)
    try:
        tree = parseQuery(text)
    except ParseException as query_error:
        try:
            parseUpdate(text)
        except ParseException:
            msg = f"the query is not valid SPARQL: {query_error.msg} (line {query_error.lineno})"
            raise QueryFailed(msg) from None
        msg = (
            "SPARQL updates are refused: harmgraph is read-only "
            "(INSERT, DELETE, LOAD, CLEAR, DROP...)"
        )
        raise QueryRefused(msg) from None
    found = _find_remote(tree)
    if found:
        raise QueryRefused(f"{found} is refused: queries run only over the local graph")


def _find_remote(node: object) -> str | None:
    if isinstance(node, CompValue) and node.name in _REMOTE:
        return _REMOTE[node.name]
    children = node.values() if isinstance(node, dict) else node
    if isinstance(node, (str, bytes)) or not hasattr(children, "__iter__"):
        return None
    for child in children:
        found = _find_remote(child)
        if found:
            return found
    return None


DEFAULT_TIMEOUT = 10.0
DEFAULT_MAX_ROWS = 10_000


def select_limited(
    target: LoadedGraph | QueryWorker,
    sparql: str,
    timeout: float = DEFAULT_TIMEOUT,
    max_rows: int = DEFAULT_MAX_ROWS,
) -> tuple[list[str], list[list[str]], bool]:
    """Check and run a read-only SELECT with a time limit and a row cap.

    ``target`` is a loaded graph or a :class:`~harmgraph.rdf.query_worker.QueryWorker`. A graph's
    queries run in its own worker process (started once and kept in the graph's cache), which
    is killed when the time limit passes, so a runaway query stops using the CPU; nothing is
    ever forked. On a SPARQL endpoint the HTTP request carries the time limit instead.
    Returns the columns, at most ``max_rows`` rows, and whether the cap was hit.
    """
    check_read_only(sparql)
    if isinstance(target, QueryWorker):
        return target.select(sparql, timeout, max_rows)
    if isinstance(target.store, EndpointStore):
        columns, rows = target.store.select_table(sparql, timeout=timeout)
        return columns, rows[:max_rows], len(rows) > max_rows
    worker = target.cache.get("query_worker")
    if not isinstance(worker, QueryWorker):
        worker = target.cache["query_worker"] = QueryWorker(target.data_files, target.store_dir)
    return worker.select(sparql, timeout, max_rows)


def run_query(
    target: LoadedGraph | QueryWorker,
    sparql: str,
    fmt: str = "table",
    max_rows: int = DEFAULT_MAX_ROWS,
    timeout: float = DEFAULT_TIMEOUT,
) -> str:
    """Check and run a read-only query; return it formatted as ``table``, ``csv`` or ``json``."""
    columns, rows, capped = select_limited(target, sparql, timeout, max_rows)
    if fmt == "json":
        return json.dumps(
            {
                "columns": columns,
                "rows": [dict(zip(columns, r, strict=True)) for r in rows],
                "truncated": capped,
            },
            ensure_ascii=False,
            indent=2,
        )
    if fmt == "csv":
        return csv_text(columns, rows).rstrip("\n")
    return format_table(columns, rows)
