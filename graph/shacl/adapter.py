"""Every pySHACL internal harmgraph touches, in one place.

The compiled engine answers exactly as pySHACL 0.40 does, and for the literals whose answer
depends on how rdflib reads them it asks pySHACL's own constraint components, one value at a
time; :func:`harmgraph.shacl.validate.validate_graph` runs pySHACL itself when the compiled
engine refuses. Those calls reach below pySHACL's public ``validate()``: its ``Shape`` and
``ShapesGraph`` classes, the constraint component classes, ``SHACLExecutor`` and the signature
of ``evaluate``. They are all here, so that a pySHACL release that changes them breaks this
one module, and ``pyproject.toml`` allows pySHACL 0.40.x only, the range the suite tests.

Nothing here patches rdflib: the parse cache that keeps pySHACL fast is a data graph of its
own per validation (:class:`_PreparedQueries`), so validations in several threads at once, and
the app's other queries, share nothing. One pySHACL setting is changed for the process, through
the hook pySHACL keeps for it (``pyshacl.helper.SPARQLQueryHelperCls``): its SPARQL helper
checks each constraint's query text for forbidden parts (MINUS, VALUES, SERVICE, ...) with
regular expressions, once per focus node, which was most of pySHACL's time on the bundled graph
(:func:`_checked_once`). The helper put in its place is pySHACL's own with that check kept per
text: the same check, the same answer and the same error, and nothing else changed, so it is
safe for every thread and every other user of pySHACL in the process.

pySHACL (about 140 ms of imports beyond rdflib) is imported inside each function: it is needed
only when the data holds a literal pySHACL must decide, or when pySHACL answers instead of the
compiled engine, never to start the CLI.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import rdflib
from rdflib.namespace import SH

from harmgraph.errors import InputError
from harmgraph.shacl.shapes import RANGES, Constraint
from harmgraph.shacl.terms import quiet_rdflib

__all__ = [
    "bind_component",
    "checked_once_helper",
    "component_for",
    "evaluate",
    "run_pyshacl",
    "shapes_graph",
]


def component_for(c: Constraint) -> type:
    """pySHACL's class for a constraint that can be checked on one value without the graph."""
    # pySHACL on first use only (slow import; see the module docstring).
    from pyshacl.constraints.core import other_constraints as others
    from pyshacl.constraints.core import string_based_constraints as strings
    from pyshacl.constraints.core import value_constraints as values
    from pyshacl.constraints.core import value_range_constraints as ranges

    if c.kind == "length":
        return (
            strings.MinLengthConstraintComponent
            if c.args[0] == SH.minLength
            else (strings.MaxLengthConstraintComponent)
        )
    if c.kind == "range":
        return getattr(ranges, f"{RANGES[c.args[0]][0]}ConstraintComponent")
    return {
        "class": values.ClassConstraintComponent,
        "datatype": values.DatatypeConstraintComponent,
        "nodeKind": values.NodeKindConstraintComponent,
        "pattern": strings.PatternConstraintComponent,
        "in": others.InConstraintComponent,
        "languageIn": strings.LanguageInConstraintComponent,
        "hasValue": others.HasValueConstraintComponent,
    }[c.kind]


def shapes_graph(graph: rdflib.Graph) -> object:
    """pySHACL's ``ShapesGraph`` over a copy of ``graph`` (it adds triples to the graph it is
    given)."""
    # pySHACL on first use only (slow import; see the module docstring).
    from pyshacl.shapes_graph import ShapesGraph

    copy = rdflib.Graph()
    for triple in graph:
        copy.add(triple)
    return ShapesGraph(copy)


def bind_component(
    component: type, shapes: object, node: rdflib.term.Node, path: rdflib.term.Node | None
) -> object:
    """An instance of ``component`` for the shape ``node`` of ``shapes`` (a property shape
    when ``path`` is given)."""
    # pySHACL on first use only (slow import; see the module docstring).
    from pyshacl.shape import Shape

    return component(Shape(shapes, node, p=path is not None, path=path))


def evaluate(instance: object, focus: dict) -> list:
    """Run a bound component on ``focus`` (each focus node with its value nodes) against an
    empty data graph; return pySHACL's reports, each ``(_, _, triples)``."""
    # pySHACL on first use only (slow import; see the module docstring).
    from pyshacl.pytypes import SHACLExecutor

    _, reports = instance.evaluate(SHACLExecutor(), rdflib.Graph(), focus, [])
    return reports


def run_pyshacl(data: rdflib.Graph, shapes: rdflib.Graph, path: Path) -> rdflib.Graph:
    """pySHACL's report graph for ``data`` against ``shapes``; a failure to apply them is an
    :class:`InputError` naming ``path``, the shapes file."""
    # pySHACL only when it answers (slow import; see the module docstring).
    from pyshacl import validate
    from pyshacl.errors import ReportableRuntimeError

    # No allow_warnings: it would make a nested shape with sh:Warning always conform, which is
    # not SHACL; harmgraph's own conforms already ignores warnings.
    _checked_once()
    try:
        with quiet_rdflib():
            _, report, _ = validate(_PreparedQueries(data), shacl_graph=shapes, inference="none")
    except ReportableRuntimeError as error:
        raise InputError(
            f"pySHACL cannot apply these shapes: {_one_line(error)}", path=path
        ) from None
    except Exception as error:  # pySHACL's own failures on odd data (NaN against a decimal...)
        raise InputError(
            f"pySHACL fails on this data with these shapes: {error!r}", path=path
        ) from None
    if not isinstance(report, rdflib.Graph):  # a ValidationFailure comes back as the report
        raise InputError(f"pySHACL cannot apply these shapes: {_one_line(report)}", path=path)
    return report


