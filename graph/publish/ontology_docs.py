"""The ontology's reference documentation, written into the site's ``ontology/`` folder.

The classes and properties are documented by pyLODE (RDFLib's ontology documentation tool,
the successor of LODE) from ``ontology/harmgraph.ttl`` with the alignments merged in, as
``reference.html``; every ``hg:`` term has an element there whose id is its local name, so
each term IRI (``…/ontology#ModerateConfidence``) lands on its own section, the values of the
concept schemes (which pyLODE leaves out) included. Three pages are written beside it, from
the same files: the concept schemes and their values, the SHACL shapes in words (each rule's
own ``sh:message``, each shape and rule at the id of its IRI's local name), and the alignments
to external vocabularies (with the vocabulary and version each external term was read from).
The Turtle files are copied, and the ontology and the shapes are also written as JSON-LD,
RDF/XML and N-Triples, so their IRIs can be content negotiated.

Examples
--------
>>> rows = shape_rows()
>>> any(r["shape"] == "HarmShape" and r["target"] == "every hg:Harm" for r in rows)
True
"""

from __future__ import annotations

import csv
import html
import io
import logging
import re
from collections.abc import Callable
from importlib import resources
from pathlib import Path

import jinja2
import rdflib
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from harmgraph.rdf.namespaces import HG_IRI

SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")
#: A term's local name as it can stand in an HTML id and a fragment unescaped.
_LOCAL = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")
#: One of pyLODE's sections: its opening up to the heading, then up to the term's IRI.
_SECTION = re.compile(
    r'(<div class="[a-z ]*entity" id="[^"]+">\s*<h3>)((?:(?!<div class=)[\s\S])*?<code>'
    + re.escape(HG_IRI)
    + r"([A-Za-z][A-Za-z0-9_-]*)</code>)"
)
ONTOLOGY = resources.files("harmgraph.ontology")
FILES = ("harmgraph.ttl", "alignments.ttl", "shapes.ttl")
#: The schemes whose concepts are entities of the knowledge base (each has its own list page);
#: the values of the other schemes live in the ontology and are listed on the schemes page.
ENTITY_SCHEMES = ("harm", "technology", "actor", "intervention")


def _graph(*names: str) -> rdflib.Graph:
    graph = rdflib.Graph()
    for name in names:
        graph.parse(data=(ONTOLOGY / name).read_text(encoding="utf-8"), format="turtle")
    return graph


def _english(graph: rdflib.Graph, subject: rdflib.term.Node, *predicates: rdflib.URIRef) -> str:
    for predicate in predicates:
        values = sorted(graph.objects(subject, predicate), key=lambda v: (v.language != "en", v))
        if values:
            return str(values[0])
    return ""


def _short(graph: rdflib.Graph, term: rdflib.term.Node) -> str:
    if isinstance(term, rdflib.URIRef):
        try:
            return graph.namespace_manager.normalizeUri(term)
        except Exception:  # noqa: BLE001 - rdflib raises several kinds for odd IRIs
            return str(term)
    return str(term)


def reference_html() -> str:
    """pyLODE's documentation of the ontology's classes and properties, alignments included."""
    # pyLODE configures the root logger (DEBUG, to stderr) when imported; put it back, so
    # that harmgraph's output stays its own.
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    try:
        # pyLODE only when the reference is written (a heavy optional import).
        from pylode import OntPub
    finally:
        for handler in root.handlers[:]:
            if handler not in handlers:
                root.removeHandler(handler)
        root.setLevel(level)
    graph = _graph("harmgraph.ttl", "alignments.ttl")
    # pyLODE takes every owl:Ontology and skos:ConceptScheme as the document's own header, so
    # the schemes (documented on schemes.html) are left out of what it reads.
    for scheme in list(graph.subjects(RDF.type, SKOS.ConceptScheme)):
        graph.remove((scheme, None, None))
    return term_anchors(_landmarks(OntPub(ontology=graph).make_html()), _graph("harmgraph.ttl"))


def _landmarks(page: str) -> str:
    """pyLODE's page with what screen readers need and it leaves out: the document language,
    a main landmark around its content, and a way back to the site."""
    page = page.replace("<html>", '<html lang="en">', 1)
    start, end = '<body>\n    <div id="content">', '\n    </div>\n    <div id="pylode">'
    if page.count(start) == 1 and page.count(end) == 1:
        page = page.replace(
            start,
            '<body>\n    <p><a href="../index.html">harmgraph</a> · '
            '<a href="index.html">the ontology</a></p>\n    <main id="content">',
        ).replace(end, '\n    </main>\n    <div id="pylode">')
    return page


