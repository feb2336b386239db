"""Validate a graph by compiling SHACL shapes into SPARQL run in the store.

The compiled engine gives exactly the answer pySHACL 0.40 gives on the same data (loaded through
harmgraph's store), or it refuses: :func:`compile_shapes` and :func:`run_plan` raise
:class:`Unsupported` and :func:`harmgraph.shacl.validate.validate_graph` hands everything to
pySHACL. It never gives a different answer. Whole shapes graphs are refused, never single shapes.

The subset it compiles:

- shapes found as SHACL (and pySHACL) finds them (:mod:`harmgraph.shacl.shapes`): subjects of
  sh:targetClass, sh:targetNode, sh:targetSubjectsOf, sh:targetObjectsOf, shapes that are also
  classes, typed or untyped, node or property shapes; sh:deactivated; sh:severity sh:Violation,
  sh:Warning or sh:Info on the shape (a literal target node only with constraints on the value
  itself, checked by pySHACL's own components);
- paths: a predicate, or sh:inversePath of a predicate;
- sh:minCount, sh:maxCount, sh:class, sh:nodeKind (all six kinds), sh:datatype, sh:pattern (every
  value, with sh:flags), sh:minLength, sh:maxLength, sh:in, sh:hasValue, sh:minInclusive,
  sh:maxInclusive, sh:minExclusive, sh:maxExclusive, sh:languageIn, sh:uniqueLang,
  sh:qualifiedValueShape with sh:qualifiedMinCount/MaxCount (:mod:`harmgraph.shacl.values`);
- sh:node, sh:not, sh:and, sh:or, sh:xone and nested sh:property, through one "does node X conform
  to shape S" SPARQL expression (counts inside nested shapes: 0 or 1 only; no recursion);
- SHACL-SPARQL constraints (sh:sparql with sh:select, sh:prefixes, sh:declare, $this, $PATH) whose
  query gives the same rows with the focus nodes joined in as with pySHACL's pre-bound $this
  (:mod:`harmgraph.shacl.select`, :mod:`harmgraph.shacl.walk`).

Where pySHACL's answer depends on how rdflib parses a literal (sh:datatype, ranges, patterns,
lengths and equality of literals), SPARQL selects the distinct literals that could matter and
pySHACL's own code decides each one. Where the data holds literals that rdflib would read as equal
although the store keeps them apart (``"2020-01-01Z"`` and ``"2020-01-01"`` as xsd:date), a count
could differ: the engine checks for such literals first and refuses if it finds any.

Examples
--------
>>> import rdflib
>>> from harmgraph.rdf.load import shapes_file
>>> plan = compile_shapes(rdflib.Graph().parse(shapes_file()))
>>> len(plan.roots) > 10
True
>>> compile_shapes(rdflib.Graph().parse(data='''
...     @prefix sh: <http://www.w3.org/ns/shacl#> .
...     <https://e/s> sh:targetNode <https://e/a> ; sh:closed true .
... ''', format="turtle"))  # doctest: +IGNORE_EXCEPTION_DETAIL
Traceback (most recent call last):
harmgraph.shacl.sparql.Unsupported: <https://e/s> uses sh:closed
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import rdflib
from rdflib.namespace import RDF, RDFS, SH

from harmgraph.errors import QueryFailed
from harmgraph.rdf.store import GraphStore
from harmgraph.shacl.select import SparqlConstraint
from harmgraph.shacl.shapes import Constraint, Plan, Shape, build_plan
from harmgraph.shacl.terms import (
    Result,
    Term,
    Unsupported,
    choose_message,
    iri,
    node_name,
    quiet_rdflib,
    seen_by_pyshacl,
    substitute,
    term_of,
)
from harmgraph.shacl.values import Focus, Universe, ValueTests, plain_message
from harmgraph.shacl.walk import FOCUS

__all__ = [
    "Plan",
    "Result",
    "Unsupported",
    "choose_message",
    "compile_shapes",
    "quiet_rdflib",
    "run_plan",
    "term_of",
]

_RDF_TYPE, _SUBCLASS = iri(RDF.type), iri(RDFS.subClassOf)
_VALUE_KINDS = set("class datatype nodeKind pattern length range in languageIn".split())
_VALUE_KINDS |= {"node", "not", "and", "or", "xone"}


@dataclass
class _Check:
    sparql: str
    shape: Shape
    component: str
    message: str
    value: str | None = None  # "value": the ?value column; "this": the focus node
    counts: tuple[int | None, int | None] | None = None  # qualified min and max
    constraint: SparqlConstraint | None = None


class _Run(ValueTests):
    """Renders the plan into queries; with a store, runs the literal decisions and guards."""

    def __init__(self, plan: Plan, store: GraphStore | None) -> None:
        self.plan, self.store = plan, store
        self.counter = 0
        self.decided: dict[tuple, tuple[set[Term], set[Term]]] = {}
        self.guarded: set[tuple[str, str]] = set()
        self.pyshacl_graph = None

    def fresh(self) -> str:
        self.counter += 1
        return f"?_{self.counter}"

    def checks(self) -> list[_Check]:
        out = []
        for shape in self.plan.roots:
            if any(kind != "literal" for kind, _ in shape.targets):
                out += self.evaluate(shape, _target_focus(shape))
        return out

    # ------------------------------------------------------------ top level: results
    def evaluate(self, shape: Shape, focus: Focus) -> list[_Check]:
        if shape.deactivated:
            return []
        out: list[_Check] = []
        f = focus.pattern("?this")
        values = self.values_universe(shape)
        this_universe = Universe(focus.pattern("?u"), focus.literals)
        self.inverse_guard(shape, this_universe)
        for c in shape.constraints:
            message = plain_message(shape, c)

            def check(sparql: str, value: str | None = None, c=c, message=message, out=out) -> None:
                out.append(_Check(sparql, shape, c.component, message, value))

            if c.kind in _VALUE_KINDS:
                if shape.path is None:
                    bad = self.bad(c, "?this", this_universe, shape)
                    check(f"SELECT DISTINCT ?this WHERE {{ {f} FILTER ({bad}) }}", "this")
                else:
                    bad = self.bad(c, "?value", values, shape)
                    step = shape.step("?this", "?value")
                    check(
                        f"SELECT DISTINCT ?this ?value WHERE {{ {f} {step} FILTER ({bad}) }}",
                        "value",
                    )
            elif c.kind == "minCount" and c.args[0] > 0:
                if c.args[0] == 1:
                    check(
                        f"SELECT DISTINCT ?this WHERE {{ {f} FILTER NOT EXISTS {{ "
                        f"{shape.step('?this', '?v')} }} }}"
                    )
                else:
                    self.guard("canon", values)
                    check(
                        f"SELECT ?this WHERE {{ {f} OPTIONAL {{ {shape.step('?this', '?v')} }} }} "
                        f"GROUP BY ?this HAVING (COUNT(DISTINCT ?v) < {c.args[0]})"
                    )
            elif c.kind == "maxCount":
                self.guard("canon", values)
                check(
                    f"SELECT ?this WHERE {{ {f} {shape.step('?this', '?v')} }} "
                    f"GROUP BY ?this HAVING (COUNT(DISTINCT ?v) > {c.args[0]})"
                )
            elif c.kind == "hasValue":
                has = self.has_value(c, "?this", shape, this_universe, values)
                check(f"SELECT DISTINCT ?this WHERE {{ {f} FILTER (!{has}) }}")
            elif c.kind == "uniqueLang":
                a, b = "?a", "?b"
                check(
                    f"SELECT DISTINCT ?this WHERE {{ {f} {shape.step('?this', a)} "
                    f"{shape.step('?this', b)} FILTER ({_same_language(a, b)}) }}"
                )
            elif c.kind == "qualified":
                out.append(self.qualified(shape, c, f, values, message))
            elif c.kind == "property":
                target = c.args[0]
                inner = focus if shape.path is None else self.values_focus(shape, focus)
                out += self.evaluate(target, inner)
            elif c.kind == "sparql":
                out.append(self.sparql(shape, c, focus, message))
        return out

    def qualified(
        self, shape: Shape, c: Constraint, f: str, values: Universe, message: str
    ) -> _Check:
        value_shape, low, high = c.args
        if high is not None or (low or 0) > 1:
            self.guard("canon", values)
        conforms = self.conforms("?v", value_shape, values)
        limits = ([f"COUNT(DISTINCT ?v) < {low}"] if low is not None else []) + (
            [f"COUNT(DISTINCT ?v) > {high}"] if high is not None else []
        )
        sparql = (
            f"SELECT ?this (COUNT(DISTINCT ?v) AS ?n) WHERE {{ {f} OPTIONAL {{ "
            f"{shape.step('?this', '?v')} FILTER ({conforms}) }} }} GROUP BY ?this "
            f"HAVING ({' || '.join(limits)})"
        )
        return _Check(sparql, shape, c.component, message, counts=(low, high))

    def sparql(self, shape: Shape, c: Constraint, focus: Focus, message: str) -> _Check:
        prepared: SparqlConstraint = c.args[0]
        for kind, key in sorted(prepared.guards):
            if key == FOCUS:
                self.guard(kind, Universe(focus.pattern("?u"), focus.literals))
            else:
                self.guard(kind, Universe(f"?_s <{key}> ?u .", True))
        sparql, joined = prepared.text, f" {focus.pattern('?this')} "
        for at in sorted(prepared.inserts, reverse=True):
            sparql = sparql[:at] + joined + sparql[at:]
        return _Check(sparql, shape, c.component, message, constraint=prepared)

    # ------------------------------------------------------------ nested: one boolean
    def conforms(self, x: str, shape: Shape, universe: Universe) -> str:
        """A SPARQL expression that is true when ``x`` conforms to ``shape`` (pySHACL's
        Shape.validate with ``x`` as the focus node returns no result)."""
        if shape.deactivated:
            return "true"
        values = self.values_universe(shape)
        self.inverse_guard(shape, universe)
        step = shape.step if shape.path is not None else None
        parts = []
        for c in shape.constraints:
            kind = c.kind
            if kind in _VALUE_KINDS:
                if step is None:
                    parts.append(f"!({self.bad(c, x, universe, shape)})")
                else:
                    v = self.fresh()
                    bad = self.bad(c, v, values, shape)
                    parts.append(f"NOT EXISTS {{ {step(x, v)} FILTER ({bad}) }}")
            elif kind == "minCount" and c.args[0] > 0:
                if c.args[0] > 1:
                    raise Unsupported(
                        f"sh:minCount {c.args[0]} in {node_name(shape.node)}, used nested"
                    )
                parts.append(f"EXISTS {{ {step(x, self.fresh())} }}")
            elif kind == "maxCount":
                parts.append(self.at_most(c.args[0], x, shape, values, lambda v: "true"))
            elif kind == "hasValue":
                parts.append(self.has_value(c, x, shape, universe, values))
            elif kind == "uniqueLang":
                a, b = self.fresh(), self.fresh()
                parts.append(
                    f"NOT EXISTS {{ {step(x, a)} {step(x, b)} FILTER ({_same_language(a, b)}) }}"
                )
            elif kind == "qualified":
                value_shape, low, high = c.args
                if (low or 0) > 1:
                    raise Unsupported(
                        f"a qualifiedMinCount above 1 in {node_name(shape.node)}, nested"
                    )
                if low == 1:
                    v = self.fresh()
                    has = self.conforms(v, value_shape, values)
                    parts.append(f"EXISTS {{ {step(x, v)} FILTER ({has}) }}")
                if high is not None:
                    parts.append(
                        self.at_most(
                            high,
                            x,
                            shape,
                            values,
                            lambda v, qs=value_shape: self.conforms(v, qs, values),
                        )
                    )
            elif kind == "property":
                target = c.args[0]
                if step is None:
                    parts.append(self.conforms(x, target, universe))
                else:
                    v = self.fresh()
                    inner = self.conforms(v, target, values)
                    parts.append(f"NOT EXISTS {{ {step(x, v)} FILTER (!({inner})) }}")
            elif kind == "sparql":
                raise Unsupported(
                    f"{node_name(shape.node)} has a SPARQL constraint and is used nested"
                )
        return "(" + " && ".join(parts) + ")" if parts else "true"

    def at_most(
        self, n: int, x: str, shape: Shape, values: Universe, counted: Callable[[str], str]
    ) -> str:
        """No more than ``n`` (0 or 1) values of ``x`` for which ``counted(v)`` holds."""
        if n == 0:
            v = self.fresh()
            return f"NOT EXISTS {{ {shape.step(x, v)} FILTER ({counted(v)}) }}"
        if n > 1:
            raise Unsupported(f"a maximum count of {n} in {node_name(shape.node)}, used nested")
        self.guard("canon", values)
        a, b = self.fresh(), self.fresh()
        return (
            f"NOT EXISTS {{ {shape.step(x, a)} {shape.step(x, b)} "
            f"FILTER (!sameTerm({a}, {b}) && {counted(a)} && {counted(b)}) }}"
        )

    # ------------------------------------------------------------ universes
    def values_universe(self, shape: Shape) -> Universe:
        if shape.path is None:
            return Universe("", False)
        return Universe(shape.step("?_s", "?u"), shape.path[0] == "pred")

    def values_focus(self, shape: Shape, focus: Focus) -> Focus:
        """The value nodes of ``shape`` as the focus nodes of its nested property shapes."""
        g = self.fresh()

        def pattern(x: str) -> str:
            return f"{{ SELECT DISTINCT {x} WHERE {{ {focus.pattern(g)} {shape.step(g, x)} }} }}"

        return Focus(pattern, shape.path[0] == "pred")


def compile_shapes(graph: rdflib.Graph) -> Plan:
    """Check that every shape in ``graph`` is in the subset, and plan the validation.

    Raises :class:`Unsupported` naming the first feature outside the subset.
    """
    plan = build_plan(graph)
    _Run(plan, None).checks()  # render every query once, so that a refusal comes now
    return plan


def _same_language(a: str, b: str) -> str:
    return (
        f'isLiteral({a}) && isLiteral({b}) && lang({a}) != "" && '
        f"LCASE(lang({a})) = LCASE(lang({b})) && !sameTerm({a}, {b})"
    )


def _target_focus(shape: Shape) -> Focus:
    """The shape's own targets, as pySHACL collects them (a set, so DISTINCT)."""

    def pattern(x: str) -> str:
        nodes = [iri(v) for kind, v in shape.targets if kind == "node"]
        parts = [f"VALUES {x} {{ {' '.join(nodes)} }}"] if nodes else []
        for kind, value in shape.targets:
            if kind == "class":
                parts.append(f"{x} {_RDF_TYPE}/{_SUBCLASS}* {iri(value)} .")
            elif kind == "subjects":
                parts.append(f"{x} {iri(value)} ?_t .")
            elif kind == "objects":
                parts.append(f"?_t {iri(value)} {x} .")
        union = " UNION ".join("{ " + p + " }" for p in parts)
        return f"{{ SELECT DISTINCT {x} WHERE {{ {union} }} }}"

    return Focus(pattern, any(kind == "objects" for kind, _ in shape.targets))


