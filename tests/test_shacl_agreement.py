"""The compiled engine gives exactly pySHACL's answer, or refuses: compared on full results
(focus node, result path, value, severity, constraint component, source shape, and the message
when the shape has sh:message), on the bundled knowledge base, on every data file of tests/bad/
with the mini graph, on the issue 11 regressions and on a seeded random corpus."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import rdflib
from rdflib.namespace import SH
from shacl_corpus import make_case
from test_bad_input import EXPECTED

from conftest import MINI, ROOT
from harmgraph import load_graph
from harmgraph.errors import InputError
from harmgraph.rdf.load import LoadedGraph, shapes_file
from harmgraph.rdf.store import GraphStore
from harmgraph.shacl.sparql import Unsupported, compile_shapes, quiet_rdflib
from harmgraph.shacl.validate import Report, validate_graph

SEEDS = range(300)


def results(report: Report, shapes: rdflib.Graph) -> set[tuple]:
    """Full results, blank nodes compared as blank. Messages count when the shape (or, for a
    SHACL-SPARQL result, its constraint) has sh:message; blank-node labels substituted into a
    message are each engine's own, so they are masked."""
    out = set()
    for f in report.findings:
        shape = rdflib.URIRef(f.source_shape.value) if f.source_shape.is_iri else None
        has_message = shape is not None and (
            any(True for _ in shapes.objects(shape, SH.message))
            or (
                f.component == "sh:SPARQLConstraintComponent"
                and any(
                    True
                    for c in shapes.objects(shape, SH.sparql)
                    for _ in shapes.objects(c, SH.message)
                )
            )
        )
        message = re.sub(r"\bN?[0-9a-f]{16,}\b", "_:", f.message) if has_message else ""
        out.add(
            (
                "_:" if f.focus_node.is_blank else f.focus_node,
                f.result_path,
                "_:" if f.value_node is not None and f.value_node.is_blank else f.value_node,
                f.severity,
                f.component,
                "_:" if f.source_shape.is_blank else f.source_shape,
                message,
            )
        )
    return out


def both(graph: LoadedGraph, shapes: Path | None = None) -> tuple[Report, Report]:
    return validate_graph(graph, "sparql", shapes=shapes), validate_graph(
        graph, "pyshacl", shapes=shapes
    )


def test_the_bundled_shapes_compile() -> None:
    compile_shapes(rdflib.Graph().parse(shapes_file()))


def test_engines_agree_on_the_bundled_graph() -> None:
    compiled, reference = both(load_graph())
    assert compiled.engine == "sparql" and reference.engine == "pyshacl"
    shapes = rdflib.Graph().parse(shapes_file())
    assert results(compiled, shapes) == results(reference, shapes)


@pytest.mark.parametrize("name", sorted(n for n, (code, _) in EXPECTED.items() if code == 1))
def test_engines_agree_on_bad_data(tmp_path: Path, name: str) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "mini.ttl").write_bytes((MINI / "mini.ttl").read_bytes())
    (folder / name).write_bytes((ROOT / "tests" / "bad" / name).read_bytes())
    compiled, reference = both(load_graph([folder]))
    assert compiled.engine == "sparql", compiled.note
    shapes = rdflib.Graph().parse(shapes_file())
    assert results(compiled, shapes) == results(reference, shapes)


def _agree(tmp_path: Path, shapes_text: str, data_text: str) -> tuple[Report, Report]:
    """Validate ``data_text`` against ``shapes_text`` with both engines; assert they agree."""
    path = tmp_path / "shapes.ttl"
    path.write_text(shapes_text, encoding="utf-8")
    store = GraphStore()
    store.load_bytes(data_text.encode("utf-8"), "turtle")
    graph = LoadedGraph(store=store, ontology=[], data_files=[])
    try:
        reference = validate_graph(graph, "pyshacl", shapes=path)
    except InputError:
        # pySHACL itself rejects these shapes: the compiled engine must refuse, and so fail too.
        with pytest.raises(InputError):
            validate_graph(graph, "sparql", shapes=path)
        return None, None
    compiled = validate_graph(graph, "sparql", shapes=path)
    with quiet_rdflib():
        shapes = rdflib.Graph().parse(data=shapes_text, format="turtle")
    assert results(compiled, shapes) == results(reference, shapes), compiled.note
    return compiled, reference


