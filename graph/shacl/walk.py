"""Decide whether a SHACL-SPARQL query gives the same rows in the store as in pySHACL.

pySHACL runs the query in rdflib with $this pre-bound; rdflib evaluates joins, OPTIONAL and
EXISTS sideways (a right side sees the left side's bindings). The store evaluates bottom-up, as
SPARQL says, with the focus nodes joined in (:mod:`harmgraph.shacl.select`). :class:`Walk` goes
through the query's algebra and refuses every place where the two could differ, and lists the
data checks (guards) the answer still depends on: literals compared with = or !=, literals joined
or tested with sameTerm, and literals at the end of a property path.

Examples
--------
>>> from rdflib.plugins.sparql.algebra import translateQuery
>>> from rdflib.plugins.sparql.parser import parseQuery
>>> query = translateQuery(parseQuery("SELECT ?this WHERE { ?this <https://e/p> ?x }"))
>>> walker = Walk()
>>> sorted(walker.pattern(query.algebra.p.p, THIS)[0])
['this', 'x']
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rdflib import BNode, Literal, URIRef
from rdflib.paths import AlternativePath, InvPath, MulPath, Path, SequencePath
from rdflib.term import Variable

from harmgraph.shacl.terms import Unsupported

if TYPE_CHECKING:  # the SPARQL parser is imported only when a query is analysed
    from rdflib.plugins.sparql.parserutils import CompValue

#: The placeholder triple that stands for the focus nodes while a query is analysed.
FOCUS_IRI = URIRef("urn:x-harmgraph:focus-nodes")
#: A guard on the focus nodes rather than on the objects of a predicate.
FOCUS = ""
THIS = frozenset({"this"})


class Walk:
    """Walks the algebra of one query, with ``outer`` the variables rdflib may already have
    bound (it evaluates joins, OPTIONAL and EXISTS sideways, with $this bound from the start),
    refusing every place where that could give other rows than the store's bottom-up evaluation
    with the focus nodes joined in at the left of the WHERE group."""

    def __init__(self) -> None:
        self.sites: dict[str, list] = {"this": ["focus"]}
        self.compared: set[str] = set()
        self.same: set[str] = set()
        self.path_ends: set[str] = set()

    def refuse(self, what: str) -> Unsupported:
        return Unsupported(what)

    def pattern(self, node: CompValue, outer: frozenset) -> tuple[frozenset, frozenset]:
        """Return the variables certainly and possibly bound by ``node``."""
        # rdflib's SPARQL parser (about 75 ms of imports) only when a SPARQL constraint is read.
        from rdflib.plugins.sparql import algebra

        name = node.name
        if name == "GroupGraphPatternSub":
            return self.pattern(algebra.translateGroupGraphPattern(node), outer)
        if name == "BGP":
            return self.bgp(node.triples)
        if name == "Filter":
            cert, poss = self.pattern(node.p, outer)
            self.scope(self.boolean(node.expr, outer | poss), outer, cert)
            return cert, poss
        if name == "Join":
            cert1, poss1 = self.pattern(node.p1, outer)
            cert2, poss2 = self.pattern(node.p2, outer | poss1)
            return cert1 | cert2, poss1 | poss2
        if name == "LeftJoin":
            cert1, poss1 = self.pattern(node.p1, outer)
            cert2, poss2 = self.pattern(node.p2, outer | poss1)
            if (poss2 & outer) - cert1:
                raise self.refuse("has an OPTIONAL sharing a variable its left side may not bind")
            if getattr(node.expr, "name", "") != "TrueFilter":
                refs = self.boolean(node.expr, outer | poss1 | poss2)
                self.scope(refs, outer, cert1 | cert2)
            return cert1, poss1 | poss2
        if name == "Union":
            cert1, poss1 = self.pattern(node.p1, outer)
            cert2, poss2 = self.pattern(node.p2, outer)
            return cert1 & cert2, poss1 | poss2
        if name == "Extend":
            cert, poss = self.pattern(node.p, outer)
            var = str(node.var)
            if var in outer | poss or not isinstance(unwrap(node.expr), URIRef):
                raise self.refuse(f"binds ?{var} to something other than a fresh IRI")
            self.sites.setdefault(var, []).append("iri")
            return cert | {var}, poss | {var}
        raise self.refuse(f"uses {name}")

    def bgp(self, triples: list) -> tuple[frozenset, frozenset]:
        found = set()
        for s, p, o in triples:
            if p == FOCUS_IRI:  # the focus nodes: $this's only site is "focus", set up front
                found.add("this")
                continue
            for term in (s, o):
                if isinstance(term, Literal | BNode):
                    # rdflib and the store would match a literal constant differently.
                    raise self.refuse(f"has the constant {term.n3()} in a triple pattern")
            if isinstance(p, Variable):
                predicates = None
                self.sites.setdefault(str(p), []).append("p")
            elif isinstance(p, URIRef):
                predicates = frozenset({p})
            elif isinstance(p, Path):
                zero, predicates = self.path(p)
                if zero:
                    raise self.refuse("has a property path that can match zero steps")
                # rdflib walks a path from an end bound to a falsy literal ("", 0, false) as if
                # it were unbound: such ends are checked in the data (guard "truthy").
                self.path_ends.update(str(t) for t in (s, o) if isinstance(t, Variable))
            else:
                raise self.refuse(f"has the predicate {p!r}")
            if isinstance(s, Variable):
                self.sites.setdefault(str(s), []).append("s")
            if isinstance(o, Variable):
                self.sites.setdefault(str(o), []).append(("o", predicates))
            found.update(str(t) for t in (s, p, o) if isinstance(t, Variable))
        return frozenset(found), frozenset(found)

    def path(self, path: object) -> tuple[bool, frozenset | None]:
        """Whether ``path`` can match zero steps, and which predicates give its last step's
        objects (empty when the path ends on a subject, so never on a literal)."""
        if isinstance(path, URIRef):
            return False, frozenset({path})
        if isinstance(path, InvPath):
            return self.path(path.arg)[0], frozenset()
        if isinstance(path, MulPath):
            zero, predicates = self.path(path.path)
            return zero or path.mod in ("*", "?"), predicates
        if isinstance(path, AlternativePath | SequencePath):
            parts = [self.path(a) for a in path.args]
            if isinstance(path, AlternativePath):
                return any(z for z, _ in parts), frozenset().union(*(p for _, p in parts))
            predicates: frozenset = frozenset()
            for zero, last in reversed(parts):
                predicates |= last
                if not zero:
                    break
            return all(z for z, _ in parts), predicates
        raise self.refuse(f"has the property path {path}")

    def scope(self, refs: set[str], outer: frozenset, cert: frozenset) -> None:
        leaking = (refs & outer) - cert
        if leaking:
            raise self.refuse(f"filters on ?{min(leaking)} where rdflib sees it bound from outside")

    def boolean(self, expr: object, visible: frozenset) -> set[str]:
        """Check a FILTER expression; return the variables it refers to."""
        expr = unwrap(expr)
        name = getattr(expr, "name", None)
        if name in ("ConditionalOrExpression", "ConditionalAndExpression"):
            refs = self.boolean(expr.expr, visible)
            for other in expr.other or []:
                refs |= self.boolean(other, visible)
            return refs
        if name == "UnaryNot":
            return self.boolean(expr.expr, visible)
        if name == "RelationalExpression" and expr.op in ("=", "!=", "IN", "NOT IN"):
            left = self.operand(expr.expr)
            rights = expr.other if expr.op in ("IN", "NOT IN") else [expr.other]
            refs = set(left)
            for right in rights:
                refs |= self.operand(right)
                if left and self.operand(right):  # two variables: literal comparison rules
                    self.compared |= left | self.operand(right)
            return refs
        if name == "Builtin_sameTerm":
            refs = self.operand(expr.arg1) | self.operand(expr.arg2)
            self.same |= refs
            return refs
        if name in ("Builtin_BOUND", "Builtin_isIRI", "Builtin_isURI", "Builtin_isBLANK") or (
            name == "Builtin_isLITERAL"
        ):
            return self.operand(expr.arg)
        if name in ("Builtin_EXISTS", "Builtin_NOTEXISTS"):
            return set(self.pattern(expr.graph, visible)[1])
        raise self.refuse(f"uses {name or repr(expr)} in a FILTER")

    def operand(self, expr: object) -> set[str]:
        expr = unwrap(expr)
        if isinstance(expr, Variable):
            return {str(expr)}
        if isinstance(expr, URIRef):
            return set()
        raise self.refuse(f"compares {getattr(expr, 'name', expr)!r}; only variables and IRIs")

    def guards(self) -> set[tuple[str, str]]:
        """The data checks: literals compared by = or != must be of kinds both engines compare
        alike; literals joined or sameTerm-tested must be in rdflib's lexical form; literals at
        the end of a property path must not be falsy in Python."""
        out = set()
        uses = {v: len(s) for v, s in self.sites.items()}
        for var, sites in self.sites.items():
            kinds = []
            if var in self.compared:
                kinds.append("cmp")
            if uses[var] > 1 or var in self.same:
                kinds.append("canon")
            if var in self.path_ends:
                kinds.append("truthy")
            for kind in kinds:
                for site in sites:
                    if site == "focus":
                        out.add((kind, FOCUS))
                    elif isinstance(site, tuple):
                        if site[1] is None:
                            raise self.refuse(f"joins ?{var}, the object of a variable predicate")
                        out.update((kind, str(p)) for p in site[1])
        return out


def unwrap(expr: object) -> object:
    """Drop rdflib's one-child wrappers (an Expression with no operator)."""
    while (
        getattr(expr, "name", "").endswith("Expression")
        and not ("other" in expr and expr["other"])
        and "op" not in expr
    ):
        expr = expr.expr
    return expr
