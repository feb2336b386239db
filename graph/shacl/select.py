"""SHACL-SPARQL constraints for the compiled engine: the exact query pySHACL would run, and
where to join the focus nodes in so that the store gives the rows pySHACL's pre-binding gives.

The query text is built as pySHACL builds it (its prefixes from sh:prefixes and sh:declare, its
$PATH substitution), parsed with rdflib, and checked by :class:`harmgraph.shacl.walk.Walk`. The
focus nodes go in just inside the WHERE group and inside every nested group (not an EXISTS) that
mentions $this without binding it in its own triples: pre-binding puts $this everywhere, a join
only where the focus nodes are.

Examples
--------
>>> text = "SELECT $this WHERE { $this <https://e/p> ?x . { FILTER NOT EXISTS { $this ?q ?y } } }"
>>> projected, guards, inserts = analyse(text)
>>> projected, len(inserts)
(('this',), 2)
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache, partial

import rdflib
from rdflib import Literal
from rdflib.namespace import OWL, RDF, RDFS, SH
from rdflib.term import Variable

from harmgraph.shacl.terms import (
    XSD,
    Unsupported,
    boolean_value,
    node_name,
    one_value,
)
from harmgraph.shacl.walk import FOCUS_IRI, THIS, Walk

#: pySHACL's own regexes for the variables it pre-binds or substitutes (SPARQLQueryHelper).
_BIND_THIS = re.compile(r"([\s{}()])[\$\?]this", flags=re.M)
_BIND_PATH = re.compile(r"([\s{}()])[\$\?]PATH", flags=re.M)


@dataclass(frozen=True)
class SparqlConstraint:
    """A SHACL-SPARQL constraint: the exact query text pySHACL would run, where the focus nodes
    are joined in (just inside the WHERE group, and inside every nested group that mentions
    $this without binding it), what it projects, and which data checks (guards) must pass."""

    node: rdflib.term.Node
    text: str
    inserts: tuple[int, ...]
    projected: tuple[str, ...]
    messages: tuple[Literal, ...]
    guards: frozenset[tuple[str, str]]


def prepare_sparql(
    graph: rdflib.Graph, path: tuple[str, rdflib.URIRef] | None, node: rdflib.term.Node
) -> SparqlConstraint | None:
    """Prepare the sh:sparql constraint ``node`` of a shape with ``path`` (None for a node
    shape); None when the constraint is deactivated."""
    where = f"the SPARQL constraint {node_name(node)}"
    selects = list(graph.objects(node, SH.select))
    if len(selects) != 1 or not (
        isinstance(selects[0], Literal) and isinstance(selects[0].value, str)
    ):
        raise Unsupported(f"{where} needs exactly one string sh:select")
    messages = tuple(graph.objects(node, SH.message))
    if not all(isinstance(m, Literal) and isinstance(m.value, str) for m in messages):
        raise Unsupported(f"{where} has a sh:message that is not a string")
    deactivated = list(graph.objects(node, SH.deactivated))
    if len(deactivated) > 1:
        raise Unsupported(f"{where} has more than one sh:deactivated")
    if deactivated and boolean_value(deactivated[0], node, SH.deactivated):
        return None
    select = str(selects[0].value)
    # A superset of pySHACL's own refusals (MINUS, VALUES, SERVICE, nested SELECT, rebinding a
    # pre-bound variable) and of the variables it cannot bind: refusing more is always safe.
    lowered = select.lower()
    for word in ("inus", "values", "ervice", "shapesgraph", "currentshape"):
        if word in lowered:
            raise Unsupported(f"{where} contains {word!r}")
    if lowered.count("select") != 1:
        raise Unsupported(f"{where} has a nested SELECT")
    if re.search(r"AS\s+[?$](this|shapesGraph|currentShape)\b", select, re.I):
        raise Unsupported(f"{where} rebinds $this")
    if not _BIND_THIS.search(select):
        raise Unsupported(f"{where} does not use $this where pySHACL binds it")
    prefixes = _sparql_prefixes(graph, node, where)
    if path is not None:
        select = _BIND_PATH.sub(r"\g<1>" + _pyshacl_path(path, prefixes, where), select)
    elif _BIND_PATH.search(select):
        raise Unsupported(f"{where} uses $PATH in a node shape")
    text = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in prefixes.items()) + "\n" + select
    try:
        projected, guards, inserts = analyse(text)
    except Unsupported as refusal:
        raise Unsupported(f"{where} {refusal}") from None
    return SparqlConstraint(node, text, inserts, projected, messages, guards)


def _sparql_prefixes(graph: rdflib.Graph, node: rdflib.term.Node, where: str) -> dict[str, str]:
    """The prefixes pySHACL declares for the query (its collect_prefixes, rule for rule)."""
    prefixes = {"rdf": str(RDF), "rdfs": str(RDFS), "owl": str(OWL)}
    values = set(graph.objects(node, SH.prefixes))
    if not values:
        return prefixes
    ontologies = set(graph.subjects(RDF.type, OWL.Ontology))
    named = set(graph.objects(graph.identifier, SH.declare))
    everywhere = named | {d for o in ontologies for d in graph.objects(o, SH.declare)}
    found: dict[str, str] = {}
    for value in values:
        own = set(graph.objects(value, SH.declare))
        declares = own | named if own and value in ontologies else everywhere | own
        for declare in declares:
            if isinstance(declare, Literal):
                raise Unsupported(f"{where}: a sh:declare is a literal")
            prefix = one_value(graph, declare, SH.prefix)
            namespace = one_value(graph, declare, SH.namespace)
            if not (isinstance(prefix, Literal) and isinstance(prefix.value, str)):
                raise Unsupported(f"{where}: a sh:prefix is not a string")
            if not isinstance(namespace, Literal) or namespace.datatype not in (
                None,
                XSD.string,
                XSD.anyURI,
            ):
                raise Unsupported(f"{where}: a sh:namespace is not an xsd:anyURI or a string")
            name, iri = str(prefix.value), str(namespace)
            if found.get(name, iri) != iri:
                # pySHACL keeps whichever declaration its set gives last: no fixed answer.
                raise Unsupported(f"{where}: the prefix {name!r} is declared twice")
            found[name] = iri
    prefixes.update(sorted(found.items()))  # sorted: the same text, so the cache hits
    return prefixes


def _pyshacl_path(path: tuple[str, rdflib.URIRef], prefixes: dict[str, str], where: str) -> str:
    """$PATH as pySHACL writes it: a prefixed name when a namespace matches, else <iri>."""
    kind, predicate = path
    iri = str(predicate)
    matches = [(p, ns) for p, ns in prefixes.items() if iri.startswith(ns)]
    if len(matches) > 1:
        raise Unsupported(f"{where}: several prefixes match the path {iri}")
    text = f"{matches[0][0]}:{iri.replace(matches[0][1], '')}" if matches else f"<{iri}>"
    if "\\" in text:
        raise Unsupported(f"{where}: the path {iri} has a backslash")
    return ("^" if kind == "inv" else "") + text


def _braces(text: str) -> list[int]:
    """The index just after every ``{`` outside comments, IRIs and strings: in a query with
    only variables projected, the first opens the WHERE group and the others its nested groups,
    in the order the parser meets them."""
    found, i = [], 0
    while i < len(text):
        c = text[i]
        if c == "#":
            end = text.find("\n", i)
            i = len(text) if end < 0 else end + 1
        elif c == "<":
            end = text.find(">", i)
            i = len(text) if end < 0 else end + 1
        elif c in "\"'":
            quote = c * 3 if text.startswith(c * 3, i) else c
            i += len(quote)
            while i < len(text) and not text.startswith(quote, i):
                i += 2 if text[i] == "\\" else 1
            i += len(quote)
        else:
            if c == "{":
                found.append(i + 1)
            i += 1
    return found


@lru_cache(maxsize=256)
def analyse(
    text: str,
) -> tuple[tuple[str, ...], frozenset[tuple[str, str]], tuple[int, ...]]:
    """Parse the query with rdflib (as pySHACL will) and decide whether joining the focus nodes
    in gives the rows pySHACL's pre-binding of $this gives. Returns the projected variables, the
    data checks (guards) the answer depends on, and where in ``text`` to join the focus nodes.
    Cached: parsing is slow."""
    # rdflib's SPARQL parser (about 75 ms of imports) only when a SPARQL constraint is read.
    from rdflib.plugins.sparql import algebra
    from rdflib.plugins.sparql.parser import parseQuery
    from rdflib.plugins.sparql.parserutils import CompValue

    try:
        parsed = parseQuery(text)
        prologue = algebra.translatePrologue(parsed[0], None)
        query = algebra.traverse(
            parsed[1], visitPost=partial(algebra.translatePName, prologue=prologue)
        )
        where = algebra.traverse(query.where, visitPost=algebra.translatePath)
    except Exception as error:  # rdflib raises many kinds; any of them means pySHACL fails
        first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise Unsupported(f"cannot be read by rdflib ({first})") from None
    if query.name != "SelectQuery":
        raise Unsupported("is not a SELECT query")
    for key in ("datasetClause", "groupby", "having", "orderby", "limitoffset", "valuesClause"):
        if key in query and query[key]:  # CompValue.get returns the key when it is absent
            raise Unsupported(f"uses {key}")
    if not query.projection or any("expr" in item for item in query.projection):
        raise Unsupported("projects * or an expression")
    projected = tuple(str(item.var) for item in query.projection)
    if "this" not in projected or "failure" in projected:
        raise Unsupported("must project $this and must not project ?failure")
    # Pre-binding puts $this everywhere, a join only where the focus nodes are: so they go into
    # the WHERE group and into every nested group (not an EXISTS, which inherits its row's
    # $this) that mentions $this without binding it in its own triples.
    groups = list(_groups(where, "where"))
    braces = _braces(text)
    if len(groups) != len(braces):
        raise Unsupported("has groups that could not be matched to its text")
    inserts = []
    for index, (group, kind) in enumerate(groups):
        if kind == "where" or (
            kind != "exists" and _mentions_this(group) and not _binds_this(group)
        ):
            inserts.append(braces[index])
            focus = CompValue("TriplesBlock", triples=[[Variable("this"), FOCUS_IRI, FOCUS_IRI]])
            group["part"] = [focus, *(group.part or [])]
    walker = Walk()
    walker.pattern(algebra.translateGroupGraphPattern(where), THIS)
    return projected, frozenset(walker.guards()), tuple(inserts)


def _groups(group, kind: str) -> Iterator[tuple[object, str]]:
    """Every group graph pattern of a parsed query, in the order of their opening braces."""
    yield group, kind
    for part in group.part or []:
        name = part.name
        if name == "TriplesBlock":
            continue
        if name in ("Filter", "Bind"):
            yield from _expression_groups(part.expr)
        elif name == "OptionalGraphPattern":
            yield from _groups(part.graph, "optional")
        elif name == "GroupOrUnionGraphPattern":
            for branch in part.graph:
                yield from _groups(branch, "group")
        else:
            raise Unsupported(f"uses {name}")


def _expression_groups(expr) -> Iterator[tuple[object, str]]:
    # rdflib's SPARQL parser (about 75 ms of imports) only when a SPARQL constraint is read.
    from rdflib.plugins.sparql.parserutils import CompValue

    if isinstance(expr, CompValue):
        if expr.name in ("Builtin_EXISTS", "Builtin_NOTEXISTS"):
            yield from _groups(expr.graph, "exists")
            return
        for value in expr.values():
            yield from _expression_groups(value)
    elif isinstance(expr, list | tuple):
        for value in expr:
            yield from _expression_groups(value)


def _mentions_this(node) -> bool:
    # rdflib's SPARQL parser (about 75 ms of imports) only when a SPARQL constraint is read.
    from rdflib.plugins.sparql.parserutils import CompValue

    if isinstance(node, Variable):
        return str(node) == "this"
    if isinstance(node, CompValue):
        return any(_mentions_this(v) for v in node.values())
    if isinstance(node, list | tuple):
        return any(_mentions_this(v) for v in node)
    return False


def _binds_this(group) -> bool:
    """Whether the group's own triple patterns (not those of nested groups) mention $this."""
    return any(
        part.name == "TriplesBlock" and _mentions_this(part.triples) for part in group.part or []
    )
