"""The shapes of a shapes graph, found and read exactly as pySHACL 0.40 finds and reads them.

Shapes are the subjects of target declarations, shapes that are also classes, typed node and
property shapes and every value of a shape-expecting parameter (sh:node, sh:property, sh:not,
sh:and, sh:or, sh:xone, sh:qualifiedValueShape); a shape with sh:path is a property shape. A
parameter pySHACL would reject, or one outside the compiled subset, raises :class:`Unsupported`.

Examples
--------
>>> import rdflib
>>> from harmgraph.rdf.load import shapes_file
>>> plan = build_plan(rdflib.Graph().parse(shapes_file()))
>>> len(plan.roots) > 10
True
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import rdflib
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SH

from harmgraph.shacl.pattern import patterns
from harmgraph.shacl.select import prepare_sparql
from harmgraph.shacl.terms import (
    XSD,
    Unsupported,
    boolean_value,
    count_value,
    iri,
    node_name,
    one_value,
    rdf_list,
    sh_name,
)

_RDF_TYPE, _SUBCLASS = iri(RDF.type), iri(RDFS.subClassOf)
_SEVERITIES = (SH.Violation, SH.Warning, SH.Info)
NODE_KINDS = {
    SH.IRI: "isIRI({v})",
    SH.BlankNode: "isBlank({v})",
    SH.Literal: "isLiteral({v})",
    SH.BlankNodeOrIRI: "(isBlank({v}) || isIRI({v}))",
    SH.BlankNodeOrLiteral: "(isBlank({v}) || isLiteral({v}))",
    SH.IRIOrLiteral: "(isIRI({v}) || isLiteral({v}))",
}
_WHOLE_INTEGERS = {
    XSD[name]
    for name in (
        "integer int long negativeInteger nonNegativeInteger nonPositiveInteger positiveInteger "
        "short unsignedByte unsignedInt unsignedLong unsignedShort byte"
    ).split()
}
RANGES = {
    SH.minInclusive: ("MinInclusive", "at least"),
    SH.maxInclusive: ("MaxInclusive", "at most"),
    SH.minExclusive: ("MinExclusive", "more than"),
    SH.maxExclusive: ("MaxExclusive", "less than"),
}
#: Every constraint parameter pySHACL acts on, and those this engine refuses.
_PARAMETERS = {
    SH[name]
    for name in (
        "class datatype nodeKind minCount maxCount minExclusive minInclusive maxExclusive "
        "maxInclusive not and or xone minLength maxLength pattern languageIn uniqueLang equals "
        "disjoint lessThan lessThanOrEquals node property qualifiedValueShape qualifiedMinCount "
        "qualifiedValueShapesDisjoint qualifiedMaxCount closed ignoredProperties hasValue in sparql"
    ).split()
}
_REFUSED = {
    SH[n] for n in "equals disjoint lessThan lessThanOrEquals closed ignoredProperties".split()
}
_SHAPE_VALUED = (SH.node, SH.property, SH["not"], SH.qualifiedValueShape)
_SHAPE_LISTS = (SH["and"], SH["or"], SH.xone)


@dataclass(frozen=True)
class Constraint:
    """One constraint component of a shape: ``kind`` names it, ``args`` holds its parameters."""

    kind: str
    component: str
    args: tuple = ()


@dataclass
class Shape:
    node: rdflib.term.Node
    path: tuple[str, URIRef] | None  # ("pred" | "inv", predicate)
    severity: URIRef
    messages: tuple[Literal, ...]
    deactivated: bool
    constraints: list[Constraint] = field(default_factory=list)
    targets: list[tuple[str, URIRef]] = field(default_factory=list)

    def step(self, subject: str, obj: str) -> str:
        """The triple pattern from ``subject`` along the path to ``obj``."""
        kind, predicate = self.path
        if kind == "inv":
            return f"{obj} {iri(predicate)} {subject} ."
        return f"{subject} {iri(predicate)} {obj} ."

    @property
    def path_text(self) -> str:
        if self.path is None:
            return ""
        kind, predicate = self.path
        return ("^" if kind == "inv" else "") + iri(predicate)


@dataclass
class Plan:
    """Compiled shapes: every shape by node, and the shapes whose own targets are validated."""

    graph: rdflib.Graph
    shapes: dict[rdflib.term.Node, Shape]
    roots: list[Shape]


LITERAL_FOCUS = {"class", "datatype", "nodeKind", "pattern", "length", "range", "in"}
LITERAL_FOCUS |= {"languageIn", "hasValue"}


def _discover(graph: rdflib.Graph) -> dict[rdflib.term.Node, Shape]:
    """Find the shapes exactly as pySHACL's ShapesGraph does."""
    custom = set(graph.subjects(RDF.type, SH.ConstraintComponent))
    for subclass in graph.subjects(RDFS.subClassOf, SH.ConstraintComponent):
        custom.update(graph.subjects(RDF.type, subclass))
    if any(not str(c).startswith(str(SH)) for c in custom):
        raise Unsupported("the shapes declare their own constraint components")
    declared_node = set(graph.subjects(RDF.type, SH.NodeShape))
    declared_property = set(graph.subjects(RDF.type, SH.PropertyShape))
    if declared_node & declared_property:
        raise Unsupported("a shape is typed both sh:NodeShape and sh:PropertyShape")
    found = set(declared_node) | declared_property
    for predicate in (SH.targetClass, SH.targetNode, SH.targetObjectsOf, SH.targetSubjectsOf):
        found.update(graph.subjects(predicate, None))
    found.update(graph.subjects(SH.property, None))
    found.update(graph.subjects(SH.node, None))
    for predicate in _SHAPE_VALUED:
        found.update(graph.objects(None, predicate))
    for predicate in _SHAPE_LISTS:
        for head in graph.objects(None, predicate):
            members = rdf_list(graph, head, f"a {sh_name(predicate)} list")
            if not members:
                raise Unsupported(f"an empty {sh_name(predicate)} list")
            found.update(members)
    shapes = {}
    for node in found:
        if not isinstance(node, URIRef | BNode):
            raise Unsupported(f"a literal is used as a shape: {node.n3()}")
        paths = list(graph.objects(node, SH.path))
        if node in declared_node and paths:
            raise Unsupported(f"node shape {node_name(node)} has sh:path")
        if len(paths) > 1 or (node in declared_property and not paths):
            raise Unsupported(f"{node_name(node)} needs exactly one sh:path")
        shapes[node] = _shape(graph, node, _path(graph, paths[0]) if paths else None)
    return shapes


