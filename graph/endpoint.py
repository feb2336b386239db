"""A SPARQL 1.1 endpoint behind the same narrow interface as the embedded store.

Point harmgraph at any SPARQL 1.1 query endpoint (Oxigraph server, Virtuoso, GraphDB,
Amazon Neptune, QLever) that holds a ``harmgraph build`` (the TriG distribution, so the
ontology, data and shapes keep their named graphs) and answers queries over the union of
its graphs. Every read then goes over HTTP; nothing is ever written.

Examples
--------
>>> EndpointStore("ftp://example.org/sparql")  # doctest: +IGNORE_EXCEPTION_DETAIL
Traceback (most recent call last):
harmgraph.errors.UsageError: the endpoint must be an http(s) URL
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable

from harmgraph.errors import InputError, QueryFailed, UsageError
from harmgraph.namespaces import DATA_GRAPH, ONTOLOGY_GRAPH, SHAPES_GRAPH
from harmgraph.store import convert, with_prefixes
from harmgraph.terms import Term, literal

_GRAPHS = {"ontology": ONTOLOGY_GRAPH, "data": DATA_GRAPH, "shapes": SHAPES_GRAPH}


class EndpointStore:
    """Reads from a SPARQL endpoint; the same methods as :class:`harmgraph.store.GraphStore`."""

    def __init__(self, url: str, timeout: float = 60.0) -> None:
        if not url.startswith(("http://", "https://")):
            raise UsageError("the endpoint must be an http(s) URL")
        self.url = url
        self.timeout = timeout

    def _post(self, sparql: str, accept: str, timeout: float | None = None) -> bytes:
        body = urllib.parse.urlencode({"query": with_prefixes(sparql)}).encode("utf-8")
        request = urllib.request.Request(
            self.url,
            data=body,
            headers={"Accept": accept, "Content-Type": "application/x-www-form-urlencoded"},
        )
        try:
            with urllib.request.urlopen(request, timeout=timeout or self.timeout) as response:
                return response.read()
        except urllib.error.HTTPError as error:
            detail = error.read().decode("utf-8", "replace")[:300]
            raise QueryFailed(
                f"the endpoint refused the query (HTTP {error.code}): {detail}"
            ) from None
        except TimeoutError:
            raise QueryFailed(
                f"the endpoint did not answer within {timeout or self.timeout:g} s"
            ) from None
        except urllib.error.URLError as error:
            raise InputError(
                f"cannot reach the SPARQL endpoint {self.url}: {error.reason}"
            ) from None

    def _select(self, sparql: str, timeout: float | None = None) -> tuple[list[str], list[dict]]:
        payload = json.loads(self._post(sparql, "application/sparql-results+json", timeout))
        if "boolean" in payload:
            return ["ask"], [{"ask": {"type": "literal", "value": str(payload["boolean"]).lower()}}]
        return payload["head"]["vars"], payload["results"]["bindings"]

    @staticmethod
    def _value(binding: dict | None) -> str | None:
        if binding is None:
            return None
        return "_:" + binding["value"] if binding["type"] == "bnode" else binding["value"]

    # ------------------------------------------------------------------ the store interface
    def query(self, sparql: str, graph: str | None = None) -> list[dict[str, str | None]]:
        if graph is not None:
            sparql = _in_graph(sparql, _GRAPHS[graph])
        names, rows = self._select(sparql)
        return [{n: self._value(row.get(n)) for n in names} for row in rows]

    def query_terms(self, sparql: str, graph: str | None = None) -> list[dict[str, Term | None]]:
        if graph is not None:
            sparql = _in_graph(sparql, _GRAPHS[graph])
        names, rows = self._select(sparql)
        return [{n: _binding_term(row.get(n)) for n in names} for row in rows]

    def ask(self, sparql: str) -> bool:
        return self.query(sparql)[0]["ask"] == "true"

    def select_table(
        self, sparql: str, timeout: float | None = None
    ) -> tuple[list[str], list[list[str]]]:
        names, rows = self._select(sparql, timeout)
        return names, [[self._value(row.get(n)) or "" for n in names] for row in rows]

    def count(self, graph: str) -> int:
        rows = self.query(
            f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{_GRAPHS[graph]}> {{ ?s ?p ?o }} }}"
        )
        return int(rows[0]["n"] or 0)

    def __len__(self) -> int:
        return sum(self.count(g) for g in _GRAPHS)

    def dump(self, fmt: str, graphs: Iterable[str] = ("ontology", "data")) -> bytes:
        parts = []
        for name in graphs:
            construct = (
                f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{_GRAPHS[name]}> {{ ?s ?p ?o }} }}"
            )
            parts.append(self._post(construct, "application/n-triples", max(self.timeout, 600)))
        ntriples = b"".join(parts)
        if fmt == "ntriples":
            return ntriples
        if fmt in ("trig", "nquads"):
            raise UsageError(
                "TriG and N-Quads export are not available from an endpoint; use N-Triples"
            )
        return convert(ntriples, "ntriples", fmt)

    def load_bytes(self, *args: object, **kwargs: object) -> int:
        raise UsageError("harmgraph never writes to a SPARQL endpoint")

    def update(self, sparql: str) -> None:
        raise UsageError("harmgraph never writes to a SPARQL endpoint")


def _binding_term(binding: dict | None) -> Term | None:
    """A SPARQL 1.1 JSON results binding as a typed term."""
    if binding is None:
        return None
    kind = binding["type"]
    if kind == "uri":
        return Term("iri", binding["value"])
    if kind == "bnode":
        return Term("bnode", binding["value"])
    if binding.get("xml:lang"):
        return literal(binding["value"], language=binding["xml:lang"])
    return literal(binding["value"], datatype=binding.get("datatype", ""))


def _in_graph(sparql: str, graph: str) -> str:
    """Wrap the WHERE clause of a simple SELECT in GRAPH <graph> { ... }."""
    head, brace, body = sparql.partition("{")
    inner, _, tail = body.rpartition("}")
    return f"{head}{brace} GRAPH <{graph}> {{ {inner} }} }}{tail}"


def connect_endpoint(url: str, timeout: float = 60.0):  # noqa: ANN201 - LoadedGraph
    """Return a loaded graph that reads from the SPARQL endpoint at ``url``."""
    from harmgraph.load import LoadedGraph

    store = EndpointStore(url, timeout)
    size = store.count("ontology") + store.count("data")
    if size == 0:
        msg = (
            f"the endpoint {url} holds no harmgraph graphs: load build/harmgraph.trig into it "
            "so that the ontology and data keep their named graphs"
        )
        raise InputError(msg)
    return LoadedGraph(store=store, ontology=[], data_files=[], origin=f"{url}#{size}")