def term_anchors(page: str, graph: rdflib.Graph) -> str:
    """pyLODE's page with an element whose id is the local name of every ``hg:`` term of
    ``graph``, so that every term IRI (``…/ontology#ModerateConfidence``) lands on its own
    section: pyLODE names its sections after the label (``#Evidencesource`` for
    ``hg:EvidenceSource``), so each of its sections gets the term's name on its heading, and
    the terms pyLODE leaves out (the values of the concept schemes) get a section of their
    own, before the namespaces.

    >>> g = rdflib.Graph().parse(data="@prefix hg: <https://w3id.org/harmgraph/ontology#> ."
    ...     "@prefix skos: <http://www.w3.org/2004/02/skos/core#> ."
    ...     'hg:Low skos:prefLabel "low"@en .', format="turtle")
    >>> 'id="Low"' in term_anchors('<main><div id="namespaces"></div></main>', g)
    True
    """
    ids = set(re.findall(r'\bid="([^"]+)"', page))

    def named(match: re.Match) -> str:
        name = match.group(3)
        if name in ids or not _LOCAL.fullmatch(name):
            return match.group(0)
        ids.add(name)
        return match.group(1).replace("<h3>", f'<h3 id="{name}">', 1) + match.group(2)

    page = _SECTION.sub(named, page)
    terms = sorted(
        {str(t) for t in graph.all_nodes() if isinstance(t, rdflib.URIRef)}, key=str.lower
    )
    rest = [
        t
        for t in terms
        if t.startswith(HG_IRI)
        and _LOCAL.fullmatch(t[len(HG_IRI) :])
        and t[len(HG_IRI) :] not in ids
    ]
    if not rest or page.count('<div id="namespaces">') != 1:
        return page
    entries = "".join(_value_entry(graph, rdflib.URIRef(t)) for t in rest)
    section = (
        '<div class="section" id="values">\n<h2>Values of the concept schemes</h2>\n'
        "<p>The controlled values the shapes allow, each in its concept scheme (see "
        '<a href="schemes.html">the concept schemes</a>).</p>\n'
        f"{entries}</div>\n"
    )
    return page.replace('<div id="namespaces">', section + '      <div id="namespaces">', 1)


def _value_entry(graph: rdflib.Graph, term: rdflib.URIRef) -> str:
    name = str(term)[len(HG_IRI) :]
    label = _english(graph, term, SKOS.prefLabel, RDFS.label) or name
    rows = [("IRI", f"<code>{html.escape(str(term))}</code>")]
    definition = _english(graph, term, SKOS.definition, RDFS.comment)
    if definition:
        rows.append(("Definition", html.escape(definition)))
    schemes = sorted(
        set(graph.objects(term, SKOS.inScheme)) | set(graph.objects(term, SKOS.topConceptOf))
    )
    for scheme in schemes:
        slug = str(scheme).rstrip("/").rsplit("/", 1)[-1]
        title = _english(graph, scheme, SKOS.prefLabel) or slug
        rows.append(
            (
                "In scheme",
                f'<a href="../id/scheme/{html.escape(slug)}.html">{html.escape(title)}</a>',
            )
        )
    types = sorted(_short(graph, t) for t in graph.objects(term, RDF.type))
    if types:
        rows.append(("Type", html.escape(", ".join(types))))
    cells = "".join(f"<tr><th>{k}</th><td>{v}</td></tr>" for k, v in rows)
    return (
        f'<div class="entity" id="{name}">\n<h3>{html.escape(label)}</h3>\n'
        f"<table>{cells}</table>\n</div>\n"
    )


def ontology_header() -> dict[str, str]:
    """Title, description, version, licence and namespace of the ontology."""
    graph = _graph("harmgraph.ttl")
    iri = next(graph.subjects(RDF.type, OWL.Ontology))
    dcterms = rdflib.namespace.DCTERMS
    return {
        "iri": str(iri),
        "title": _english(graph, iri, dcterms.title),
        "description": _english(graph, iri, dcterms.description),
        "version": str(graph.value(iri, OWL.versionInfo) or ""),
        "version_iri": str(graph.value(iri, OWL.versionIRI) or ""),
        "modified": str(graph.value(iri, dcterms.modified) or ""),
        "license": str(graph.value(iri, dcterms.license) or ""),
    }


def scheme_rows() -> list[dict[str, object]]:
    """Every concept scheme of the ontology, with its values (or, for the entity schemes, the
    kind of entity page that lists them)."""
    graph = _graph("harmgraph.ttl")
    rows = []
    for scheme in sorted(graph.subjects(RDF.type, SKOS.ConceptScheme)):
        slug = str(scheme).rstrip("/").rsplit("/", 1)[-1]
        members = sorted(
            set(graph.subjects(SKOS.inScheme, scheme))
            | set(graph.subjects(SKOS.topConceptOf, scheme))
        )
        rows.append(
            {
                "iri": str(scheme),
                "slug": slug,
                "label": _english(graph, scheme, SKOS.prefLabel),
                "definition": _english(graph, scheme, SKOS.definition),
                "entity_kind": slug if slug in ENTITY_SCHEMES else "",
                "values": [
                    {
                        "iri": str(m),
                        "name": _short(graph, m),
                        "label": _english(graph, m, SKOS.prefLabel, RDFS.label),
                        "definition": _english(graph, m, SKOS.definition),
                    }
                    for m in members
                ],
            }
        )
    return rows