def _path(graph: rdflib.Graph, node: rdflib.term.Node) -> tuple[str, URIRef]:
    if isinstance(node, URIRef):
        return ("pred", node)
    if isinstance(node, BNode) and set(graph.predicates(node, None)) == {SH.inversePath}:
        inverse = one_value(graph, node, SH.inversePath)
        if isinstance(inverse, URIRef):
            return ("inv", inverse)
    raise Unsupported("a path other than a predicate or the inverse of a predicate")


def _shape(graph: rdflib.Graph, node: rdflib.term.Node, path: tuple | None) -> Shape:
    flags = graph.objects(node, SH.deactivated)
    deactivated = [boolean_value(v, node, SH.deactivated) for v in flags]
    if len(deactivated) > 1:
        raise Unsupported(f"{node_name(node)} has more than one sh:deactivated")
    severities = set(graph.objects(node, SH.severity))
    if len(severities) > 1 or not severities <= set(_SEVERITIES):
        raise Unsupported(f"{node_name(node)} has a custom or repeated sh:severity")
    messages = tuple(graph.objects(node, SH.message))
    if not all(isinstance(m, Literal) for m in messages):
        raise Unsupported(f"{node_name(node)} has a sh:message that is not a literal")
    return Shape(
        node=node,
        path=path,
        severity=next(iter(severities), SH.Violation),
        messages=messages,
        deactivated=bool(deactivated and deactivated[0]),
    )


def _targets(graph: rdflib.Graph, shape: Shape) -> list[tuple[str, URIRef]]:
    node, targets = shape.node, []
    for kind, predicate in (
        ("node", SH.targetNode),
        ("class", SH.targetClass),
        ("subjects", SH.targetSubjectsOf),
        ("objects", SH.targetObjectsOf),
    ):
        for value in graph.objects(node, predicate):
            if kind == "node" and isinstance(value, Literal):
                # A literal focus node is the shapes file's literal as rdflib read it: it is
                # checked by pySHACL's own components, without the store (see _literal_focus).
                targets.append(("literal", value))
                continue
            if not isinstance(value, URIRef):
                raise Unsupported(f"{node_name(node)} has {sh_name(predicate)} {value.n3()}")
            targets.append((kind, value))
    # pySHACL's implicit class targets: the shape is typed rdfs:Class, owl:Class (its system
    # triple) or a direct subclass of rdfs:Class in the shapes graph.
    classes = {RDFS.Class, OWL.Class, *graph.subjects(RDFS.subClassOf, RDFS.Class)}
    if set(graph.objects(node, RDF.type)) & classes:
        if not isinstance(node, URIRef):
            raise Unsupported("a blank-node shape that is also a class")
        targets.append(("class", node))
    return targets


