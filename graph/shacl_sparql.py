"""Validate a graph by compiling the SHACL shapes into SPARQL queries run in the store.

Each constraint becomes one SELECT that returns the violating focus nodes (``?this``),
with the value (``?value``) where there is one, over the whole graph at once. This
covers the SHACL Core features harmgraph's shapes use: targetClass, targetSubjectsOf,
minCount, maxCount, class, datatype, nodeKind, pattern, minLength, in, hasValue,
min/maxInclusive, uniqueLang, qualifiedValueShape with min/max counts, or, node,
and SHACL-SPARQL constraints. A shape with any other feature raises
:class:`Unsupported`, and :func:`harmgraph.validate.validate_graph` then uses pySHACL.

Examples
--------
>>> import rdflib
>>> from harmgraph.load import shapes_file
>>> checks = compile_shapes(rdflib.Graph().parse(shapes_file()))
>>> len(checks) > 40
True
"""

from __future__ import annotations

from dataclasses import dataclass

import rdflib
from rdflib import RDF
from rdflib.collection import Collection
from rdflib.namespace import SH

_SEVERITY = {SH.Violation: "violation", SH.Warning: "warning", SH.Info: "info"}
_HANDLED = {
    SH.path,
    SH.minCount,
    SH.maxCount,
    SH["class"],
    SH.datatype,
    SH.nodeKind,
    SH.pattern,
    SH.minLength,
    SH["in"],
    SH.hasValue,
    SH.minInclusive,
    SH.maxInclusive,
    SH.uniqueLang,
    SH.qualifiedValueShape,
    SH.qualifiedMinCount,
    SH.qualifiedMaxCount,
    SH["or"],
    SH.node,
    SH.message,
    SH.severity,
    RDF.type,
    SH.name,
    SH.description,
}
_NODE_HANDLED = {
    SH.targetClass,
    SH.targetSubjectsOf,
    SH.property,
    SH.sparql,
    SH["or"],
    SH.message,
    SH.severity,
    RDF.type,
    SH.name,
    SH.description,
}


class Unsupported(Exception):
    """The shapes use a SHACL feature this engine does not compile."""


@dataclass(frozen=True)
class Check:
    """One compiled constraint: a SELECT returning ``?this`` (and maybe ``?value``)."""

    shape: str
    path: str
    message: str
    severity: str
    query: str


def _term(node: rdflib.term.Node) -> str:
    return node.n3()


def _list(shapes: rdflib.Graph, head: rdflib.term.Node) -> list[rdflib.term.Node]:
    return list(Collection(shapes, head))


def _value_condition(shapes: rdflib.Graph, node: rdflib.term.Node, v: str) -> str:
    """A SPARQL boolean expression that holds when ``v`` satisfies the value constraints
    (class, datatype, nodeKind, languageIn...) declared on ``node``."""
    parts = []
    for cls in shapes.objects(node, SH["class"]):
        parts.append(f"EXISTS {{ {v} rdf:type/rdfs:subClassOf* {_term(cls)} }}")
    for datatype in shapes.objects(node, SH.datatype):
        if datatype == RDF.langString:
            parts.append(f"(isLiteral({v}) && lang({v}) != '')")
        else:
            parts.append(f"(isLiteral({v}) && datatype({v}) = {_term(datatype)})")
    for languages in shapes.objects(node, SH.languageIn):
        tags = " || ".join(f"langMatches(lang({v}), '{tag}')" for tag in _list(shapes, languages))
        parts.append(f"(isLiteral({v}) && ({tags}))")
    known = {SH["class"], SH.datatype, SH.languageIn, RDF.type}
    extra = set(shapes.predicates(node)) - known
    if extra:
        raise Unsupported(f"value constraint with {sorted(str(p) for p in extra)}")
    return " && ".join(parts) or "true"