def shape_rows() -> list[dict[str, object]]:
    """Each named node shape: what it applies to, and each of its rules in words."""
    graph = _graph("shapes.ttl")
    graph.bind("hg", HG_IRI)
    rows = []
    # A rule shared by several shapes is listed under each; its IRI lands on the first.
    anchored: set[str] = set()
    for shape in sorted(graph.subjects(RDF.type, SH.NodeShape)):
        targets = [f"every {_short(graph, c)}" for c in graph.objects(shape, SH.targetClass)]
        targets += [
            f"everything with {_short(graph, p)}" for p in graph.objects(shape, SH.targetSubjectsOf)
        ]
        rules = []
        for rule in sorted(graph.objects(shape, SH.property)) + sorted(
            graph.objects(shape, SH.sparql)
        ):
            rules.append(
                {
                    "name": _short(graph, rule).split(":", 1)[-1],
                    "path": _path_text(graph, graph.value(rule, SH.path)),
                    "message": _english(graph, rule, SH.message),
                    "severity": _short(graph, graph.value(rule, SH.severity) or SH.Violation)
                    .split(":", 1)[-1]
                    .split("#")[-1],
                }
            )
        for rule in rules:
            rule["anchor"] = "" if rule["name"] in anchored else rule["name"]
            anchored.add(rule["name"])
        own = _english(graph, shape, SH.message)
        if own:
            rules.append(
                {"name": "", "path": "", "message": own, "severity": "Violation", "anchor": ""}
            )
        rows.append(
            {
                "shape": _short(graph, shape).split(":", 1)[-1],
                "target": ", ".join(sorted(targets)) or "(used by other shapes)",
                "rules": rules,
            }
        )
    return rows


def _path_text(graph: rdflib.Graph, path: rdflib.term.Node | None) -> str:
    if path is None:
        return "(a query over the focus node)"
    inverse = graph.value(path, SH.inversePath)
    return f"^{_short(graph, inverse)}" if inverse is not None else _short(graph, path)


def alignment_rows() -> list[dict[str, str]]:
    """Each alignment: the harmgraph term, the mapping property, the external term, and the
    vocabulary and version that external term was read from."""
    graph = _graph("alignments.ttl")
    graph.bind("hg", HG_IRI)
    table = (ONTOLOGY / "external-terms.tsv").read_text(encoding="utf-8")
    known = {row["iri"]: row for row in csv.DictReader(io.StringIO(table), delimiter="\t")}
    rows = []
    for subject, predicate, obj in sorted(graph):
        external = known.get(str(obj))
        if external is None:
            continue
        rows.append(
            {
                "term": _short(graph, subject),
                "term_iri": str(subject),
                "relation": _short(graph, predicate),
                "external": str(obj),
                "external_label": external["label"],
                "vocabulary": f"{external['vocabulary']} {external['version']}",
            }
        )
    return rows


def write_ontology_docs(
    env: jinja2.Environment, common: dict, out: Path, link: Callable[..., dict[str, str]]
) -> list[str]:
    """Write ``out/ontology/``: the overview, pyLODE's reference, the schemes, the shapes and
    the alignments pages, and the ontology files; return the page names written. ``link``
    gives a term of the knowledge base its page (``{label, href}``)."""
    folder = out / "ontology"
    folder.mkdir(parents=True, exist_ok=True)
    for name in FILES:
        (folder / name).write_bytes((ONTOLOGY / name).read_bytes())
    # The ontology and the shapes in every format the w3id redirects negotiate.
    for name in ("harmgraph", "shapes"):
        graph = _graph(f"{name}.ttl")
        for ext, fmt in (("jsonld", "json-ld"), ("rdf", "xml"), ("nt", "nt")):
            (folder / f"{name}.{ext}").write_text(
                graph.serialize(format=fmt, **({"indent": 1} if ext == "jsonld" else {})),
                encoding="utf-8",
            )
    (folder / "reference.html").write_text(reference_html(), encoding="utf-8")
    context = {**common, "root": "../", "header": ontology_header()}
    pages = {
        "index.html": ("ontology_index.html", "Ontology", {}),
        "schemes.html": ("ontology_schemes.html", "Concept schemes", {"schemes": scheme_rows()}),
        "shapes.html": ("ontology_shapes.html", "Shapes in words", {"shapes": shape_rows()}),
        "alignments.html": (
            "ontology_alignments.html",
            "Alignments",
            {
                "alignments": [
                    {**a, "term": link(a["term_iri"], "../", a["term"])} for a in alignment_rows()
                ]
            },
        ),
    }
    for name, (template, title, extra) in pages.items():
        (folder / name).write_text(
            env.get_template(template).render(**context, title=title, **extra), encoding="utf-8"
        )
    return ["reference.html", *pages]