def _constraints(
    graph: rdflib.Graph, shape: Shape, shapes: dict[rdflib.term.Node, Shape]
) -> list[Constraint]:
    node = shape.node
    present = set(graph.predicates(node, None)) & _PARAMETERS
    refused = present & _REFUSED
    if refused:
        raise Unsupported(f"{node_name(node)} uses {min(sh_name(p) for p in refused)}")
    is_property = shape.path is not None
    out: list[Constraint] = []

    def add(kind: str, component: str, *args: object) -> None:
        out.append(Constraint(kind, f"{SH}{component}ConstraintComponent", args))

    def values(predicate: URIRef) -> list[rdflib.term.Node]:
        return list(graph.objects(node, predicate))

    def single(predicate: URIRef) -> rdflib.term.Node:
        return one_value(graph, node, predicate)

    def shape_of(value: rdflib.term.Node, predicate: URIRef) -> Shape:
        if value not in shapes:
            raise Unsupported(f"{sh_name(predicate)} of {node_name(node)} is not a shape")
        return shapes[value]

    for predicate in (SH.minCount, SH.maxCount, SH.uniqueLang):
        if predicate in present and not is_property:
            raise Unsupported(f"node shape {node_name(node)} has {sh_name(predicate)}")
    for value in values(SH["class"]):
        if not isinstance(value, URIRef):
            raise Unsupported(f"{node_name(node)} has sh:class {value.n3()}")
        add("class", "Class", value)
    if SH.datatype in present:
        datatype = single(SH.datatype)
        if not isinstance(datatype, URIRef):
            raise Unsupported(f"{node_name(node)} has sh:datatype {datatype.n3()}")
        add("datatype", "Datatype", datatype)
    if SH.nodeKind in present:
        kind = single(SH.nodeKind)
        if kind not in NODE_KINDS:
            raise Unsupported(f"{node_name(node)} has sh:nodeKind {kind.n3()}")
        add("nodeKind", "NodeKind", kind)
    if SH.minCount in present:
        add("minCount", "MinCount", count_value(single(SH.minCount), node, SH.minCount))
    if SH.maxCount in present:
        add("maxCount", "MaxCount", count_value(single(SH.maxCount), node, SH.maxCount))
    for predicate, (name, _) in RANGES.items():
        bounds = values(predicate)
        if any(not isinstance(b, Literal) for b in bounds):
            raise Unsupported(f"{node_name(node)} has a {sh_name(predicate)} that is not a literal")
        if bounds:
            add("range", name, predicate, tuple(bounds))
    for predicate, name in ((SH.minLength, "MinLength"), (SH.maxLength, "MaxLength")):
        if predicate in present:
            bound = single(predicate)
            if (
                not isinstance(bound, Literal)
                or bound.ill_typed
                or bound.datatype not in _WHOLE_INTEGERS
                or bound.value < 0
            ):
                raise Unsupported(f"{node_name(node)} has {sh_name(predicate)} {bound.n3()}")
            add("length", name, predicate, int(bound.value))
    if SH.pattern in present:
        add("pattern", "Pattern", *patterns(graph, node))
    if SH.languageIn in present:
        tags = rdf_list(graph, single(SH.languageIn), "sh:languageIn")
        if not all(isinstance(t, Literal) and isinstance(t.value, str) for t in tags):
            raise Unsupported(f"{node_name(node)} has a sh:languageIn tag that is not a string")
        lowered = frozenset(str(t.value).lower() for t in tags)
        if not all(t.isascii() for t in lowered):
            raise Unsupported(f"{node_name(node)} has a sh:languageIn tag that is not ASCII")
        add("languageIn", "LanguageIn", lowered)
    if SH.uniqueLang in present and boolean_value(single(SH.uniqueLang), node, SH.uniqueLang):
        add("uniqueLang", "UniqueLang")
    if SH["in"] in present:
        members = rdf_list(graph, single(SH["in"]), "sh:in")
        if any(isinstance(m, BNode) for m in members):
            raise Unsupported(f"{node_name(node)} has a blank node in sh:in")
        add("in", "In", tuple(members))
    for value in values(SH.hasValue):
        if isinstance(value, BNode):
            raise Unsupported(f"{node_name(node)} has a blank node as sh:hasValue")
        add("hasValue", "HasValue", value)
    for value in values(SH.node):
        target = shape_of(value, SH.node)
        if target.path is not None:
            raise Unsupported(f"sh:node of {node_name(node)} is a property shape")
        add("node", "Node", target)
    for value in values(SH["not"]):
        add("not", "Not", shape_of(value, SH["not"]))
    for predicate, name in ((SH["and"], "And"), (SH["or"], "Or"), (SH.xone, "Xone")):
        for head in values(predicate):
            members = [shape_of(m, predicate) for m in rdf_list(graph, head, predicate.n3())]
            if predicate != SH.xone:  # pySHACL takes and/or members as a set, xone as a list
                members = list({id(m): m for m in members}.values())
            add(name.lower(), name, tuple(members))
    for value in values(SH.property):
        target = shape_of(value, SH.property)
        if target.path is None:
            raise Unsupported(f"sh:property of {node_name(node)} is not a property shape")
        add("property", "Property", target)
    qualified = {SH.qualifiedValueShape, SH.qualifiedMinCount, SH.qualifiedMaxCount}
    if present & (qualified | {SH.qualifiedValueShapesDisjoint}):
        add("qualified", "QualifiedValue", *_qualified(graph, node, shape, shape_of))
    for value in values(SH.sparql):
        prepared = prepare_sparql(graph, shape.path, value)
        if prepared is not None:
            out.append(Constraint("sparql", f"{SH}SPARQLConstraintComponent", (prepared,)))
    return out


