"""One value node in the compiled SHACL engine: the SPARQL test for each constraint, the
literals pySHACL's own code must decide, and the data checks (guards).

Where pySHACL's answer depends on how rdflib reads a literal (sh:datatype, ranges, patterns on
other than plain strings, lengths of typed literals, equality in sh:in and sh:hasValue), the
store selects the distinct candidates and pySHACL's constraint component decides each one; the
query then names the smaller of the two sets. Where rdflib would read two literals as equal
that the store keeps apart, or a SPARQL constraint compares literals rdflib compares otherwise,
a guard finds them in the data first and the engine refuses.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import rdflib
from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH

from harmgraph.shacl.adapter import bind_component, component_for, evaluate, shapes_graph
from harmgraph.shacl.shapes import NODE_KINDS, RANGES, Constraint, Shape
from harmgraph.shacl.terms import (
    STRING_IRI,
    XSD,
    Result,
    Term,
    Unsupported,
    any_of,
    iri,
    member,
    node_name,
    quiet_rdflib,
    rdflib_node,
    seen_by_pyshacl,
    sparql_string,
    term_of,
)

_RDF_TYPE, _SUBCLASS = iri(RDF.type), iri(RDFS.subClassOf)
#: Strings on which Python's re and the store's regex engine agree (see harmgraph.shacl.pattern).
_PLAIN = sparql_string("^[\\t\\r -~]*$")


@dataclass(frozen=True)
class Focus:
    """The focus nodes of a shape as a subquery binding a given variable."""

    pattern: Callable[[str], str]
    literals: bool  # whether a focus node can be a literal


@dataclass(frozen=True)
class Universe:
    """A pattern binding ``?u`` to every term a variable can take (a superset)."""

    pattern: str
    literals: bool


class ValueTests:
    """The test of one value node for each constraint, the literals pySHACL's code decides,
    and the guards: a part of the compiled engine's query builder, which sets ``plan``,
    ``store``, ``decided``, ``guarded`` and ``pyshacl_graph`` and provides ``conforms``."""

    def bad(self, c: Constraint, v: str, universe: Universe, shape: Shape) -> str:
        """A SPARQL expression that is true when the value ``v`` violates ``c``."""
        kind = c.kind
        if kind == "class":
            typed = f"{v} {_RDF_TYPE}/{_SUBCLASS}* {iri(c.args[0])}"
            return f"(isLiteral({v}) || NOT EXISTS {{ {typed} }})"
        if kind == "nodeKind":
            return "!" + NODE_KINDS[c.args[0]].format(v=v)
        if kind == "datatype":
            return self.bad_datatype(c, v, universe, shape)
        if kind == "pattern":
            patterns, flags = c.args
            plain = (
                f"((isIRI({v}) || (isLiteral({v}) && (datatype({v}) = {STRING_IRI} || "
                f'lang({v}) != ""))) && REGEX(STR({v}), {_PLAIN}))'
            )
            misses = " || ".join(
                f"!REGEX(STR({v}), {sparql_string(p)}, {sparql_string(flags)})" for p in patterns
            )
            decided = self.decided_by_pyshacl(
                c, v, universe, shape, lambda u: f"(!isBlank({u}) && !{plain.replace(v, u)})"
            )
            return f"(isBlank({v}) || ({plain} && ({misses})) || {decided})"
        if kind == "length":
            predicate, n = c.args
            if predicate == SH.minLength and n == 0:
                return "false"
            text = f'(datatype({v}) = {STRING_IRI} || lang({v}) != "")'
            stringy = f"(isIRI({v}) || (isLiteral({v}) && {text}))"
            compare = "<" if predicate == SH.minLength else ">"
            decided = self.decided_by_pyshacl(
                c,
                v,
                universe,
                shape,
                lambda u: f'(isLiteral({u}) && datatype({u}) != {STRING_IRI} && lang({u}) = "")',
            )
            return f"(isBlank({v}) || ({stringy} && STRLEN(STR({v})) {compare} {n}) || {decided})"
        if kind == "range":
            decided = self.decided_by_pyshacl(c, v, universe, shape, lambda u: f"isLiteral({u})")
            return f"(!isLiteral({v}) || {decided})"
        if kind == "in":
            members = c.args[0]
            iris = sorted(iri(m) for m in members if isinstance(m, URIRef))
            allowed = any_of(iris, lambda t: f"sameTerm({v}, {t})")
            literals = {m for m in members if isinstance(m, Literal)}
            if literals:
                outside = self.where_true(
                    ("in", id(c), universe.pattern),
                    v,
                    universe,
                    lambda u: f"isLiteral({u})",
                    lambda terms: {t for t in terms if rdflib_node(t) not in literals},
                )
            else:
                outside = f"isLiteral({v})"
            return f"(isBlank({v}) || (isIRI({v}) && !{allowed}) || {outside})"
        if kind == "languageIn":
            tags = c.args[0]
            tagged = f'isLiteral({v}) && lang({v}) != ""'
            if "*" in tags:
                return f"!({tagged})"
            listed = ", ".join(sparql_string(t) for t in sorted(tags))
            first = f'LCASE(STRBEFORE(CONCAT(lang({v}), "-"), "-"))'
            return f"!({tagged} && (LCASE(lang({v})) IN ({listed}) || {first} IN ({listed})))"
        if kind == "node":
            return f"!{self.conforms(v, c.args[0], universe)}"
        if kind == "not":
            return self.conforms(v, c.args[0], universe)
        members = [self.conforms(v, m, universe) for m in c.args[0]]
        if kind == "and":
            return "!(" + " && ".join(members) + ")"
        if kind == "or":
            return "!(" + " || ".join(members) + ")"
        return "((" + " + ".join(f"IF({m}, 1, 0)" for m in members) + ") != 1)"  # xone

    def bad_datatype(self, c: Constraint, v: str, universe: Universe, shape: Shape) -> str:
        # pySHACL (rdflib) sees plain strings without a datatype and language-tagged strings
        # without one; every other literal is decided by its DatatypeConstraintComponent.
        datatype = c.args[0]
        if datatype == XSD.string:
            return f"!(isLiteral({v}) && datatype({v}) = {STRING_IRI})"
        if datatype == RDF.langString:
            return f'!(isLiteral({v}) && lang({v}) != "")'
        if datatype == RDFS.Literal:
            return f"!isLiteral({v})"
        if datatype == RDFS.Datatype:
            return f'!(isLiteral({v}) && datatype({v}) != {STRING_IRI} && lang({v}) = "")'

        def typed(u: str) -> str:
            return f"(isLiteral({u}) && datatype({u}) = {iri(datatype)})"

        decided = self.decided_by_pyshacl(c, v, universe, shape, typed)
        return f"(!{typed(v)} || {decided})"

    def has_value(
        self, c: Constraint, x: str, shape: Shape, universe: Universe, values: Universe
    ) -> str:
        wanted = c.args[0]

        def equal(v: str, where: Universe) -> str:
            if isinstance(wanted, URIRef):
                return f"sameTerm({v}, {iri(wanted)})"
            if wanted.language:
                kind = RDF.langString
            else:
                kind = wanted.datatype if wanted.datatype is not None else XSD.string
            return self.where_true(
                ("hasValue", id(c), where.pattern),
                v,
                where,
                lambda u: f"(isLiteral({u}) && datatype({u}) = {iri(kind)})",
                lambda terms: {t for t in terms if rdflib_node(t) == wanted},
            )

        if shape.path is None:
            return equal(x, universe)
        v = self.fresh()
        return f"EXISTS {{ {shape.step(x, v)} FILTER ({equal(v, values)}) }}"

    def decided_by_pyshacl(
        self, c: Constraint, v: str, universe: Universe, shape: Shape, candidate: Callable
    ) -> str:
        """True for the candidates pySHACL's own constraint component reports."""
        return self.where_true(
            ("pyshacl", id(c), universe.pattern),
            v,
            universe,
            candidate,
            lambda terms: self.reported(shape, c, terms),
        )

    def where_true(
        self, key: tuple, v: str, universe: Universe, candidate: Callable, decide: Callable
    ) -> str:
        """An expression true for the values ``v`` among the universe's candidates for which
        ``decide`` (Python, run once per distinct term) holds; sets are written into the query,
        the smaller of the two so that the usual case (no ill-typed literal) stays short."""
        if self.store is None:
            return "false"
        if key not in self.decided:
            rows = self.store.query_terms(
                f"SELECT DISTINCT ?u WHERE {{ {universe.pattern} FILTER ({candidate('?u')}) }}"
            )
            terms = {row["u"] for row in rows if row["u"] is not None}
            true = decide(sorted(terms)) if terms else set()
            self.decided[key] = (true, terms - true)
        true, false = self.decided[key]
        if len(true) <= len(false):
            return member(v, true)
        return f"({candidate(v)} && !{member(v, false)})"

    def reported(self, shape: Shape, c: Constraint, terms: list[Term]) -> set[Term]:
        """Run pySHACL's constraint component for ``c`` on each term as a value node."""
        component = component_for(c)
        path = shape.path[1] if shape.path is not None else None
        with quiet_rdflib():
            instance = bind_component(component, self.pyshacl_shapes(), shape.node, path)
            focus = {
                URIRef(f"urn:x-harmgraph:focus:{i}"): {rdflib_node(t)} for i, t in enumerate(terms)
            }
            try:
                reports = evaluate(instance, focus)
            except Exception as error:  # pySHACL itself fails (NaN against a decimal...)
                raise Unsupported(f"pySHACL fails on {node_name(shape.node)}: {error!r}") from None
        bad = set()
        for _, _, triples in reports:
            for _, predicate, obj in triples:
                if predicate == SH.focusNode:
                    bad.add(terms[int(str(obj[1]).rsplit(":", 1)[1])])
        return bad

    def pyshacl_shapes(self) -> object:
        """pySHACL's ShapesGraph of the plan's shapes, made on first use."""
        if self.pyshacl_graph is None:
            self.pyshacl_graph = shapes_graph(self.plan.graph)
        return self.pyshacl_graph

    def literal_focus(self) -> list[Result]:
        """Results for literal sh:targetNode values: pySHACL's components on the literal the
        shapes file holds (a literal has no triples, so the graph is never needed)."""
        out = []
        for shape in self.plan.roots:
            literals = [value for kind, value in shape.targets if kind == "literal"]
            if not literals:
                continue
            components = {component_for(c): c for c in shape.constraints}
            for component, c in components.items():
                with quiet_rdflib():
                    instance = bind_component(component, self.pyshacl_shapes(), shape.node, None)
                    focus = {literal: {literal} for literal in literals}
                    try:
                        reports = evaluate(instance, focus)
                    except Exception as error:  # pySHACL itself fails
                        raise Unsupported(
                            f"pySHACL fails on {node_name(shape.node)}: {error!r}"
                        ) from None
                for _, _, triples in reports:
                    found = {p: o[1] if isinstance(o, tuple) else o for _, p, o in triples}
                    value = found.get(SH.value)
                    out.append(
                        Result(
                            focus=term_of(found[SH.focusNode]),
                            path="",
                            value=term_of(value) if value is not None else None,
                            severity=str(shape.severity),
                            component=str(found[SH.sourceConstraintComponent]),
                            shape=term_of(shape.node),
                            constraint=None,
                            message=plain_message(shape, c),
                        )
                    )
        return out

    # ------------------------------------------------------------ universes and guards
    def inverse_guard(self, shape: Shape, universe: Universe) -> None:
        """An inverse path from a literal matches the triples whose object is that literal:
        rdflib matches literals it reads as equal, the store only identical ones."""
        if shape.path is not None and shape.path[0] == "inv" and universe.literals:
            self.guard("canon", universe)
            self.guard("canon", Universe(f"?_s {iri(shape.path[1])} ?u .", True))

    def guard(self, kind: str, universe: Universe) -> None:
        """Refuse when the data has literals for which the store and rdflib would disagree:
        ``canon`` literals rdflib rewrites (it would count or join them as equal), ``cmp``
        literals outside the kinds both engines compare alike with = and !=."""
        if self.store is None or not universe.literals or (kind, universe.pattern) in self.guarded:
            return
        self.guarded.add((kind, universe.pattern))
        if kind == "cmp":
            safe = (
                f'datatype(?u) = {STRING_IRI} || lang(?u) != "" || '
                f'(datatype(?u) = {iri(XSD.boolean)} && STR(?u) IN ("true", "false")) || '
                f"(datatype(?u) = {iri(XSD.integer)} && "
                f'REGEX(STR(?u), "^(0|-?[1-9][0-9]*)$"))'
            )
            if self.store.ask(f"ASK {{ {universe.pattern} FILTER (isLiteral(?u) && !({safe})) }}"):
                raise Unsupported(
                    "the data has literals a SPARQL constraint compares that rdflib and the "
                    "store compare differently"
                )
            return
        if kind == "truthy":
            rows = self.store.query_terms(
                f"SELECT DISTINCT ?u WHERE {{ {universe.pattern} FILTER (isLiteral(?u) && "
                f'(STR(?u) = "" || (datatype(?u) != {STRING_IRI} && lang(?u) = ""))) }}'
            )
            for row in rows:
                if not rdflib_node(row["u"]):
                    raise Unsupported(
                        f"the data has {row['u'].n3()} at the end of a property path in a SPARQL "
                        "constraint, which rdflib reads as unbound"
                    )
            return
        rows = self.store.query_terms(
            f"SELECT DISTINCT ?u WHERE {{ {universe.pattern} FILTER (isLiteral(?u) && "
            f'datatype(?u) != {STRING_IRI} && lang(?u) = "") }}'
        )
        for row in rows:
            term = row["u"]
            if seen_by_pyshacl(term).value != term.value:
                raise Unsupported(
                    f"the data has {term.n3()}, which rdflib reads as equal to other literals "
                    "the store keeps apart"
                )


