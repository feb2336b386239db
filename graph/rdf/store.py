"""The query store: the only module that imports pyoxigraph.

A :class:`GraphStore` holds the ontology and the data in two named graphs and
answers SPARQL over their union. Everything else in harmgraph talks to this
narrow interface (``query``, ``ask``, ``triples``, ``dump``, ``__len__``), so a
SPARQL endpoint can stand behind it instead of the embedded store.

Examples
--------
>>> store = GraphStore()
>>> store.load_bytes(b'<https://e/a> <https://e/b> "c" .', "ntriples", graph="data")
1
>>> store.query("SELECT ?o WHERE { ?s ?p ?o }")
[{'o': 'c'}]
>>> len(store)
1
"""

from __future__ import annotations

import os
import re
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from itertools import islice
from pathlib import Path

import pyoxigraph as ox

from harmgraph.errors import InputError, QueryFailed
from harmgraph.rdf.namespaces import DATA_GRAPH, ONTOLOGY_GRAPH, PREFIXES, SHAPES_GRAPH
from harmgraph.rdf.terms import Term, literal

#: Serialisation formats by the names the CLI uses, with their file extension.
FORMATS: dict[str, tuple[ox.RdfFormat, str]] = {
    "turtle": (ox.RdfFormat.TURTLE, "ttl"),
    "ntriples": (ox.RdfFormat.N_TRIPLES, "nt"),
    "jsonld": (ox.RdfFormat.JSON_LD, "jsonld"),
    "xml": (ox.RdfFormat.RDF_XML, "rdf"),
    "trig": (ox.RdfFormat.TRIG, "trig"),
    "nquads": (ox.RdfFormat.N_QUADS, "nq"),
}

_GRAPHS = {"ontology": ONTOLOGY_GRAPH, "data": DATA_GRAPH, "shapes": SHAPES_GRAPH}

#: At most this many queries at once in :meth:`GraphStore.query_many`. pyoxigraph evaluates a
#: query without holding Python's lock, but its rows become Python values on one thread, which
#: keeps up with about one other; and each query running holds its whole answer in memory
#: (at a million triples, two at once held about 100 MB more at the peak than one at a time).
MAX_QUERY_THREADS = 2


def to_term(term: object) -> Term | None:
    """A pyoxigraph term as a harmgraph :class:`~harmgraph.rdf.terms.Term` (None when unbound)."""
    if term is None:
        return None
    kind = type(term)
    if kind is ox.NamedNode:
        return Term("iri", term.value)
    if kind is ox.BlankNode:
        return Term("bnode", term.value)
    if kind is ox.Literal:
        if term.language:
            return literal(term.value, language=term.language)
        return Term("literal", term.value, term.datatype.value)
    raise TypeError(f"unexpected term {term!r}")


def _term_value(term: object) -> str | None:
    if term is None:
        return None
    kind = type(term)
    if kind is ox.NamedNode or kind is ox.Literal:
        return term.value
    if kind is ox.BlankNode:
        return "_:" + term.value
    return str(term)


def _rows(variables: list[str], solutions: Iterable) -> list[dict[str, str | None]]:
    # Reading a solution's terms in order is several times faster than by name, and this loop
    # is most of the cost of reading a million-triple graph into the analyses.
    return [dict(zip(variables, map(_term_value, row), strict=True)) for row in solutions]


def _rows_freeing(variables: list[str], solutions: list) -> list[dict[str, str | None]]:
    """:func:`_rows` of a list of solutions, emptying the list a slice at a time as it goes,
    so that a large answer is not held twice, as solutions and as rows, at its end."""
    rows: list[dict[str, str | None]] = []
    while solutions:
        part = solutions[:4096]
        del solutions[:4096]
        rows += _rows(variables, part)
    return rows