PREFIXES = """@prefix ex: <http://example.org/> .
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""

# Issue 11 item 7: each case once said "conforms" where SHACL (and pySHACL) say it does not.
# (name, shapes, data, the component that must fire)
ISSUE_11 = [
    (
        "target-node",
        "ex:S sh:targetNode ex:a ; sh:property [ sh:path ex:p ; sh:minCount 1 ] .",
        "ex:a ex:q 1 .",
        "sh:MinCountConstraintComponent",
    ),
    (
        "target-objects-of",
        "ex:S sh:targetObjectsOf ex:p ; sh:nodeKind sh:IRI .",
        'ex:a ex:p "x" .',
        "sh:NodeKindConstraintComponent",
    ),
    (
        "implicit-class-target",
        "ex:C a rdfs:Class, sh:NodeShape ; sh:property [ sh:path ex:p ; sh:minCount 1 ] .",
        "ex:a a ex:C .",
        "sh:MinCountConstraintComponent",
    ),
    (
        "property-shape-with-its-own-target",
        "ex:S a sh:PropertyShape ; sh:targetNode ex:a ; sh:path ex:p ; sh:maxCount 0 .",
        "ex:a ex:p 1 .",
        "sh:MaxCountConstraintComponent",
    ),
    (
        "untyped-shape",
        "ex:S sh:targetClass ex:C ; sh:datatype xsd:string .",
        "ex:a a ex:C .",
        "sh:DatatypeConstraintComponent",
    ),
    (
        "second-pattern",
        'ex:S sh:targetNode ex:a ; sh:property [ sh:path ex:p ; sh:pattern "^a" ; sh:pattern "z$" ] .',
        'ex:a ex:p "abc" .',
        "sh:PatternConstraintComponent",
    ),
    (
        "nested-node",
        "ex:S sh:targetNode ex:a ; sh:property [ sh:path ex:p ; sh:node ex:N ] .\n"
        "ex:N a sh:NodeShape ; sh:property [ sh:path ex:q ; sh:minCount 1 ] .",
        "ex:a ex:p ex:b .",
        "sh:NodeConstraintComponent",
    ),
    (
        "node-level-or",
        "ex:S sh:targetNode ex:a ; sh:or ( [ sh:path ex:p ; sh:minCount 1 ; sh:datatype xsd:integer ]"
        " [ sh:class ex:C ] ) .",
        'ex:a ex:p "not a number" .',
        "sh:OrConstraintComponent",
    ),
    (
        "ill-formed-literal",
        "ex:S sh:targetNode ex:a ; sh:property [ sh:path ex:p ; sh:datatype xsd:byte ] .",
        'ex:a ex:p "c"^^xsd:byte .',
        "sh:DatatypeConstraintComponent",
    ),
    (
        "in-is-term-equality",
        "ex:S sh:targetNode ex:a ; sh:property [ sh:path ex:p ; sh:in ( 1 2 ) ] .",
        "ex:a ex:p 1.0 .",
        "sh:InConstraintComponent",
    ),
    (
        "incomparable-range",
        "ex:S sh:targetNode ex:a ; sh:property [ sh:path ex:p ; sh:minInclusive 1 ] .",
        'ex:a ex:p "soon" .',
        "sh:MinInclusiveConstraintComponent",
    ),
]


@pytest.mark.parametrize(
    ("name", "shapes", "data", "component"), ISSUE_11, ids=[c[0] for c in ISSUE_11]
)
def test_issue_11_cases_no_longer_conform(
    tmp_path: Path, name: str, shapes: str, data: str, component: str
) -> None:
    compiled, _ = _agree(tmp_path, PREFIXES + shapes, PREFIXES + data)
    assert compiled.engine == "sparql", compiled.note
    assert not compiled.conforms
    assert component in {f.component for f in compiled.findings}


def test_refusal_falls_back_with_a_note(tmp_path: Path) -> None:
    shapes = PREFIXES + "ex:S sh:targetNode ex:a ; sh:closed true ."
    compiled, reference = _agree(tmp_path, shapes, PREFIXES + "ex:a ex:p 1 .")
    assert compiled.engine == "pyshacl" and "sh:closed" in compiled.note
    assert reference.note == ""


def test_data_that_rdflib_reads_as_equal_is_refused(tmp_path: Path) -> None:
    """Two xsd:date literals the store keeps apart and rdflib reads as one date: a count over
    them could differ, so the compiled engine refuses (and pySHACL answers)."""
    shapes = PREFIXES + "ex:S sh:targetNode ex:a ; sh:property [ sh:path ex:p ; sh:maxCount 1 ] ."
    data = PREFIXES + 'ex:a ex:p "2024-01-01Z"^^xsd:date, "2024-01-01"^^xsd:date .'
    compiled, _ = _agree(tmp_path, shapes, data)
    assert compiled.engine == "pyshacl" and "rdflib reads" in compiled.note


@pytest.mark.parametrize(
    "select",
    [
        "SELECT $this WHERE { $this ex:p ?x . MINUS { $this ex:q ?x } }",
        "SELECT $this WHERE { $this ex:p ?x . VALUES ?x { 1 } }",
        "SELECT $this WHERE { { SELECT $this WHERE { $this ex:p ?x } } }",
        "SELECT $this WHERE { $this ex:p ?x . { ?y ex:q ?z FILTER (?z = ?x) } }",
        "SELECT $this WHERE { $this ex:p* ?x }",
        "SELECT $this WHERE { $this ex:p 1 }",
        "SELECT * WHERE { $this ex:p ?x }",
        'SELECT $this WHERE { $this ex:p ?x FILTER (STR(?x) = "a") }',
        "SELECT ?x WHERE { ?x ex:p ?y }",
        "SELECT $this WHERE { $this ex:p ?x } LIMIT 1",
        "SELECT $this WHERE { BIND (ex:a AS ?this) }",
    ],
)
def test_sparql_queries_that_could_differ_are_refused(select: str) -> None:
    shapes = (
        PREFIXES
        + f'ex:S sh:targetClass ex:C ; sh:sparql [ sh:select """{select}""" ; sh:prefixes ex:o ] .\n'
    )
    shapes += (
        'ex:o sh:declare [ sh:prefix "ex" ; sh:namespace "http://example.org/"^^xsd:anyURI ] .'
    )
    with pytest.raises(Unsupported):
        compile_shapes(rdflib.Graph().parse(data=shapes, format="turtle"))


def test_the_where_brace_is_found_past_comments(tmp_path: Path) -> None:
    select = (
        "# a comment with a { brace\nPREFIX z: <http://example.org/>\n"
        "SELECT $this # and } another {\nWHERE { $this z:p ?x . FILTER (isLiteral(?x)) }"
    )
    shapes = PREFIXES + f'ex:S sh:targetNode ex:a ; sh:sparql [ sh:select """{select}""" ] .'
    compiled, _ = _agree(tmp_path, shapes, PREFIXES + "ex:a ex:p 1 .")
    assert compiled.engine == "sparql" and len(compiled.findings) == 1


@pytest.mark.parametrize("seed", SEEDS)
def test_engines_agree_on_random_shapes_and_data(tmp_path: Path, seed: int) -> None:
    shapes, data = make_case(seed)
    _agree(tmp_path, shapes, data)


def test_the_random_corpus_is_mostly_compiled(tmp_path: Path) -> None:
    """The corpus must exercise the compiled engine, not just its refusals."""
    compiled = 0
    for seed in SEEDS[:100]:
        shapes, data = make_case(seed)
        path = tmp_path / f"{seed}.ttl"
        path.write_text(shapes, encoding="utf-8")
        store = GraphStore()
        store.load_bytes(data.encode("utf-8"), "turtle")
        try:
            report = validate_graph(LoadedGraph(store, [], []), "sparql", shapes=path)
        except InputError:
            continue
        compiled += report.engine == "sparql"
    assert compiled >= 60, compiled


@pytest.mark.parametrize(
    "pattern",
    ["(?=a)", "(a)\\1", "\\p{L}", "a++", "(?i)a", "[[a]]", "[a&&b]", "\\bword", "é", "a{,2}"],
)
def test_patterns_whose_meaning_could_differ_are_refused(pattern: str) -> None:
    """Lookaround, backreferences, \\p{...}, possessive quantifiers, inline flags, nested or
    set-operation classes, word boundaries, non-ASCII and Python-only quantifiers."""
    shapes = rdflib.Graph()
    shape = rdflib.URIRef("https://example.org/S")
    shapes.add((shape, SH.targetNode, rdflib.URIRef("https://example.org/a")))
    shapes.add((shape, SH.pattern, rdflib.Literal(pattern)))
    with pytest.raises(Unsupported, match="sh:pattern"):
        compile_shapes(shapes)


# --- pySHACL's query-text check, kept per text (graph/shacl/adapter.py) ---

CHECKED_TEXTS = [
    "SELECT $this WHERE { $this ex:p ?x }",
    "SELECT $this WHERE { $this ex:p ?x . MINUS { $this ex:q ?x } }",
    "SELECT $this WHERE { $this ex:p ?x . VALUES ?x { 1 } }",
    "SELECT $this WHERE { SERVICE <http://example.org/s> { $this ex:p ?x } }",
    "SELECT $this WHERE { { SELECT * WHERE { $this ex:p ?x } } }",
    "SELECT $this WHERE { { SELECT ?x WHERE { ?y ex:p ?x } } }",
    "SELECT $this WHERE { $this ex:p ?x . BIND (?x AS ?value) }",
    "SELECT $this WHERE { $this ex:p ?x . BIND (?x AS ?other) }",
    "# MINUS { in a comment\nSELECT $this WHERE { $this ex:p ?x }",
]


def _check(helper: type, text: str, value: object, extra: object) -> str:
    """What ``check_invalid_sparql`` answers: True, or the failure's class and arguments.
    The check reads only class attributes (its regular expressions), so an instance made
    without pySHACL's constructor (which needs a whole shape) is enough."""
    from pyshacl.errors import ValidationFailure

    try:
        return repr(object.__new__(helper).check_invalid_sparql(text, value, extra))
    except ValidationFailure as failure:
        return f"ValidationFailure{failure.args!r}"


