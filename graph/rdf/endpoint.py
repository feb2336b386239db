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
from collections.abc import Iterable, Iterator, Sequence

from harmgraph.errors import InputError, QueryFailed, UsageError
from harmgraph.rdf.load import LoadedGraph
from harmgraph.rdf.namespaces import DATA_GRAPH, ID_IRI, ONTOLOGY_GRAPH, ONTOLOGY_IRI, SHAPES_GRAPH
from harmgraph.rdf.store import GraphStore, convert, with_prefixes
from harmgraph.rdf.terms import Term, literal

_GRAPHS = {"ontology": ONTOLOGY_GRAPH, "data": DATA_GRAPH, "shapes": SHAPES_GRAPH}


#: In a server that holds the N-Triples or Turtle distribution in its default graph (no named
#: graphs), a triple belongs to the ontology when its subject is a term of the ontology or
#: one of its concept schemes, or when it maps a harmgraph term to an external vocabulary
#: (the alignments); every other triple is data.
#: COALESCE makes the test false, not an error, where STR() fails on a blank node.
_ONTOLOGY_TRIPLE = (
    f'COALESCE(isIRI(?s) && (STRSTARTS(STR(?s), "{ONTOLOGY_IRI}") || '
    f'STRSTARTS(STR(?s), "{ID_IRI}scheme/") || '
    "(?p IN (skos:exactMatch, skos:closeMatch, skos:broadMatch, skos:narrowMatch, "
    'skos:relatedMatch) && isIRI(?o) && !STRSTARTS(STR(?o), "https://w3id.org/harmgraph/"))), '
    "false)"
)


class EndpointStore:
    """Reads from a SPARQL endpoint; the same methods as :class:`harmgraph.rdf.store.GraphStore`.

    ``layout`` is ``named`` when the server holds the TriG distribution (ontology, data and
    shapes in their named graphs) or ``default`` when it holds the N-Triples or Turtle
    distribution in its default graph; :func:`connect_endpoint` finds out which.
    """

    def __init__(self, url: str, timeout: float = 60.0, layout: str = "named") -> None:
        if not url.startswith(("http://", "https://")):
            raise UsageError("the endpoint must be an http(s) URL")
        self.url = url
        self.timeout = timeout
        self.layout = layout

    def _post(
        self, sparql: str, accept: str, timeout: float | None = None, graph: str | None = None
    ) -> bytes:
        form = [("query", with_prefixes(sparql))]
        if graph is not None and self.layout == "named":
            # The SPARQL 1.1 protocol chooses the dataset: the query runs over that named graph
            # alone, and its text is never rewritten.
            form.append(("default-graph-uri", _GRAPHS[graph]))
        body = urllib.parse.urlencode(form).encode("utf-8")
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

    def _select(
        self, sparql: str, timeout: float | None = None, graph: str | None = None
    ) -> tuple[list[str], list[dict]]:
        payload = json.loads(self._post(sparql, "application/sparql-results+json", timeout, graph))
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
        """Run a SELECT over the union, or over one named graph (``named`` layout only; in the
        ``default`` layout there are no named graphs and the query runs over everything)."""
        names, rows = self._select(sparql, graph=graph)
        return [{n: self._value(row.get(n)) for n in names} for row in rows]

    def query_many(self, queries: Sequence[str]) -> Iterator[list[dict[str, str | None]]]:
        """Run SELECT queries one after another (an endpoint may limit how many requests a
        client has open at once); yield each one's rows in order."""
        return map(self.query, queries)

    def query_terms(self, sparql: str, graph: str | None = None) -> list[dict[str, Term | None]]:
        names, rows = self._select(sparql, graph=graph)
        return [{n: _binding_term(row.get(n)) for n in names} for row in rows]

    def ask(self, sparql: str) -> bool:
        return self.query(sparql)[0]["ask"] == "true"

    def select_table(
        self, sparql: str, timeout: float | None = None
    ) -> tuple[list[str], list[list[str]]]:
        names, rows = self._select(sparql, timeout)
        return names, [[self._value(row.get(n)) or "" for n in names] for row in rows]

    def _pattern(self, graph: str) -> str:
        """A graph pattern matching the triples ``?s ?p ?o`` of one of harmgraph's graphs."""
        if self.layout == "named":
            return f"GRAPH <{_GRAPHS[graph]}> {{ ?s ?p ?o }}"
        if graph == "shapes":
            return "FILTER (false)"  # the N-Triples and Turtle distributions hold no shapes
        test = _ONTOLOGY_TRIPLE if graph == "ontology" else f"!{_ONTOLOGY_TRIPLE}"
        return f"?s ?p ?o . FILTER ({test})"

    def count(self, graph: str) -> int:
        rows = self.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ {self._pattern(graph)} }}")
        return int(rows[0]["n"] or 0)

    def __len__(self) -> int:
        """The triples of the ontology and the data (the shapes are not counted), as in the
        embedded store."""
        return self.count("ontology") + self.count("data")

    def dump(self, fmt: str, graphs: Iterable[str] = ("ontology", "data")) -> bytes:
        parts = []
        for name in graphs:
            construct = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {self._pattern(name)} }}"
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


def connect_endpoint(url: str, timeout: float = 60.0) -> LoadedGraph:
    """Return a loaded graph that reads from the SPARQL endpoint at ``url``."""
    store = EndpointStore(url, timeout, layout="named")
    size = len(store)
    if size == 0:
        store = EndpointStore(url, timeout, layout="default")
        if store.ask(f"ASK {{ <{ONTOLOGY_IRI}> ?p ?o }}"):
            size = len(store)
    if size == 0:
        msg = (
            f"the endpoint {url} holds no harmgraph graph: load build/harmgraph.trig (named "
            "graphs) or build/harmgraph.nt (its default graph) into it"
        )
        raise InputError(msg)
    return LoadedGraph(
        store=store, ontology=[], data_files=[], origin=f"{url}#{store.layout}#{size}"
    )


def copy_to_memory(graph: LoadedGraph) -> LoadedGraph:
    """A local, in-memory copy of a graph read from an endpoint, for work that reads entity by
    entity (the static site): two CONSTRUCT requests instead of several per entity."""
    store = GraphStore()
    for name in ("ontology", "data"):
        store.load_bytes(graph.store.dump("ntriples", [name]), "ntriples", graph=name)
    return LoadedGraph(store=store, ontology=[], data_files=[], origin=f"{graph.origin}#copy")