class _Kept:
    """Answers kept for the process, behind a lock, so that threads may share them: the few
    query texts of the shapes in use. At most 2,048; a full store is emptied (a bound for odd
    shapes files, not an LRU)."""

    def __init__(self) -> None:
        self._answers: dict[tuple, object] = {}
        self._lock = threading.Lock()

    def get(self, key: tuple, make: Callable[[], object]) -> object:
        """The answer kept for ``key``, else ``make()``'s, kept. ``make`` runs outside the lock:
        two threads may both make a new answer, and one is kept."""
        with self._lock:
            answer = self._answers.get(key, _MISSING)
        if answer is _MISSING:
            answer = make()
            with self._lock:
                if len(self._answers) >= 2048:
                    self._answers.clear()
                self._answers[key] = answer
        return answer


_MISSING = object()
#: Parsed SHACL-SPARQL query texts, by (text, base, prefixes).
_PREPARED = _Kept()
#: Each query text's check, by (text, whether $value may be bound, the extra variables): the
#: text's forbidden part as the error's arguments, or True.
_CHECKED = _Kept()
_HOOK_LOCK = threading.Lock()


def _checked_once() -> None:
    """Put :func:`checked_once_helper`'s class in pySHACL's hook for its SPARQL helper, unless
    something other than pySHACL's own helper is there already."""
    # pySHACL only when it answers (slow import; see the module docstring).
    import pyshacl.helper as hook
    from pyshacl.helper.sparql_query_helper import SPARQLQueryHelper

    with _HOOK_LOCK:
        if hook.SPARQLQueryHelperCls in (None, SPARQLQueryHelper):
            hook.SPARQLQueryHelperCls = checked_once_helper()


@cache
def checked_once_helper() -> type:
    """pySHACL's ``SPARQLQueryHelper`` with ``check_invalid_sparql`` kept per query text.

    The check reads only the text, whether ``$value`` may be bound and the extra variable
    names, so the answer kept for them is the answer pySHACL gives: True, or the same
    ``ValidationFailure`` (raised anew each time, with the same arguments).
    """
    # pySHACL only when it answers (slow import; see the module docstring).
    from pyshacl.errors import ValidationFailure
    from pyshacl.helper.sparql_query_helper import SPARQLQueryHelper

    class CheckedOnce(SPARQLQueryHelper):
        def check_invalid_sparql(
            self, sparql_text: str, valuenode: object = None, extravars: object = None
        ) -> bool:
            def check() -> object:
                try:
                    return super(CheckedOnce, self).check_invalid_sparql(
                        sparql_text, valuenode, extravars
                    )
                except ValidationFailure as failure:
                    return failure.args

            key = (sparql_text, valuenode is not None, frozenset(extravars or ()))
            answer = _CHECKED.get(key, check)
            if answer is not True:
                raise ValidationFailure(*answer)
            return True

    return CheckedOnce


def _one_line(error: object) -> str:
    text = " ".join(str(error).split())
    return text[:300] or type(error).__name__


class _PreparedQueries(rdflib.Graph):
    """The data graph pySHACL validates, over the same store as ``graph`` (nothing is copied).

    pySHACL hands rdflib the same SHACL-SPARQL query text once per focus node, and rdflib
    parses it every time (most of pySHACL's time on harmgraph's shapes). This graph uses each
    text parsed and translated, as rdflib's own ``prepareQuery`` does, so the answers are the
    same. Nothing of rdflib is patched, so no other graph's queries are touched. The parsed
    queries are kept for the process (:data:`_PREPARED`), because the same
    shapes are validated again and again (the app, the tests): a prepared query is only read
    when it is evaluated (rdflib's ``evalQuery`` builds a fresh context each time), so threads
    may share one.
    """

    def __init__(self, graph: rdflib.Graph) -> None:
        super().__init__(
            store=graph.store,
            identifier=graph.identifier,
            namespace_manager=graph.namespace_manager,
        )

    # rdflib's own parameter names and order: pySHACL passes some of them by position.
    def query(
        self,
        query_object: Any,
        processor: Any = "sparql",
        result: Any = "sparql",
        initNs: Any = None,
        initBindings: Any = None,
        use_store_provided: bool = True,
        **kwargs: Any,
    ) -> Any:
        """rdflib's ``Graph.query``, with each query text parsed once."""
        # rdflib's SPARQL parser, loaded with pySHACL anyway.
        from rdflib.plugins.sparql import prepareQuery

        if isinstance(query_object, str) and processor == "sparql":
            # Graph.query reads a text with the graph's own prefixes when given none.
            namespaces = dict(initNs) if initNs is not None else dict(self.namespaces())
            base = kwargs.get("base")
            key = (query_object, base, tuple(sorted(namespaces.items())))
            prepared = _PREPARED.get(
                key, lambda: prepareQuery(query_object, initNs=namespaces, base=base)
            )
            query_object, initNs = prepared, namespaces
        return super().query(
            query_object, processor, result, initNs, initBindings, use_store_provided, **kwargs
        )
