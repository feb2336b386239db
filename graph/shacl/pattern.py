"""sh:pattern for the compiled SHACL engine: the regexes it hands to the store.

pySHACL matches sh:pattern with Python's ``re``; the store uses its own regex engine. The two
agree on a small syntax (classes, groups, alternatives, quantifiers, a few escapes) over "plain"
strings (printable ASCII, tab and carriage return). Any other construct is refused; other strings
are decided by pySHACL's own code (see :mod:`harmgraph.shacl.values`).

Examples
--------
>>> import rdflib
>>> graph = rdflib.Graph().parse(data='''@prefix sh: <http://www.w3.org/ns/shacl#> .
...     <https://e/s> sh:pattern "^[A-Z]{2}$" ; sh:flags "iq" .''', format="turtle")
>>> patterns(graph, rdflib.URIRef("https://e/s"))
(('^[A-Z]{2}$',), 'i')
"""

from __future__ import annotations

import re
from collections.abc import Callable

import rdflib
from rdflib import Literal
from rdflib.namespace import SH

from harmgraph.rdf.store import GraphStore
from harmgraph.shacl.terms import XSD, Unsupported, node_name, sparql_string

#: Escapes with the same meaning in Python's ``re`` and the store's regex engine, on the
#: "plain" strings (printable ASCII, tab and carriage return) the store is asked about.
_SAFE_ESCAPES = set("dDwWsStnr") | set(".^$*+?()[]{}|\\/-")


def patterns(graph: rdflib.Graph, node: rdflib.term.Node) -> tuple[tuple[str, ...], str]:
    patterns = []
    for value in graph.objects(node, SH.pattern):
        if not isinstance(value, Literal) or value.datatype not in (None, XSD.string):
            raise Unsupported(f"{node_name(node)} has a sh:pattern that is not a plain string")
        if value.language:
            raise Unsupported(f"{node_name(node)} has a language-tagged sh:pattern")
        patterns.append(str(value))
    flag_values = list(graph.objects(node, SH.flags))
    if len(flag_values) > 1 or not all(
        isinstance(f, Literal) and isinstance(f.value, str) for f in flag_values
    ):
        raise Unsupported(f"{node_name(node)} has more than one sh:flags, or a non-string one")
    # pySHACL honours only i and m, in any case, and ignores every other flag letter.
    given = str(flag_values[0].value).lower() if flag_values else ""
    flags = ("i" if "i" in given else "") + ("m" if "m" in given else "")
    for pattern in patterns:
        _check_regex(pattern, node)
        try:
            re.compile(pattern)
        except re.error as error:
            raise Unsupported(
                f"{node_name(node)} has a sh:pattern Python rejects: {error}"
            ) from None
        _check_in_store(pattern, flags, node)
    return tuple(sorted(patterns)), flags


def _check_regex(pattern: str, node: rdflib.term.Node) -> None:
    """Refuse any regex construct whose meaning could differ between Python's ``re`` and the
    store's engine: lookaround, backreferences, \\p{...}, possessive or atomic groups, inline
    flags, nested or set-operation classes, and every escape but a few."""

    def refuse(what: str) -> Unsupported:
        return Unsupported(f"the sh:pattern {pattern!r} of {node_name(node)} uses {what}")

    i, quantifiable, depth = 0, False, 0
    while i < len(pattern):
        c = pattern[i]
        if not (c.isascii() and c.isprintable()):
            raise refuse("a character outside printable ASCII")
        if c == "\\":
            if i + 1 >= len(pattern) or pattern[i + 1] not in _SAFE_ESCAPES:
                raise refuse(f"the escape {pattern[i : i + 2]!r}")
            i, quantifiable = i + 2, True
            continue
        if c == "[":
            i = _check_class(pattern, i + 1, refuse)
            quantifiable = True
            continue
        if c == "(":
            if pattern.startswith("(?", i) and not pattern.startswith("(?:", i):
                raise refuse("a group with (? other than (?:")
            i += 3 if pattern.startswith("(?:", i) else 1
            depth, quantifiable = depth + 1, False
            continue
        if c == ")":
            depth -= 1
            if depth < 0:
                raise refuse("an unbalanced parenthesis")
            i, quantifiable = i + 1, True
            continue
        if c in "*+?{":
            if not quantifiable:
                raise refuse("a quantifier with nothing to repeat")
            if c == "{":
                match = re.match(r"\{(\d+)(,(\d*))?\}", pattern[i:])
                if not match or (match.group(3) and int(match.group(3)) < int(match.group(1))):
                    raise refuse("a brace that is not a {n}, {n,} or {n,m} quantifier")
                i += match.end()
            else:
                i += 1
            if i < len(pattern) and pattern[i] == "?":
                i += 1
            if i < len(pattern) and pattern[i] in "*+?{":
                raise refuse("a possessive or repeated quantifier")
            quantifiable = False
            continue
        if c in "]}":
            raise refuse(f"an unescaped {c!r}")
        quantifiable = c not in "^$|"
        i += 1
    if depth:
        raise refuse("an unbalanced parenthesis")


def _check_class(pattern: str, i: int, refuse: Callable[[str], Unsupported]) -> int:
    """Check a character class from just after its ``[``; return the index after its ``]``."""
    start = i
    if i < len(pattern) and pattern[i] == "^":
        i += 1
        start = i
    while i < len(pattern) and pattern[i] != "]":
        c = pattern[i]
        if c == "[" or pattern.startswith(("&&", "--", "~~"), i):
            raise refuse("a nested class or a class set operation")
        if c == "\\":
            if i + 1 >= len(pattern) or pattern[i + 1] not in _SAFE_ESCAPES:
                raise refuse(f"the escape {pattern[i : i + 2]!r} in a class")
            i += 2
            continue
        if c == "-" and start < i and i + 1 < len(pattern) and pattern[i + 1] != "]":
            low, high = pattern[i - 1], pattern[i + 1]
            if not (low.isalnum() and high.isalnum() and low <= high):
                raise refuse("a class range other than between two letters or digits")
        i += 1
    if i >= len(pattern) or i == start:
        raise refuse("an empty or unterminated class")
    return i + 1


_SCRATCH: GraphStore | None = None


def _check_in_store(pattern: str, flags: str, node: rdflib.term.Node) -> None:
    """Refuse a pattern the store's regex engine rejects (REGEX would then be an error, which
    a FILTER reads as false)."""
    global _SCRATCH
    if _SCRATCH is None:
        _SCRATCH = GraphStore()
    rows = _SCRATCH.query_terms(
        f"SELECT ?ok WHERE {{ BIND (REGEX({sparql_string('')}, {sparql_string(pattern)}, "
        f"{sparql_string(flags)}) AS ?ok) }}"
    )
    if not rows or rows[0]["ok"] is None:
        raise Unsupported(f"the store's regex engine rejects the sh:pattern of {node_name(node)}")
