"""Pages for the IRIs of the graph's namespace that have no entity page: the agents (who ran a
review, whom a claim is attributed to), the concept schemes, and any kind of IRI that data of
your own brings. Every IRI ``https://w3id.org/harmgraph/id/<kind>/<slug>`` the graph names
gets a page in the site, so every w3id redirect leads to a file.

Such a page shows what the graph says about the IRI (its statements, each value linked to
its page) and what refers to it (grouped by property, at most :data:`REFERRERS_SHOWN` of each
with the count of all, so an agent behind a million claims still gets a small page).

Examples
--------
>>> kind_of("https://w3id.org/harmgraph/id/agent/editors")
'agent'
>>> kind_of("https://w3id.org/harmgraph/id/Odd/x"), kind_headings("scheme")
('x_', ('Concept scheme', 'Concept schemes'))
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from harmgraph.publish.w3id import MEDIA_TYPES
from harmgraph.rdf.load import LoadedGraph
from harmgraph.rdf.namespaces import HG_IRI, ID_IRI, PREFIXES, SHAPES_IRI
from harmgraph.rdf.terms import Term

#: The data file written beside each page, by extension, with the store's name of its format
#: and its name for people; the w3id redirects serve each (see harmgraph.publish.w3id).
DATA_FORMATS = {"ttl": "turtle", "jsonld": "jsonld", "rdf": "xml", "nt": "ntriples"}
DATA_NAMES = {"ttl": "Turtle", "jsonld": "JSON-LD", "rdf": "RDF/XML", "nt": "N-Triples"}
#: How many subjects of each property a page lists among what refers to its IRI.
REFERRERS_SHOWN = 200
#: The folder of an IRI under ``id/`` that is not ``id/<kind>/...`` with a kind of lower-case
#: letters and hyphens: a name no kind can have, which no redirect reaches.
ODD_KIND = "x_"
_KIND = re.compile(r"[a-z-]+")
_HEADINGS = {
    "agent": ("Agent", "Agents"),
    "scheme": ("Concept scheme", "Concept schemes"),
}
_LABELS = (
    "http://www.w3.org/2004/02/skos/core#prefLabel",
    "http://www.w3.org/2000/01/rdf-schema#label",
    "http://purl.org/dc/terms/title",
)
_DESCRIPTIONS = (
    "http://www.w3.org/2004/02/skos/core#definition",
    "http://purl.org/dc/terms/description",
    "http://www.w3.org/2000/01/rdf-schema#comment",
)
_NAMESPACE_QUERY = f"""
SELECT DISTINCT ?iri WHERE {{
  {{ ?iri ?p ?o }} UNION {{ ?s ?p ?iri }}
  FILTER(isIRI(?iri) && STRSTARTS(STR(?iri), "{ID_IRI}"))
}}"""


def kind_of(iri: str) -> str:
    """The folder of an IRI's page: ``<kind>`` for ``id/<kind>/...``, else :data:`ODD_KIND`."""
    kind = iri[len(ID_IRI) :].split("/", 1)[0] if iri.startswith(ID_IRI) else ""
    return kind if _KIND.fullmatch(kind) and "/" in iri[len(ID_IRI) :] else ODD_KIND


def kind_headings(kind: str) -> tuple[str, str]:
    """What one IRI of ``kind`` is called on its page, and the heading of the kind's list."""
    if kind in _HEADINGS:
        return _HEADINGS[kind]
    name = kind.replace("-", " ").replace("_", " ").strip().capitalize() or "Resource"
    return name, name


def namespace_iris(graph: LoadedGraph) -> list[str]:
    """Every IRI under ``id/`` that the graph names, as subject or object, each without its
    fragment (``<review>#record-1`` is part of the review's page), sorted."""
    rows = graph.store.query(_NAMESPACE_QUERY)
    return sorted({str(row["iri"]).split("#", 1)[0] for row in rows})


def short_name(iri: str) -> str:
    """``prefix:name`` for an IRI in a known namespace, else the IRI."""
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace) :]}"
    return iri


