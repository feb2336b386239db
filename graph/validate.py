"""Check a loaded graph against the SHACL shapes and report findings by file and line.

Examples
--------
>>> from harmgraph.load import load_graph
>>> report = validate_graph(load_graph())
>>> report.conforms
True
"""

from __future__ import annotations

from dataclasses import dataclass

import rdflib
from rdflib.namespace import SH

from harmgraph.load import LoadedGraph, shapes_file
from harmgraph.namespaces import ID_IRI, PREFIXES
from harmgraph.shacl_sparql import Check, Unsupported, compile_shapes

_SEVERITY = {SH.Violation: "violation", SH.Warning: "warning", SH.Info: "info"}


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
    """One SHACL result, placed in a file where the focus node is described."""

    file: str
    line: int
    focus: str
    path: str
    value: str
    message: str
    shape: str
    severity: str

    def __str__(self) -> str:
        where = ""
        if self.file:
            where = f"{self.file}:{self.line}: " if self.line else f"{self.file}: "
        detail = (
            f" [{self.path}" + (f" = {self.value}" if self.value else "") + "]" if self.path else ""
        )
        return f"{where}{self.severity}: {short(self.focus)}: {self.message} ({self.shape}){detail}"

    def as_dict(self) -> dict[str, str | int]:
        return {
            "file": self.file,
            "line": self.line,
            "focus": self.focus,
            "path": self.path,
            "value": self.value,
            "message": self.message,
            "shape": self.shape,
            "severity": self.severity,
        }


@dataclass(frozen=True)
class Report:
    """The outcome of a validation: ``conforms`` ignores warnings and infos."""

    findings: tuple[Finding, ...]

    @property
    def conforms(self) -> bool:
        return not self.violations

    @property
    def violations(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity == "violation")


def to_rdflib(graph: LoadedGraph) -> rdflib.Graph:
    """Copy the ontology and data into an rdflib graph (for pySHACL)."""
    rdf = rdflib.Graph()
    rdf.parse(data=graph.store.dump("ntriples"), format="nt")
    return rdf


ENGINES = ("sparql", "pyshacl")


def validate_graph(graph: LoadedGraph, engine: str = "sparql") -> Report:
    """Validate the ontology and data of ``graph`` against ``ontology/shapes.ttl``.

    ``engine="sparql"`` (the default) compiles every core constraint into one SPARQL
    query run over the whole graph in the store (:mod:`harmgraph.shacl_sparql`), and falls
    back to pySHACL if the shapes use a feature it does not compile. ``engine="pyshacl"``
    checks the core constraints with pySHACL on an rdflib copy. Either way the
    SHACL-SPARQL constraints run in the store, once each, with the shape's targets joined
    in, because pySHACL re-parses a constraint's query for every focus node.
    """
    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r}")
    shapes = rdflib.Graph().parse(shapes_file(), format="turtle")
    constraints = _take_sparql_constraints(shapes)
    findings = None
    if engine == "sparql":
        try:
            findings = _run_checks(compile_shapes(shapes), graph)
        except Unsupported:
            findings = None
    if findings is None:
        from pyshacl import validate as shacl_validate  # only this engine needs it (slow import)

        _, results, _ = shacl_validate(
            to_rdflib(graph), shacl_graph=shapes, inference="none", allow_warnings=True
        )
        findings = _findings(results, graph)
    for constraint in constraints:
        findings.extend(_run_sparql_constraint(constraint, graph))
    return Report(tuple(sorted(set(findings))))


def _run_checks(checks: list[Check], graph: LoadedGraph) -> list[Finding]:
    findings = []
    for check in checks:
        for row in graph.store.query(check.query):
            focus = row.get("this") or ""
            where = graph.locate(focus) if not focus.startswith("_:") else None
            value = row.get("value") or ""
            findings.append(
                Finding(
                    file=str(where[0]) if where else "",
                    line=where[1] if where else 0,
                    focus=focus,
                    path=short(check.path) if check.path else "",
                    value=_show_text(value),
                    message=check.message,
                    shape=short(check.shape) if check.shape.startswith("http") else check.shape,
                    severity=check.severity,
                )
            )
    return findings