def _qualified(graph: rdflib.Graph, node: rdflib.term.Node, shape: Shape, shape_of) -> tuple:
    if shape.path is None:
        raise Unsupported(f"node shape {node_name(node)} has sh:qualifiedValueShape")
    for flag in graph.objects(node, SH.qualifiedValueShapesDisjoint):
        if boolean_value(flag, node, SH.qualifiedValueShapesDisjoint):
            raise Unsupported(f"{node_name(node)} has sh:qualifiedValueShapesDisjoint true")
    value_shape = shape_of(one_value(graph, node, SH.qualifiedValueShape), SH.qualifiedValueShape)
    bounds = []
    for predicate in (SH.qualifiedMinCount, SH.qualifiedMaxCount):
        found = list(graph.objects(node, predicate))
        if len(found) > 1:
            raise Unsupported(f"{node_name(node)} has more than one {sh_name(predicate)}")
        bounds.append(count_value(found[0], node, predicate) if found else None)
    if bounds == [None, None]:
        raise Unsupported(f"{node_name(node)} has sh:qualifiedValueShape without a count")
    return (value_shape, *bounds)


def _refuse_recursion(shapes: dict[rdflib.term.Node, Shape]) -> None:
    def refers(shape: Shape) -> Iterator[Shape]:
        for c in shape.constraints:
            for arg in c.args:
                if isinstance(arg, Shape):
                    yield arg
                elif isinstance(arg, tuple):
                    yield from (a for a in arg if isinstance(a, Shape))

    state: dict[int, int] = {}

    def visit(shape: Shape) -> None:
        state[id(shape)] = 1
        for child in refers(shape):
            if state.get(id(child)) == 1:
                raise Unsupported(f"the shapes are recursive through {node_name(child.node)}")
            if id(child) not in state:
                visit(child)
        state[id(shape)] = 2

    for shape in shapes.values():
        if id(shape) not in state:
            visit(shape)


def build_plan(graph: rdflib.Graph) -> Plan:
    """Find the shapes of ``graph`` and their constraints; raise :class:`Unsupported` naming
    the first feature outside the subset."""
    shapes = _discover(graph)
    for shape in shapes.values():
        shape.constraints = _constraints(graph, shape, shapes)
        shape.targets = _targets(graph, shape)
        if any(kind == "literal" for kind, _ in shape.targets) and (
            shape.path is not None or any(c.kind not in LITERAL_FOCUS for c in shape.constraints)
        ):
            raise Unsupported(
                f"{node_name(shape.node)} has a literal target node and a path or a "
                "constraint that needs the graph"
            )
    _refuse_recursion(shapes)
    roots = sorted(
        (s for s in shapes.values() if s.targets and not s.deactivated), key=lambda s: str(s.node)
    )
    return Plan(graph, shapes, roots)