def ontology_anchor(iri: str) -> str:
    """The page and anchor that document an ``hg:`` term or an ``hgsh:`` shape, relative to
    the site's root; '' for any other IRI."""
    for namespace, page in (
        (HG_IRI, "ontology/reference.html"),
        (SHAPES_IRI, "ontology/shapes.html"),
    ):
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{page}#{iri[len(namespace) :]}"
    return ""


def describe_resource(graph: LoadedGraph, iri: str) -> dict[str, object]:
    """What the graph says about ``iri`` and what refers to it.

    Keys: ``label`` and ``description`` (from the usual properties, or ''), ``statements``
    (``(property, [Term, ...])`` pairs, sorted) and ``referrers`` (``(property, count,
    [subject IRIs])``, at most :data:`REFERRERS_SHOWN` subjects each, sorted).
    """
    store = graph.store
    out = store.query_terms(f"SELECT ?p ?o WHERE {{ <{iri}> ?p ?o }}")
    values: dict[str, list[Term]] = {}
    for row in out:
        values.setdefault(str(row["p"].value), []).append(row["o"])
    counts = store.query(
        f"SELECT ?p (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s ?p <{iri}> FILTER(isIRI(?s)) }} "
        "GROUP BY ?p ORDER BY ?p"
    )
    referrers = []
    for row in counts:
        subjects = store.query(
            f"SELECT DISTINCT ?s WHERE {{ ?s <{row['p']}> <{iri}> FILTER(isIRI(?s)) }} "
            f"ORDER BY ?s LIMIT {REFERRERS_SHOWN}"
        )
        referrers.append((str(row["p"]), int(row["n"] or 0), [str(s["s"]) for s in subjects]))
    return {
        "label": _first(values, _LABELS),
        "description": _first(values, _DESCRIPTIONS),
        "statements": [(p, sorted(values[p])) for p in sorted(values)],
        "referrers": referrers,
    }


def _first(values: dict[str, list[Term]], properties: tuple[str, ...]) -> str:
    for prop in properties:
        texts = sorted(values.get(prop, []), key=lambda t: (t.language not in ("en", ""), t.value))
        if texts:
            return texts[0].value
    return ""


def resource_context(
    graph: LoadedGraph, iri: str, kind: str, link: Callable[[str], dict[str, str]]
) -> dict[str, object]:
    """What ``resource.html`` shows for ``iri``; ``link`` gives an IRI its ``{label, href}``
    (href '' when it has no page)."""
    about = describe_resource(graph, iri)
    label = str(about["label"]) or iri.rsplit("/", 1)[-1]
    statements = [
        {
            "property": {"label": short_name(p), "href": link(p)["href"]},
            "objects": [
                link(t.value)
                if t.is_iri
                else {
                    "label": t.value if t.is_literal else "(a blank node: see the data)",
                    "href": "",
                }
                for t in terms
            ],
        }
        for p, terms in about["statements"]
    ]
    referrers = [
        {
            "property": {"label": short_name(p), "href": link(p)["href"]},
            "count": count,
            "subjects": [link(s) for s in subjects],
        }
        for p, count, subjects in about["referrers"]
    ]
    return {
        "label": label,
        "heading": kind_headings(kind)[0],
        "iri": iri,
        "description": about["description"],
        "statements": statements,
        "referrers": referrers,
        "shown": REFERRERS_SHOWN,
    }


def data_alternates(slug: str) -> list[dict[str, str]]:
    """The data files of the page named ``slug``, for ``<link rel="alternate">`` and the
    page's Data section."""
    return [
        {"type": MEDIA_TYPES[ext], "href": f"{slug}.{ext}", "name": DATA_NAMES[ext]}
        for ext in DATA_FORMATS
    ]


def write_data(graph: LoadedGraph, iri: str, target: Path) -> None:
    """The IRI's own statements beside its page ``target`` (a path without extension), in
    each of :data:`DATA_FORMATS`."""
    # The suffix is added, never put in place of one: a page name has no dot to replace. The
    # concept schemes are described in the ontology's graph, everything else in the data's.
    for ext, fmt in DATA_FORMATS.items():
        data = graph.store.describe_as(iri, fmt, ("ontology", "data"))
        target.with_name(f"{target.name}.{ext}").write_bytes(data)
