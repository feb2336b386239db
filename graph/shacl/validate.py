"""Check a loaded graph against SHACL shapes and report findings by file and line.

Two engines give the same answer: ``sparql`` compiles the shapes into queries run in the store
(:mod:`harmgraph.shacl.sparql`), ``pyshacl`` runs pySHACL on an rdflib copy of the graph. The
compiled engine refuses shapes it cannot answer exactly as pySHACL does, and then pySHACL
answers; the report says which engine did, and why.

Examples
--------
>>> from harmgraph.rdf.load import load_graph
>>> report = validate_graph(load_graph())
>>> report.conforms, report.engine
(True, 'sparql')
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import rdflib
from rdflib.namespace import RDF, SH

from harmgraph.errors import InputError
from harmgraph.rdf.load import LoadedGraph, format_of, read_rdf_bytes, shapes_file
from harmgraph.rdf.namespaces import ID_IRI, PREFIXES
from harmgraph.rdf.terms import Term
from harmgraph.shacl.adapter import run_pyshacl
from harmgraph.shacl.quality import run_checks
from harmgraph.shacl.sparql import (
    Plan,
    Result,
    Unsupported,
    choose_message,
    compile_shapes,
    quiet_rdflib,
    run_plan,
    term_of,
)

__all__ = ["ENGINES", "Finding", "Report", "read_shapes", "short", "to_rdflib", "validate_graph"]

ENGINES = ("sparql", "pyshacl")
_SEVERITY = {str(SH.Violation): "violation", str(SH.Warning): "warning", str(SH.Info): "info"}
#: rdflib's parser names for harmgraph's format names.
_RDFLIB_FORMATS = {
    "turtle": "turtle",
    "ntriples": "nt",
    "jsonld": "json-ld",
    "xml": "xml",
    "trig": "trig",
    "nquads": "nquads",
}


def short(iri: str) -> str:
    """Shorten an IRI for messages: ``id/harm/x`` for instances, ``prefix:local`` otherwise.

    >>> short("https://w3id.org/harmgraph/id/harm/normalisation")
    'id/harm/normalisation'
    >>> short("http://www.w3.org/2004/02/skos/core#prefLabel")
    'skos:prefLabel'
    """
    if iri.startswith(ID_IRI):
        return "id/" + iri[len(ID_IRI) :]
    best = ""
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and len(namespace) > len(best):
            best, name = namespace, prefix
    if best:
        return f"{name}:{iri[len(best) :]}"
    return iri


@dataclass(frozen=True, order=True)
class Finding:
    """One SHACL result, placed in a file where the focus node is described.

    The first eight fields are for display (``value`` and ``path`` shortened, ``shape`` names
    the rule that fired: the SPARQL constraint for SHACL-SPARQL results, else the shape). The
    rest carry the result exactly: ``component`` (``sh:MinCountConstraintComponent``),
    ``focus_node`` and ``value_node`` as typed terms, ``result_path`` in SPARQL syntax with
    full IRIs, and ``source_shape``.
    """

    file: str
    line: int
    focus: str
    path: str
    value: str
    message: str
    shape: str
    severity: str
    component: str = ""
    focus_node: Term | None = None
    value_node: Term | None = None
    result_path: str = ""
    source_shape: Term | None = None

    def __str__(self) -> str:
        where = ""
        if self.file:
            where = f"{self.file}:{self.line}: " if self.line else f"{self.file}: "
        detail = (
            f" [{self.path}" + (f" = {self.value}" if self.value else "") + "]" if self.path else ""
        )
        return f"{where}{self.severity}: {short(self.focus)}: {self.message} ({self.shape}){detail}"

    def as_dict(self) -> dict[str, object]:
        """JSON form: the display keys, then ``component``, ``result_path`` and the typed terms
        (``focus_node``, ``value_node``, ``source_shape``) as SPARQL JSON results write them."""
        return {
            "file": self.file,
            "line": self.line,
            "focus": self.focus,
            "path": self.path,
            "value": self.value,
            "message": self.message,
            "shape": self.shape,
            "severity": self.severity,
            "component": self.component,
            "result_path": self.result_path,
            "focus_node": self.focus_node.as_dict() if self.focus_node else None,
            "value_node": self.value_node.as_dict() if self.value_node else None,
            "source_shape": self.source_shape.as_dict() if self.source_shape else None,
        }


def _sort_key(finding: Finding) -> tuple:
    absent = Term("", "")  # results without a value sort first, and never compare with None
    return (
        finding.file,
        finding.line,
        finding.focus,
        finding.path,
        finding.value,
        finding.message,
        finding.shape,
        finding.severity,
        finding.component,
        finding.focus_node or absent,
        finding.value_node or absent,
        finding.result_path,
        finding.source_shape or absent,
    )


@dataclass(frozen=True)
class Report:
    """The outcome of a validation: ``conforms`` ignores warnings and infos.

    ``engine`` is the engine that answered; ``note`` says why the compiled engine refused, when
    it did.
    """

    findings: tuple[Finding, ...]
    engine: str = "sparql"
    note: str = ""

    @property
    def conforms(self) -> bool:
        return not self.violations

    @property
    def violations(self) -> tuple[Finding, ...]:
        """Findings that fail the data: sh:Violation, and any custom severity."""
        return tuple(f for f in self.findings if f.severity not in ("warning", "info"))


def to_rdflib(graph: LoadedGraph) -> rdflib.Graph:
    """Copy the ontology and data into an rdflib graph (for pySHACL)."""
    rdf = rdflib.Graph()
    with quiet_rdflib():
        rdf.parse(data=graph.store.dump("ntriples"), format="nt")
    return rdf


def read_shapes(path: Path) -> rdflib.Graph:
    """Parse a shapes file with rdflib; an unreadable or unparseable file is an
    :class:`InputError` naming it."""
    data = read_rdf_bytes(path)
    fmt = format_of(path)
    try:
        with quiet_rdflib():
            return rdflib.Graph().parse(
                data=data, format=_RDFLIB_FORMATS[fmt], publicID=path.resolve().as_uri()
            )
    except Exception as error:  # rdflib's parsers raise many kinds; all mean bad input here
        why = getattr(error, "_why", None)  # Turtle's BadSyntax knows its line
        if why is not None and isinstance(getattr(error, "lines", None), int):
            raise InputError(f"not valid {fmt}: {why}", path=path, line=error.lines + 1) from None
        raise InputError(f"not valid {fmt}: {_one_line(error)}", path=path) from None


def _one_line(error: BaseException) -> str:
    text = " ".join(str(error).split())
    return text[:300] or type(error).__name__


def validate_graph(
    graph: LoadedGraph, engine: str = "sparql", *, shapes: Path | None = None
) -> Report:
    """Validate the ontology and data of ``graph`` against ``shapes`` (default
    ``ontology/shapes.ttl``).

    ``engine="sparql"`` (the default) runs the shapes compiled into SPARQL in the store, and hands
    them to pySHACL when the compiler refuses them (:class:`Report` ``note`` says why).
    ``engine="pyshacl"`` runs every constraint, the SHACL-SPARQL ones included, through pySHACL.
    Both give the same findings.
    """
    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r}")
    path = shapes or shapes_file()
    # harmgraph's own checks beyond SHACL belong to its own shapes, not to a user's.
    checks = run_checks(graph) if shapes is None else []
    note = ""
    if engine == "sparql":
        try:
            results = run_plan(_compiled(*_file_key(path)), graph.store)
            return _report(results + checks, graph, "sparql", "")
        except Unsupported as refusal:
            note = f"the compiled engine refused {path.name}: {refusal}; pySHACL answered"
    # pySHACL gets a graph of its own each time: it is not shared with other threads.
    shapes_graph = read_shapes(path)
    return _report(_run_pyshacl(shapes_graph, graph, path) + checks, graph, "pyshacl", note)


def _file_key(path: Path) -> tuple[str, int, int]:
    """The shapes file as a cache key: its path, size and modification time."""
    try:
        stat = path.stat()
    except OSError:
        read_shapes(path)  # says what is wrong with it, as a one-line error
        raise
    return str(path.resolve()), stat.st_size, stat.st_mtime_ns


@lru_cache(maxsize=8)
def _compiled(path: str, size: int, mtime_ns: int) -> Plan:
    """The shapes compiled once per file version: reading and compiling them costs more than
    validating a small graph, and the plan is only read afterwards. A refusal is not cached."""
    return compile_shapes(read_shapes(Path(path)))


def _report(results: list[Result], graph: LoadedGraph, engine: str, note: str) -> Report:
    findings = {_finding(result, graph) for result in results}
    return Report(tuple(sorted(findings, key=_sort_key)), engine, note)


def _run_pyshacl(shapes: rdflib.Graph, graph: LoadedGraph, path: Path) -> list[Result]:
    report = run_pyshacl(to_rdflib(graph), shapes, path)
    # Only the report's own results: a sh:node result's sh:detail results are typed
    # sh:ValidationResult too, but they explain it and are not results themselves.
    return [
        _pyshacl_result(report, node, shapes)
        for top in report.subjects(RDF.type, SH.ValidationReport)
        for node in report.objects(top, SH.result)
    ]


def _pyshacl_result(report: rdflib.Graph, node: rdflib.term.Node, shapes: rdflib.Graph) -> Result:
    def value(predicate: rdflib.URIRef) -> rdflib.term.Node | None:
        return report.value(node, predicate)

    shape = value(SH.sourceShape)
    constraint = value(SH.sourceConstraint)
    path = value(SH.resultPath)
    found = value(SH.value)
    messages = [str(m) for m in report.objects(node, SH.resultMessage)]
    own = [str(m) for m in shapes.objects(shape, SH.message)]
    return Result(
        focus=term_of(value(SH.focusNode)),
        path=path_text(report, path) if path is not None else "",
        value=term_of(found) if found is not None else None,
        severity=str(value(SH.resultSeverity)),
        component=str(value(SH.sourceConstraintComponent)),
        shape=term_of(shape),
        constraint=term_of(constraint) if constraint is not None else None,
        message=choose_message(messages, own) or "does not conform",
    )


def path_text(graph: rdflib.Graph, node: rdflib.term.Node) -> str:
    """A SHACL path in SPARQL syntax with full IRIs (``<p>``, ``^<p>``, ``(<p> / <q>)``)."""
    if isinstance(node, rdflib.URIRef):
        return f"<{node}>"
    if not isinstance(node, rdflib.BNode):
        return node.n3()
    if graph.value(node, RDF.first) is not None:
        return "(" + " / ".join(path_text(graph, n) for n in graph.items(node)) + ")"
    for predicate, template in (
        (SH.inversePath, "^{}"),
        (SH.zeroOrMorePath, "{}*"),
        (SH.oneOrMorePath, "{}+"),
        (SH.zeroOrOnePath, "{}?"),
    ):
        inner = graph.value(node, predicate)
        if inner is not None:
            return template.format(path_text(graph, inner))
    alternatives = graph.value(node, SH.alternativePath)
    if alternatives is not None:
        return "(" + " | ".join(path_text(graph, n) for n in graph.items(alternatives)) + ")"
    return node.n3()


def _finding(result: Result, graph: LoadedGraph) -> Finding:
    focus = result.focus
    where = graph.locate(focus.value) if focus.is_iri else None
    named = result.constraint if result.constraint is not None else result.shape
    return Finding(
        file=str(where[0]) if where else "",
        line=where[1] if where else 0,
        focus=f"_:{focus.value}" if focus.is_blank else focus.value,
        path=re.sub(r"<([^>]*)>", lambda m: short(m.group(1)), result.path),
        value=_show(result.value),
        message=result.message,
        shape=short(named.value) if named.is_iri else "(anonymous shape)",
        severity=_SEVERITY.get(result.severity) or short(result.severity),
        component=short(result.component),
        focus_node=focus,
        value_node=result.value,
        result_path=result.path,
        source_shape=result.shape,
    )


def _show(value: Term | None) -> str:
    """A value for display: IRIs shortened, literals cut at 60 characters, blank nodes empty
    (the kind comes from the term, never from what the text looks like)."""
    if value is None or value.is_blank:
        return ""
    if value.is_iri:
        return short(value.value)
    text = value.value
    return text if len(text) <= 60 else text[:57] + "..."