def compile_shapes(shapes: rdflib.Graph) -> list[Check]:
    """Compile every node shape with targets into :class:`Check` queries."""
    checks: list[Check] = []
    for shape in sorted(set(shapes.subjects(RDF.type, SH.NodeShape)), key=str):
        targets = [
            f"?this rdf:type/rdfs:subClassOf* {_term(c)} ."
            for c in shapes.objects(shape, SH.targetClass)
        ]
        targets += [
            f"?this {_term(p)} ?t{i} ."
            for i, p in enumerate(shapes.objects(shape, SH.targetSubjectsOf))
        ]
        if not targets:
            continue
        target = " UNION ".join("{ " + t + " }" for t in targets)
        checks += _node_checks(shapes, shape, "{ SELECT DISTINCT ?this WHERE { " + target + " } }")
    return checks


def _node_checks(shapes: rdflib.Graph, shape: rdflib.term.Node, target: str) -> list[Check]:
    extra = set(shapes.predicates(shape)) - _NODE_HANDLED
    if extra:
        raise Unsupported(f"node shape {shape} uses {sorted(str(p) for p in extra)}")
    checks = []
    name = _name(shape)
    alternatives = list(shapes.objects(shape, SH["or"]))
    for head in alternatives:
        conditions = []
        for alternative in _list(shapes, head):
            path = shapes.value(alternative, SH.path)
            if path is None or shapes.value(alternative, SH.minCount) is None:
                raise Unsupported("node-level sh:or other than path + minCount")
            conditions.append(f"EXISTS {{ ?this {_term(path)} ?x }}")
        checks.append(
            Check(
                name,
                "",
                _message(shapes, shape),
                _severity(shapes, shape),
                f"SELECT ?this WHERE {{ {target} FILTER (!({' || '.join(conditions)})) }}",
            )
        )
    for prop in shapes.objects(shape, SH.property):
        checks += _property_checks(shapes, prop, target)
    return checks


def _name(node: rdflib.term.Node) -> str:
    return str(node) if isinstance(node, rdflib.URIRef) else "(anonymous shape)"


def _message(shapes: rdflib.Graph, node: rdflib.term.Node) -> str:
    message = shapes.value(node, SH.message)
    return str(message) if message is not None else "does not conform"


def _severity(shapes: rdflib.Graph, node: rdflib.term.Node) -> str:
    return _SEVERITY.get(shapes.value(node, SH.severity), "violation")