def _show_text(value: str) -> str:
    if not value or value.startswith("_:"):
        return ""
    if value.startswith(("http://", "https://")):
        return short(value)
    return value if len(value) <= 60 else value[:57] + "..."


@dataclass(frozen=True)
class SparqlConstraint:
    """A SHACL-SPARQL constraint taken out of the shapes, with its shape's targets."""

    name: str
    select: str
    message: str
    severity: str
    targets: tuple[str, ...]


def _take_sparql_constraints(shapes: rdflib.Graph) -> list[SparqlConstraint]:
    found = []
    for shape, node in list(shapes.subject_objects(SH.sparql)):
        targets = [
            f"?this a/rdfs:subClassOf* <{c}> ." for c in shapes.objects(shape, SH.targetClass)
        ]
        targets += [
            f"?this <{p}> ?target_ .".replace("target_", f"target{i}")
            for i, p in enumerate(shapes.objects(shape, SH.targetSubjectsOf))
        ]
        found.append(
            SparqlConstraint(
                name=short(str(node)),
                select=str(shapes.value(node, SH.select)),
                message=str(shapes.value(node, SH.message)),
                severity=_SEVERITY.get(shapes.value(node, SH.severity), "violation"),
                targets=tuple(targets),
            )
        )
        shapes.remove((shape, SH.sparql, node))
    return found


def _run_sparql_constraint(constraint: SparqlConstraint, graph: LoadedGraph) -> list[Finding]:
    union = " UNION ".join("{ " + t + " }" for t in constraint.targets)
    target = "{ SELECT DISTINCT ?this WHERE { " + union + " } }"
    body = constraint.select.replace("$this", "?this")
    head, brace, rest = body.partition("{")
    sparql = f"{head}{brace} {target} {rest}"
    findings = []
    for row in graph.store.query(sparql):
        focus = row.get("this") or ""
        where = graph.locate(focus)
        findings.append(
            Finding(
                file=str(where[0]) if where else "",
                line=where[1] if where else 0,
                focus=focus,
                path=short(row["path"]) if row.get("path") else "",
                value=short(row["value"]) if row.get("value") else "",
                message=constraint.message,
                shape=constraint.name,
                severity=constraint.severity,
            )
        )
    return findings


def _findings(results: rdflib.Graph, graph: LoadedGraph) -> list[Finding]:
    findings = []
    for result in results.subjects(rdflib.RDF.type, SH.ValidationResult):
        focus = results.value(result, SH.focusNode)
        path = results.value(result, SH.resultPath)
        value = results.value(result, SH.value)
        shape = results.value(result, SH.sourceShape)
        message = results.value(result, SH.resultMessage)
        severity = results.value(result, SH.resultSeverity)
        where = graph.locate(str(focus)) if isinstance(focus, rdflib.URIRef) else None
        findings.append(
            Finding(
                file=str(where[0]) if where else "",
                line=where[1] if where else 0,
                focus=str(focus) if isinstance(focus, rdflib.URIRef) else f"_:{focus}",
                path=short(str(path)) if isinstance(path, rdflib.URIRef) else "",
                value=_show(value),
                message=str(message) if message is not None else "does not conform",
                shape=short(str(shape))
                if isinstance(shape, rdflib.URIRef)
                else "(anonymous shape)",
                severity=_SEVERITY.get(severity, "violation"),
            )
        )
    return findings


def _show(value: object) -> str:
    if value is None or isinstance(value, rdflib.BNode):
        return ""
    if isinstance(value, rdflib.URIRef):
        return short(str(value))
    text = str(value)
    return text if len(text) <= 60 else text[:57] + "..."