def run_plan(plan: Plan, store: GraphStore) -> list[Result]:
    """Run the compiled shapes over ``store``; raise :class:`Unsupported` when the data holds
    something the compiled answer could get wrong."""
    run = _Run(plan, store)
    results: list[Result] = []
    for check in run.checks():
        try:
            rows = store.query_terms(check.sparql)
        except QueryFailed as error:
            if check.constraint is None:
                raise  # a query this module wrote: a bug, keep it loud
            raise Unsupported(
                f"the store rejects {node_name(check.constraint.node)}: {error}"
            ) from None
        results.extend(_results(check, rows))
    return results + run.literal_focus()


def _results(check: _Check, rows: list[dict[str, Term | None]]) -> Iterator[Result]:
    shape = check.shape
    common = {
        "severity": str(shape.severity),
        "shape": term_of(shape.node),
        "path": shape.path_text,
    }
    for row in rows:
        focus = seen_by_pyshacl(row["this"])
        if check.constraint is not None:
            yield sparql_result(check.constraint, shape, row, focus, check.message)
        elif check.counts is not None:
            low, high = check.counts
            count = int(row["n"].value)
            for bound, breaks, name in (
                (high, count > (high or 0), "Max"),
                (low, count < (low or 0), "Min"),
            ):
                if bound is not None and breaks:
                    component = f"{SH}Qualified{name}CountConstraintComponent"
                    yield Result(
                        focus=focus,
                        value=None,
                        component=component,
                        constraint=None,
                        message=check.message,
                        **common,
                    )
        else:
            value = None
            if check.value == "value":
                value = seen_by_pyshacl(row["value"])
            elif check.value == "this":
                value = focus
            yield Result(
                focus=focus,
                value=value,
                component=check.component,
                constraint=None,
                message=check.message,
                **common,
            )