def _property_checks(shapes: rdflib.Graph, prop: rdflib.term.Node, target: str) -> list[Check]:
    extra = set(shapes.predicates(prop)) - _HANDLED
    if extra:
        raise Unsupported(f"property shape {prop} uses {sorted(str(p) for p in extra)}")
    path = shapes.value(prop, SH.path)
    if not isinstance(path, rdflib.URIRef):
        raise Unsupported(f"property shape {prop} has a complex path")
    p = _term(path)
    name, message, severity = _name(prop), _message(shapes, prop), _severity(shapes, prop)
    queries: list[str] = []
    each = f"SELECT ?this ?value WHERE {{ {target} ?this {p} ?value . FILTER ({{}}) }}"

    def per_value(condition: str) -> None:
        queries.append(each.replace("{}", condition))

    minimum = shapes.value(prop, SH.minCount)
    if minimum is not None:
        queries.append(
            f"SELECT ?this WHERE {{ {target} OPTIONAL {{ ?this {p} ?v }} }} "
            f"GROUP BY ?this HAVING (COUNT(DISTINCT ?v) < {int(minimum)})"
        )
    maximum = shapes.value(prop, SH.maxCount)
    if maximum is not None:
        queries.append(
            f"SELECT ?this WHERE {{ {target} ?this {p} ?v }} "
            f"GROUP BY ?this HAVING (COUNT(DISTINCT ?v) > {int(maximum)})"
        )
    for cls in shapes.objects(prop, SH["class"]):
        per_value(f"NOT EXISTS {{ ?value rdf:type/rdfs:subClassOf* {_term(cls)} }}")
    for datatype in shapes.objects(prop, SH.datatype):
        if datatype == RDF.langString:
            per_value("!isLiteral(?value) || lang(?value) = ''")
        else:
            per_value(f"!isLiteral(?value) || datatype(?value) != {_term(datatype)}")
    kind = shapes.value(prop, SH.nodeKind)
    if kind is not None:
        test = {
            SH.IRI: "isIRI(?value)",
            SH.Literal: "isLiteral(?value)",
            SH.BlankNode: "isBlank(?value)",
        }
        if kind not in test:
            raise Unsupported(f"sh:nodeKind {kind}")
        per_value(f"!{test[kind]}")
    pattern = shapes.value(prop, SH.pattern)
    if pattern is not None:
        per_value(f"isBlank(?value) || !REGEX(STR(?value), {rdflib.Literal(str(pattern)).n3()})")
    length = shapes.value(prop, SH.minLength)
    if length is not None:
        per_value(f"isBlank(?value) || STRLEN(STR(?value)) < {int(length)}")
    allowed = shapes.value(prop, SH["in"])
    if allowed is not None:
        per_value(f"?value NOT IN ({', '.join(_term(v) for v in _list(shapes, allowed))})")
    for low in shapes.objects(prop, SH.minInclusive):
        per_value(f"!(?value >= {_term(low)})")
    for high in shapes.objects(prop, SH.maxInclusive):
        per_value(f"!(?value <= {_term(high)})")
    for value in shapes.objects(prop, SH.hasValue):
        queries.append(
            f"SELECT ?this WHERE {{ {target} FILTER NOT EXISTS {{ ?this {p} {_term(value)} }} }}"
        )
    if shapes.value(prop, SH.uniqueLang) == rdflib.Literal(True):
        queries.append(
            f"SELECT DISTINCT ?this WHERE {{ {target} ?this {p} ?a, ?b . "
            "FILTER (STR(?a) != STR(?b) && lang(?a) != '' && lang(?a) = lang(?b)) }"
        )
    qualified = shapes.value(prop, SH.qualifiedValueShape)
    if qualified is not None:
        condition = _value_condition(shapes, qualified, "?v")
        bounds = []
        if shapes.value(prop, SH.qualifiedMinCount) is not None:
            bounds.append(f"?n < {int(shapes.value(prop, SH.qualifiedMinCount))}")
        if shapes.value(prop, SH.qualifiedMaxCount) is not None:
            bounds.append(f"?n > {int(shapes.value(prop, SH.qualifiedMaxCount))}")
        queries.append(
            f"SELECT ?this WHERE {{ {{ SELECT ?this (COUNT(DISTINCT ?v) AS ?n) WHERE {{ {target} "
            f"OPTIONAL {{ ?this {p} ?v FILTER ({condition}) }} }} GROUP BY ?this }} "
            f"FILTER ({' || '.join(bounds)}) }}"
        )
    for head in shapes.objects(prop, SH["or"]):
        options = [_value_condition(shapes, alt, "?value") for alt in _list(shapes, head)]
        per_value(" && ".join(f"!({o})" for o in options))
    checks = [Check(name, str(path), message, severity, q) for q in queries]
    for node_shape in shapes.objects(prop, SH.node):
        # The owner violates sh:node when one of its values violates the node shape.
        values = f"{{ SELECT DISTINCT ?this WHERE {{ ?owner_ {p} ?this }} }}"
        for inner in _node_checks(shapes, node_shape, values):
            renamed = inner.query.replace("?this", "?inner_").replace("?value", "?innerValue_")
            checks.append(
                Check(
                    name,
                    str(path),
                    message,
                    severity,
                    f"SELECT DISTINCT ?this WHERE {{ {target} ?this {p} ?inner_ . "
                    f"{{ {renamed} }} }}",
                )
            )
    return checks
