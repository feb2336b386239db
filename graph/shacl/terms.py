"""Terms, results and small helpers shared by the compiled SHACL engine's modules.

A store term becomes the rdflib node pySHACL would see with :func:`rdflib_node` (as rdflib's
N-Triples parser reads the store's dump), and an rdflib node becomes a harmgraph
:class:`~harmgraph.rdf.terms.Term` with :func:`term_of`.

Examples
--------
>>> term_of(rdflib_node(Term("literal", "01", XSD_STRING)))
Term(kind='literal', value='01', datatype='http://www.w3.org/2001/XMLSchema#string', language='')
>>> seen_by_pyshacl(Term("literal", "1", "http://www.w3.org/2001/XMLSchema#double")).value
'1.0'
"""

from __future__ import annotations

import logging
import re
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import rdflib
from rdflib import BNode, Literal, Namespace, URIRef
from rdflib.namespace import RDF, SH

from harmgraph.rdf.terms import XSD_STRING, Term, literal

#: XSD as a plain namespace: rdflib's closed one warns when pytest's doctest finder probes it.
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")


class Unsupported(Exception):
    """The shapes (or, for a data-dependent check, the data) use something this engine does not
    answer exactly as pySHACL does."""


@dataclass(frozen=True)
class Result:
    """One validation result, as both engines report it.

    ``path`` is the result path in SPARQL syntax with full IRIs (``<p>``, ``^<p>``), or "".
    ``severity`` and ``component`` are IRIs; ``constraint`` is the sh:sparql node of a
    SHACL-SPARQL result.
    """

    focus: Term
    path: str
    value: Term | None
    severity: str
    component: str
    shape: Term
    constraint: Term | None
    message: str


def term_of(node: rdflib.term.Node) -> Term:
    """An rdflib node as a harmgraph :class:`Term` (literals keep rdflib's lexical form).

    >>> term_of(Literal("1", datatype=XSD.double)).value
    '1.0'
    """
    if isinstance(node, URIRef):
        return Term("iri", str(node))
    if isinstance(node, BNode):
        return Term("bnode", str(node))
    if isinstance(node, Literal):
        datatype = str(node.datatype) if node.datatype is not None else ""
        return literal(str(node), datatype=datatype, language=node.language or "")
    raise TypeError(f"not an RDF term: {node!r}")


def rdflib_node(term: Term) -> rdflib.term.Node:
    """The rdflib node pySHACL sees for a store term: what rdflib's N-Triples parser makes of
    the store's dump (plain strings without a datatype, language-tagged strings without one)."""
    if term.kind == "iri":
        return URIRef(term.value)
    if term.kind == "bnode":
        return BNode(term.value)
    with quiet_rdflib():
        if term.language:
            return Literal(term.value, lang=term.language)
        if term.datatype in ("", XSD_STRING):
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(term.datatype))


def seen_by_pyshacl(term: Term) -> Term:
    """The term as pySHACL reports it: rdflib rewrites valid literals in its own lexical form."""
    return term_of(rdflib_node(term)) if term.kind == "literal" else term


@contextmanager
def quiet_rdflib() -> Iterator[None]:
    """Silence rdflib's warnings (a logged traceback, or a UserWarning) for each ill-typed
    literal it parses: they are data to report, not errors of this program."""
    logger = logging.getLogger("rdflib.term")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", category=UserWarning, module="rdflib")
            yield
    finally:
        logger.setLevel(level)


def iri(node: rdflib.term.Node | str) -> str:
    return f"<{node}>"


def sparql_string(text: str) -> str:
    """A SPARQL string literal for ``text``."""
    escapes = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}
    return '"' + "".join(escapes.get(c, c) for c in text) + '"'


def sh_name(node: rdflib.term.Node) -> str:
    """A term for a message: ``sh:closed`` rather than the full IRI."""
    text = str(node)
    return "sh:" + text[len(str(SH)) :] if text.startswith(str(SH)) else node.n3()


def node_name(node: rdflib.term.Node) -> str:
    return node.n3() if isinstance(node, URIRef | Literal) else "a blank-node shape"


def any_of(terms: list[str], per_term: Callable[[str], str]) -> str:
    """A balanced disjunction, so that a long list never nests deeply in the query parser."""
    if not terms:
        return "false"
    if len(terms) == 1:
        return per_term(terms[0])
    half = len(terms) // 2
    return f"({any_of(terms[:half], per_term)} || {any_of(terms[half:], per_term)})"


def member(var: str, terms: set[Term]) -> str:
    """True when ``var`` is one of ``terms`` (term equality: sameTerm, never value equality)."""
    return any_of(sorted(t.n3() for t in terms), lambda t: f"sameTerm({var}, {t})")


def rdf_list(graph: rdflib.Graph, head: rdflib.term.Node, what: str) -> list[rdflib.term.Node]:
    """The members of a well-formed RDF list (one rdf:first and one rdf:rest per cell)."""
    items, seen = [], set()
    while head != RDF.nil:
        firsts, rests = list(graph.objects(head, RDF.first)), list(graph.objects(head, RDF.rest))
        if len(firsts) != 1 or len(rests) != 1 or head in seen:
            raise Unsupported(f"{what} is not a well-formed RDF list")
        seen.add(head)
        items.append(firsts[0])
        head = rests[0]
    return items


def one_value(graph: rdflib.Graph, node: rdflib.term.Node, predicate: URIRef) -> rdflib.term.Node:
    """The single value of a parameter that pySHACL reads as one (more would be its error)."""
    values = list(graph.objects(node, predicate))
    if len(values) != 1:
        raise Unsupported(f"{node_name(node)} has {len(values)} values for {sh_name(predicate)}")
    return values[0]


def count_value(value: rdflib.term.Node, node: rdflib.term.Node, predicate: URIRef) -> int:
    """A count parameter: a non-negative xsd:integer, as pySHACL requires."""
    if (
        not isinstance(value, Literal)
        or value.datatype != XSD.integer
        or not isinstance(value.value, int)
        or value.value < 0
    ):
        raise Unsupported(f"{node_name(node)} has {sh_name(predicate)} {value.n3()}")
    return int(value.value)


def boolean_value(value: rdflib.term.Node, node: rdflib.term.Node, predicate: URIRef) -> bool:
    """A boolean parameter: an xsd:boolean literal (rdflib reads "1" as true, as pySHACL does)."""
    if not isinstance(value, Literal) or value.datatype != XSD.boolean or value.ill_typed:
        raise Unsupported(f"{node_name(node)} has {sh_name(predicate)} {value.n3()}")
    return bool(value.value)


def substitute(message: str, values: dict[str, Term]) -> str:
    """pySHACL's {$var} substitution, with its own re.sub call so that it behaves the same."""
    for name, term in values.items():
        try:
            message = re.sub("{[?$]" + name + "}", _text(term), message)
        except re.error as error:
            raise Unsupported(f"a message substitution fails: {error}") from None
    return message


def _text(term: Term) -> str:
    return str(rdflib_node(term))


def choose_message(messages: list[str], shape_messages: list[str]) -> str | None:
    """The one message a finding shows: a SPARQL constraint's own message before the shape's,
    then the first in order, so that both engines pick the same one."""
    own = sorted(set(messages) - set(shape_messages))
    return own[0] if own else min(messages, default=None)


STRING_IRI = iri(XSD.string)
