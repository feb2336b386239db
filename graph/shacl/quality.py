"""Run the quality checks beyond SHACL (``shacl/checks/*-violation.rq``) as validation results.

A check is a SPARQL SELECT that returns ``?entity ?property ?value`` for every failure; its
header names the rule, the severity and the message, so that its findings read exactly like
those of the shapes. The checks count across nodes (one screening record per retrieved item, a
second screening's sample size), which the compiled SHACL engine refuses to answer; run as plain
queries in the store they stay fast at a million triples.

Examples
--------
>>> [c.rule for c in read_checks()][:1]
['hgsh:Search-records-match-returned']
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

from harmgraph.rdf.load import LoadedGraph
from harmgraph.rdf.namespaces import SHAPES_IRI
from harmgraph.rdf.terms import Term
from harmgraph.shacl.terms import Result

_SH = "http://www.w3.org/ns/shacl#"
_SEVERITY = {"violation": _SH + "Violation", "warning": _SH + "Warning", "info": _SH + "Info"}


@dataclass(frozen=True)
class Check:
    """One quality check: its rule name, severity IRI, message and query."""

    rule: str
    severity: str
    message: str
    sparql: str


@cache
def read_checks() -> tuple[Check, ...]:
    """Every check shipped in ``harmgraph.shacl.checks``, by file name."""
    checks = []
    folder = resources.files("harmgraph.shacl.checks")
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith("-violation.rq"):
            continue
        text = entry.read_text(encoding="utf-8")
        head = {}
        for line in text.splitlines():
            if line.startswith("# ") and ":" in line:
                key, _, value = line[2:].partition(":")
                head[key.strip()] = value.strip()
        checks.append(
            Check(
                rule=head["rule"],
                severity=_SEVERITY[head.get("severity", "violation")],
                message=head["message"],
                sparql=text,
            )
        )
    return tuple(checks)


def run_checks(graph: LoadedGraph) -> list[Result]:
    """The failures of every check in ``graph``, as validation results."""
    results = []
    for check in read_checks():
        shape = Term("iri", SHAPES_IRI + check.rule.removeprefix("hgsh:"))
        for row in graph.store.query_terms(check.sparql):
            prop = row["property"]
            results.append(
                Result(
                    focus=row["entity"],
                    path=f"<{prop.value}>" if prop is not None and prop.is_iri else "",
                    value=row["value"],
                    severity=check.severity,
                    component=SHAPES_IRI + "QualityCheck",
                    shape=shape,
                    constraint=None,
                    message=check.message,
                )
            )
    return results