def sparql_result(
    prepared: SparqlConstraint, shape: Shape, row: dict, focus: Term, fallback: str
) -> Result:
    """One row of a SHACL-SPARQL constraint's query as the result pySHACL makes of it: ?path
    and ?value when bound, the focus node as the value of a node shape, and the messages with
    pySHACL's {$var} substitutions."""
    path = row.get("path") if "path" in prepared.projected else None
    value = row.get("value") if "value" in prepared.projected else None
    if value is None and shape.path is None:
        value = focus  # pySHACL reports the focus node as the value of a node shape
    substitutions = {
        name: row[name]
        for name in prepared.projected
        if name not in ("this", "path", "value", "failure") and row.get(name) is not None
    }
    substitutions["this"] = row["this"]
    if path is not None:
        substitutions["path"] = path
    if value is not None:
        substitutions["value"] = value
    shape_messages = [str(m) for m in shape.messages]
    messages = [
        substitute(str(m), substitutions) for m in prepared.messages if m not in shape.messages
    ] + [substitute(m, substitutions) for m in shape_messages]
    if path is not None:
        path_text = f"<{path.value}>" if path.is_iri else path.n3()
    else:
        path_text = shape.path_text
    return Result(
        focus=focus,
        path=path_text,
        value=seen_by_pyshacl(value) if value is not None else None,
        severity=str(shape.severity),
        component=f"{SH}SPARQLConstraintComponent",
        shape=term_of(shape.node),
        constraint=term_of(prepared.node),
        message=choose_message(messages, shape_messages) or fallback,
    )
