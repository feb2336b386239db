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
import multiprocessing
from multiprocessing.connection import Connection

from pyparsing import ParseException
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue

from harmgraph.errors import HarmgraphError, QueryFailed, QueryRefused
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


DEFAULT_TIMEOUT = 10.0
DEFAULT_MAX_ROWS = 10_000


def _child(store: GraphStore, sparql: str, max_rows: int, conn: Connection) -> None:
    try:
        columns, rows = store.select_table(sparql)
        conn.send(("ok", columns, rows[: max_rows + 1]))
    except HarmgraphError as error:
        conn.send(("error", type(error).__name__, str(error)))
    finally:
        conn.close()


def select_limited(
    store: GraphStore,
    sparql: str,
    timeout: float = DEFAULT_TIMEOUT,
    max_rows: int = DEFAULT_MAX_ROWS,
) -> tuple[list[str], list[list[str]], bool]:
    """Check and run a read-only SELECT with a time limit and a row cap.

    The query runs in a forked child process that shares the in-memory store; when the
    time limit passes the child is killed, which frees the CPU (a thread could not be
    stopped). Returns the columns, at most ``max_rows`` rows, and whether the cap was hit.
    """
    check_read_only(sparql)
    if not hasattr(store, "_store") or timeout <= 0:
        # An endpoint (or no limit): the HTTP request itself carries the time limit.
        columns, rows = store.select_table(sparql, timeout=timeout or None)
        return columns, rows[:max_rows], len(rows) > max_rows
    context = multiprocessing.get_context("fork")
    parent, child = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(store, sparql, max_rows, child), daemon=True)
    process.start()
    child.close()
    try:
        if not parent.poll(timeout):
            msg = f"the query ran longer than the time limit of {timeout:g} s and was stopped"
            raise QueryFailed(msg)
        result = parent.recv()
    except EOFError:
        raise QueryFailed("the query process ended without an answer") from None
    finally:
        if process.is_alive():
            process.kill()
        process.join(1)
        parent.close()
    if result[0] == "error":
        raise (QueryRefused if result[1] == "QueryRefused" else QueryFailed)(result[2])
    _, columns, rows = result
    return columns, rows[:max_rows], len(rows) > max_rows


def run_query(
    store: GraphStore,
    sparql: str,
    fmt: str = "table",
    max_rows: int = DEFAULT_MAX_ROWS,
    timeout: float = DEFAULT_TIMEOUT,
) -> str:
    """Check and run a read-only query; return it formatted as ``table``, ``csv`` or ``json``."""
    columns, rows, capped = select_limited(store, sparql, timeout, max_rows)
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


def example_queries() -> list[tuple[str, str]]:
    """The competency questions shipped in ``graph/queries/cq-*.rq``: (question, query).

    >>> questions = example_queries()
    >>> questions[0][0].startswith("Which harms")
    True
    """
    from importlib import resources

    found = []
    folder = resources.files("harmgraph.queries")
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.startswith("cq-") and entry.name.endswith(".rq"):
            text = entry.read_text(encoding="utf-8")
            title = text.splitlines()[0].lstrip("# ").strip()
            found.append((title, text))
    return found