@pytest.mark.parametrize("text", CHECKED_TEXTS)
@pytest.mark.parametrize(("value", "extra"), [(None, None), ("v", None), (None, {"other"})])
def test_the_query_text_check_kept_per_text_answers_as_pyshacls_own(text, value, extra) -> None:
    """The same answer or the same error as pySHACL's own helper, the first time (worked out)
    and the second (kept), whatever was asked before with other bound variables."""
    from pyshacl.helper.sparql_query_helper import SPARQLQueryHelper

    from harmgraph.shacl.adapter import checked_once_helper

    own = _check(SPARQLQueryHelper, text, value, extra)
    kept = checked_once_helper()
    assert _check(kept, text, value, extra) == own
    assert _check(kept, text, value, extra) == own


def test_the_check_kept_per_text_still_refuses_a_forbidden_query(tmp_path: Path) -> None:
    """Through the whole pySHACL run: a shape whose query has MINUS is refused, by name, the
    second time as the first."""
    shapes = tmp_path / "shapes.ttl"
    select = "SELECT $this WHERE { $this ex:p ?x . MINUS { $this ex:q ?x } }"
    shapes.write_text(
        PREFIXES
        + f'ex:S sh:targetNode ex:a ; sh:sparql [ sh:select """{select}""" ; sh:prefixes ex:o ] .\n'
        + 'ex:o sh:declare [ sh:prefix "ex" ; sh:namespace "http://example.org/"^^xsd:anyURI ] .',
        encoding="utf-8",
    )
    store = GraphStore()
    store.load_bytes((PREFIXES + "ex:a ex:p 1 .").encode("utf-8"), "turtle")
    for _ in range(2):
        with pytest.raises(InputError, match="MINUS"):
            validate_graph(LoadedGraph(store, [], []), "pyshacl", shapes=shapes)