def plain_message(shape: Shape, c: Constraint) -> str:
    """The shape's sh:message (the first in order), else a plain one of this engine's own."""
    own = [str(m) for m in shape.messages]
    if own:
        return min(own)
    kind, args = c.kind, c.args
    plain = {
        "class": lambda: f"the value is not an instance of {_show(args[0])}",
        "datatype": lambda: f"the value is not a literal of datatype {_show(args[0])}",
        "nodeKind": lambda: f"the value is not of node kind {_show(args[0])}",
        "pattern": lambda: f"the value does not match {' and '.join(map(repr, args[0]))}",
        "length": lambda: (
            f"the value is {'shorter' if args[0] == SH.minLength else 'longer'}"
            f" than {args[1]} characters"
        ),
        "range": lambda: (
            f"the value is not {RANGES[args[0]][1]} {' and '.join(_show(b) for b in args[1])}"
        ),
        "in": lambda: "the value is not one of the allowed values",
        "languageIn": lambda: "the value is not in an allowed language",
        "node": lambda: f"the value does not conform to {_show(args[0].node)}",
        "not": lambda: f"the value conforms to {_show(args[0].node)}, which it must not",
        "and": lambda: "the value does not conform to all of the shapes",
        "or": lambda: "the value does not conform to any of the shapes",
        "xone": lambda: "the value does not conform to exactly one of the shapes",
        "minCount": lambda: f"fewer than {args[0]} values",
        "maxCount": lambda: f"more than {args[0]} values",
        "hasValue": lambda: f"{_show(args[0])} is not among the values",
        "uniqueLang": lambda: "two values share a language",
        "qualified": lambda: (
            f"the number of values conforming to {_show(args[0].node)} is out of bounds"
        ),
        "sparql": lambda: "the SPARQL constraint selected this node",
        "property": lambda: "",  # its results are the property shape's own
    }
    return plain[kind]()


def _show(node: rdflib.term.Node) -> str:
    return node.n3() if isinstance(node, URIRef | Literal) else "a blank-node shape"