class GraphStore:
    """An in-memory (or on-disk) pyoxigraph store with harmgraph's named graphs."""

    def __init__(self, path: Path | None = None, read_only: bool = False) -> None:
        self._on_disk = path is not None
        if path is None:
            self._store = ox.Store()
        elif read_only:
            self._store = ox.Store.read_only(str(path))
        else:
            self._store = ox.Store(str(path))
        self._union_exact: bool | None = None

    def settle(self) -> None:
        """Write everything to disk and finish compacting it (on-disk stores), so that no work
        left in the background changes the files after this returns."""
        self._store.flush()
        self._store.optimize()

    # ------------------------------------------------------------------ writing
    def load_bytes(
        self, data: bytes, fmt: str, graph: str = "data", source: Path | None = None
    ) -> int:
        """Parse ``data`` in ``fmt`` into ``graph``; return the number of new quads.

        A syntax error becomes an :class:`InputError` with the parser's line and column. The
        store only parses: checking a file before it is handed here is
        :func:`harmgraph.rdf.load.read_file`'s job.
        """
        before = len(self._store)
        self._load(fmt, graph, source, data=data)
        return len(self._store) - before

    def load_file(self, path: Path, fmt: str, graph: str = "data") -> None:
        """Parse the file at ``path`` into ``graph``, read by pyoxigraph itself: the file's
        bytes never become a Python object, which saves their copy in memory at scale.

        Nothing is counted, so that a load does not scan the whole store twice.
        """
        self._load(fmt, graph, path, path=path)

    def _load(
        self,
        fmt: str,
        graph: str,
        source: Path | None,
        data: bytes | None = None,
        path: Path | None = None,
    ) -> None:
        rdf_format = FORMATS[fmt][0]
        target = ox.NamedNode(_GRAPHS[graph])
        base = source.resolve().as_uri() if source is not None else None
        where = {"path": str(path)} if path is not None else {"input": data}
        self._union_exact = None  # the graphs held may have changed
        try:
            if rdf_format.supports_datasets:
                quads = ox.parse(**where, format=rdf_format, base_iri=base)
                self._store.extend(ox.Quad(q.subject, q.predicate, q.object, target) for q in quads)
            elif self._on_disk:
                self._store.bulk_load(**where, format=rdf_format, to_graph=target, base_iri=base)
            else:
                # For the in-memory store a plain (transactional) load is as fast as bulk_load
                # and holds less memory at its peak.
                self._store.load(**where, format=rdf_format, to_graph=target, base_iri=base)
        except SyntaxError as error:
            raise _input_error(error, fmt, source) from None
        except (OSError, ValueError) as error:
            raise InputError(f"could not be read as {fmt}: {error}", path=source) from None
        except MemoryError as error:
            # pyoxigraph's parser caps one token (a literal or an IRI) at 16 MiB and signals it
            # with MemoryError; nothing was added, so this is bad input, not an exhausted machine.
            raise InputError(
                f"could not be read as {fmt}: a single literal or IRI is larger than the "
                f"parser's limit ({error})",
                path=source,
            ) from None

    def update(self, sparql: str) -> None:
        """Run a SPARQL update. Internal use only: user queries never reach this."""
        self._union_exact = None
        self._store.update(with_prefixes(sparql))

    # ------------------------------------------------------------------ reading
    def __len__(self) -> int:
        """The number of triples in the ontology and data graphs (the shapes are not counted)."""
        if self._union_is_exact():
            return len(self._store)  # the store's own count, without a query
        return self.count("ontology") + self.count("data")

    def query(self, sparql: str, graph: str | None = None) -> list[dict[str, str | None]]:
        """Run a SELECT query over the union of graphs; return rows of plain strings."""
        results = self._run(sparql, graph)
        return _rows([v.value for v in results.variables], results)

    def query_many(self, queries: Sequence[str]) -> Iterator[list[dict[str, str | None]]]:
        """Run several SELECT queries over the union at once; yield each one's rows (as
        :meth:`query` gives them) in the order of ``queries``, each as soon as it is ready.

        pyoxigraph evaluates a query without holding Python's global lock, so on a machine
        with more than one core the queries run side by side: on two cores, reading a
        million-triple graph into the analyses took about a quarter less time. The store is
        safe to read from several threads; a failed query raises its error here, in its turn.

        >>> store = GraphStore()
        >>> store.load_bytes(b'<https://e/a> <https://e/b> "c" .', "ntriples", graph="data")
        1
        >>> queries = ["SELECT ?o WHERE { ?s ?p ?o }", "SELECT ?s WHERE { ?s ?p ?o }"]
        >>> list(store.query_many(queries))
        [[{'o': 'c'}], [{'s': 'https://e/a'}]]
        """
        threads = min(len(queries), os.cpu_count() or 1, MAX_QUERY_THREADS)
        if threads < 2:
            yield from map(self.query, queries)
            return
        waiting = iter(queries)
        with ThreadPoolExecutor(threads, thread_name_prefix="harmgraph-query") as pool:
            # The threads only gather pyoxigraph's solutions, which needs Python's lock only
            # briefly per row; the rows become Python values here, one query at a time, while
            # the threads go on. Turning rows into values on the threads as well made them wait
            # for each other's lock, and nothing was gained. A query starts only when one has
            # been handed over, so no more than `threads` answers wait in memory at once.
            running = deque(pool.submit(self._solutions, q) for q in islice(waiting, threads))
            while running:
                variables, solutions = running.popleft().result()
                following = next(waiting, None)
                if following is not None:
                    running.append(pool.submit(self._solutions, following))
                yield _rows_freeing(variables, solutions)

    def _solutions(self, sparql: str) -> tuple[list[str], list]:
        results = self._run(sparql, None)
        return [v.value for v in results.variables], list(results)

    def query_terms(self, sparql: str, graph: str | None = None) -> list[dict[str, Term | None]]:
        """Run a SELECT query; return rows of typed terms (IRI, blank node or literal with its
        datatype or language), for callers that must tell them apart."""
        results = self._run(sparql, graph)
        variables = [v.value for v in results.variables]
        return [dict(zip(variables, map(to_term, row), strict=True)) for row in results]

    def ask(self, sparql: str) -> bool:
        """Run an ASK query."""
        return bool(self._run(sparql, None))

    def query_results(self, sparql: str, fmt: str) -> bytes:
        """Run a SELECT or ASK query and serialise its results (``json``, ``csv`` or ``tsv``)."""
        results = self._run(sparql, None)
        result_format = {
            "json": ox.QueryResultsFormat.JSON,
            "csv": ox.QueryResultsFormat.CSV,
            "tsv": ox.QueryResultsFormat.TSV,
        }[fmt]
        if isinstance(results, ox.QueryTriples):
            raise QueryFailed("CONSTRUCT and DESCRIBE results are not tables; use SELECT")
        return results.serialize(format=result_format)

    def select_table(
        self, sparql: str, timeout: float | None = None
    ) -> tuple[list[str], list[list[str]]]:
        """Run a SELECT query; return its variable names and rows of display strings."""
        results = self._run(sparql, None)
        if isinstance(results, (bool, ox.QueryBoolean)):
            return ["ask"], [["true" if bool(results) else "false"]]
        if isinstance(results, ox.QueryTriples):
            raise QueryFailed("CONSTRUCT and DESCRIBE results are not tables; use SELECT")
        variables = [v.value for v in results.variables]
        rows = [[value or "" for value in map(_term_value, row)] for row in results]
        return variables, rows

    def _run(self, sparql: str, graph: str | None):  # noqa: ANN202 - pyoxigraph result types
        try:
            if graph is None and self._union_is_exact():
                return self._store.query(with_prefixes(sparql), use_default_graph_as_union=True)
            if graph is None:
                # The ontology and data graphs only: the shapes graph must never leak into answers.
                graphs = [ox.NamedNode(ONTOLOGY_GRAPH), ox.NamedNode(DATA_GRAPH)]
                return self._store.query(with_prefixes(sparql), default_graph=graphs)
            return self._store.query(
                with_prefixes(sparql), default_graph=ox.NamedNode(_GRAPHS[graph])
            )
        except SyntaxError as error:
            raise QueryFailed(f"the query is not valid SPARQL: {error}") from None
        except OSError as error:
            raise QueryFailed(f"the query failed: {error}") from None

    def _union_is_exact(self) -> bool:
        """Whether the store holds the ontology and data graphs and nothing else (no shapes,
        nothing in the default graph). Then a query reads the union of all graphs, which
        pyoxigraph answers up to twice as fast as the same two graphs given as a list, with
        the same rows (each graph's copy of a triple counts either way)."""
        if self._union_exact is None:
            ours = {ox.NamedNode(ONTOLOGY_GRAPH), ox.NamedNode(DATA_GRAPH)}
            default = self._store.quads_for_pattern(None, None, None, ox.DefaultGraph())
            self._union_exact = set(self._store.named_graphs()) <= ours and not any(
                True for _ in default
            )
        return self._union_exact

    def triples(self, graphs: Iterable[str] = ("ontology", "data")) -> Iterator[ox.Triple]:
        """Yield the triples of the given named graphs (as pyoxigraph triples)."""
        for name in graphs:
            target = ox.NamedNode(_GRAPHS[name])
            for quad in self._store.quads_for_pattern(None, None, None, target):
                yield quad.triple

    def describe(self, iri: str, graphs: str | Iterable[str] = "data") -> list[ox.Triple]:
        """The concise bounded description of ``iri``: its statements, and the statements of
        every blank node they reach (citations, author lists) and of every hash IRI of its
        own they reach (a review's ``<review>#record-1``: a client that looks that IRI up is
        sent to this description), from the named graphs given."""
        targets = (
            [ox.NamedNode(_GRAPHS[graphs])]
            if isinstance(graphs, str)
            else [ox.NamedNode(_GRAPHS[name]) for name in graphs]
        )
        own = iri + "#"
        triples: list[ox.Triple] = []
        queue: list[ox.NamedNode | ox.BlankNode] = [ox.NamedNode(iri)]
        seen: set[ox.NamedNode | ox.BlankNode] = set(queue)
        while queue:
            node = queue.pop()
            for target in targets:
                for quad in self._store.quads_for_pattern(node, None, None, target):
                    triples.append(quad.triple)
                    reached = quad.object
                    if reached in seen:
                        continue
                    if isinstance(reached, ox.BlankNode) or (
                        isinstance(reached, ox.NamedNode) and reached.value.startswith(own)
                    ):
                        seen.add(reached)
                        queue.append(reached)
        return triples

    def describe_as(self, iri: str, fmt: str, graphs: str | Iterable[str] = "data") -> bytes:
        """:meth:`describe` serialised as ``fmt`` (any of :data:`FORMATS` that holds one graph),
        declaring only the prefixes its triples use, so a small entity gets a small file."""
        triples = self.describe(iri, graphs)
        names = " ".join(str(term) for t in triples for term in (t.subject, t.predicate, t.object))
        prefixes = {p: ns for p, ns in PREFIXES.items() if "<" + ns in names}
        return ox.serialize(triples, format=FORMATS[fmt][0], prefixes=prefixes)

    def count(self, graph: str) -> int:
        """Return the number of triples in one named graph."""
        if graph == "data" and self._union_is_exact():
            # The store counts itself several times faster than a COUNT query over the data.
            return len(self._store) - self.count("ontology")
        rows = self.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", graph=graph)
        return int(rows[0]["n"] or 0)

    def dump(self, fmt: str, graphs: Iterable[str] = ("ontology", "data")) -> bytes:
        """Serialise the given graphs as one graph (or, for TriG/N-Quads, as named graphs).

        Each named graph is written by the store itself (no Python loop over triples):
        N-Triples and Turtle documents concatenate into one valid document, and JSON-LD
        arrays are spliced; only RDF/XML goes through a Python iterator.
        """
        graphs = list(graphs)
        rdf_format = FORMATS[fmt][0]
        prefixes = PREFIXES if fmt in ("turtle", "trig", "xml", "jsonld") else None
        if fmt in ("trig", "nquads"):
            quads = (
                quad
                for name in graphs
                for quad in self._store.quads_for_pattern(
                    None, None, None, ox.NamedNode(_GRAPHS[name])
                )
            )
            return ox.serialize(quads, format=rdf_format, prefixes=prefixes)
        if fmt in ("ntriples", "turtle", "jsonld"):
            parts = [
                self._store.dump(
                    format=rdf_format, from_graph=ox.NamedNode(_GRAPHS[name]), prefixes=prefixes
                )
                for name in graphs
            ]
            if fmt != "jsonld":
                return b"".join(parts)
            # Splice the arrays through memoryviews: at a million triples each part is over
            # 100 MB, and every bytes slice or strip would copy it again.
            items = []
            for part in parts:
                start, end = part.find(b"[") + 1, part.rfind(b"]")
                body = memoryview(part)[start:end]
                if end - start > 64 or bytes(body).strip():  # skip a graph's empty array
                    items.append(body)
            return b"[" + b",".join(items) + b"]"
        return ox.serialize(self.triples(graphs), format=rdf_format, prefixes=prefixes)


def _input_error(error: SyntaxError, fmt: str, source: Path | None) -> InputError:
    """A parser's syntax error as an :class:`InputError` with its line and column."""
    line = getattr(error, "lineno", None)
    column = getattr(error, "offset", None)
    message = str(error.msg if hasattr(error, "msg") else error)
    return InputError(f"not valid {fmt}: {message}", path=source, line=line, column=column)


def convert(data: bytes, source: str, target: str) -> bytes:
    """Re-serialise ``data`` from one format to another (graphs only, not datasets)."""
    triples = (
        q.triple if isinstance(q, ox.Quad) else q for q in ox.parse(data, format=FORMATS[source][0])
    )
    prefixes = PREFIXES if target in ("turtle", "xml", "jsonld") else None
    return ox.serialize(triples, format=FORMATS[target][0], prefixes=prefixes)


_DECLARED_PREFIX = re.compile(r"PREFIX\s+([A-Za-z][\w.-]*)?\s*:", re.IGNORECASE)


def with_prefixes(sparql: str) -> str:
    """Prepend harmgraph's prefixes that the query does not declare itself."""
    declared = set(_DECLARED_PREFIX.findall(sparql))
    head = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items() if p not in declared)
    return head + sparql
