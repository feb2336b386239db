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

import csv
import io
import json

from pyparsing import ParseException
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue

from harmgraph.errors import QueryFailed, QueryRefused
from harmgraph.store import GraphStore, with_prefixes

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


def run_query(store: GraphStore, sparql: str, fmt: str = "table", max_rows: int = 10_000) -> str:
    """Check and run a read-only query; return it formatted as ``table``, ``csv`` or ``json``."""
    check_read_only(sparql)
    columns, rows = store.select_table(sparql)
    capped = len(rows) > max_rows
    rows = rows[:max_rows]
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
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows(rows)
        return buffer.getvalue().rstrip("\n")
    return format_table(columns, rows)


def format_table(columns: list[str], rows: list[list[str]], width: int = 60) -> str:
    """Render rows as a plain-text table, cutting cells longer than ``width``.

    >>> print(format_table(["a", "b"], [["1", "two"]]))
    a  b
    -  ---
    1  two
    """
    cut = [[c if len(c) <= width else c[: width - 1] + "…" for c in row] for row in rows]
    sizes = [max([len(h)] + [len(r[i]) for r in cut]) for i, h in enumerate(columns)]
    lines = ["  ".join(h.ljust(sizes[i]) for i, h in enumerate(columns)).rstrip()]
    lines.append("  ".join("-" * sizes[i] for i in range(len(columns))))
    lines += ["  ".join(c.ljust(sizes[i]) for i, c in enumerate(r)).rstrip() for r in cut]
    return "\n".join(lines)
