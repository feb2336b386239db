"""A seeded random corpus for the engine-agreement tests: shapes built only from the features the
compiled engine supports, and data full of the literals that trip engines up (ill-formed,
non-canonical, language tags in mixed case), blank nodes and random IRIs.

Each case is (shapes Turtle, data Turtle). The generator is deterministic for a seed.
"""

from __future__ import annotations

import random

PREFIXES = """@prefix ex: <http://example.org/> .
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""

NODES = [f"ex:n{i}" for i in range(6)]
BLANKS = [f"_:b{i}" for i in range(3)]
CLASSES = ["ex:A", "ex:B", "ex:C"]
PREDICATES = ["ex:p", "ex:q", "ex:r", "ex:s"]
LITERALS = [
    '"abc"',
    '"Abc"',
    '""',
    '"x y"',
    '"héllo"',
    '"a\\nb"',
    '"tab\\there"',
    '"10.1234/abc"',
    '"https://x.org/a"',
    '"abc"@en',
    '"abc"@EN-gb',
    '"hi"@de',
    '"hello"@en-US',
    '"HI"@EN',
    '"1"^^xsd:integer',
    '"01"^^xsd:integer',
    '"-5"^^xsd:integer',
    '" 5 "^^xsd:integer',
    '"abc"^^xsd:integer',
    '"1.0"^^xsd:decimal',
    '"1.50"^^xsd:decimal',
    '"1"^^xsd:double',
    '"1e400"^^xsd:double',
    '"NaN"^^xsd:double',
    '"INF"^^xsd:float',
    '"true"^^xsd:boolean',
    '"1"^^xsd:boolean',
    '"yes"^^xsd:boolean',
    '"2024"^^xsd:gYear',
    '"0024"^^xsd:gYear',
    '"2024-05"^^xsd:gYearMonth',
    '"2024-11-24"^^xsd:date',
    '"2024-11-24Z"^^xsd:date',
    '"2024-02-30"^^xsd:date',
    '"2024-01-01T10:00:00"^^xsd:dateTime',
    '"2024-01-01T10:00:00Z"^^xsd:dateTime',
    '"c"^^xsd:byte',
    '"300"^^xsd:byte',
    '"12"^^xsd:byte',
    '"x"^^ex:custom',
    '"abc"^^xsd:string',
    '"\u0661\u0662"^^xsd:integer',
    '"1"',
    '"GB"',
    '"international"',
]
#: Literals that both engines compare alike, for predicates a SPARQL constraint compares.
SAFE_LITERALS = [
    '"abc"',
    '"Abc"',
    '"x y"',
    '"abc"@en',
    '"hi"@de',
    '"1"^^xsd:integer',
    '"true"^^xsd:boolean',
]
DATATYPES = [
    "xsd:string",
    "rdf:langString",
    "xsd:integer",
    "xsd:decimal",
    "xsd:double",
    "xsd:boolean",
    "xsd:date",
    "xsd:dateTime",
    "xsd:gYear",
    "xsd:byte",
    "rdfs:Literal",
    "ex:custom",
]
KINDS = [
    "sh:IRI",
    "sh:BlankNode",
    "sh:Literal",
    "sh:BlankNodeOrIRI",
    "sh:BlankNodeOrLiteral",
    "sh:IRIOrLiteral",
]
PATTERNS = [
    "^a",
    "c$",
    "^[0-9]+$",
    "^https?://\\\\S+$",
    "\\\\d{4}",
    "^[A-Z]{2}$",
    "b",
    "^(GB|international)$",
    "x y|hi",
]
BOUNDS = [
    '"1"^^xsd:integer',
    '"0"^^xsd:integer',
    '"1.5"^^xsd:decimal',
    '"2024-01-01"^^xsd:date',
    '"abc"',
    '"5"^^xsd:double',
]
SPARQL = [
    ("SELECT $this WHERE {{ $this ex:p ?x . FILTER (isLiteral(?x)) }}", False),
    (
        "SELECT $this ?value WHERE {{ $this ex:s ?value . FILTER NOT EXISTS {{ ?value a ex:A }} }}",
        False,
    ),
    (
        "SELECT $this ?path WHERE {{ {{ BIND (ex:p AS ?path) }} UNION {{ BIND (ex:q AS ?path) }} "
        "FILTER NOT EXISTS {{ $this ?path ?any }} }}",
        False,
    ),
    (
        "SELECT $this ?value WHERE {{ $this ex:r ?value, ?other . FILTER (?value != ?other) }}",
        False,
    ),
    ("SELECT $this WHERE {{ $this ex:s+ $this . }}", False),
    (
        "SELECT $this ?value WHERE {{ $this ex:s ?value . OPTIONAL {{ ?o ex:p $this }} "
        "FILTER (!BOUND(?o)) }}",
        False,
    ),
    ("SELECT $this ?value WHERE {{ $this $PATH ?value . FILTER (isBlank(?value)) }}", True),
    ("SELECT $this ?v WHERE {{ $this ex:s ?v . ?v ex:s ?w . FILTER (?w = ex:n1) }}", False),
    (
        "SELECT $this ?path WHERE {{ {{ FILTER NOT EXISTS {{ $this ex:p ?x }} BIND (ex:p AS ?path) }}"
        " UNION {{ $this ex:q ?y . BIND (ex:q AS ?path) }} }}",
        False,
    ),
    (
        "SELECT $this ?value WHERE {{ $this ex:s ?value . {{ FILTER NOT EXISTS {{ ?value ex:s $this }} }} }}",
        False,
    ),
]


class _Shapes:
    def __init__(self, rnd: random.Random) -> None:
        self.rnd = rnd
        self.blocks: list[str] = []
        self.count = 0

    def name(self) -> str:
        self.count += 1
        return f"ex:S{self.count}"

    def pick(self, items: list) -> object:
        return self.rnd.choice(items)

    def shape(self, depth: int, nested: bool, path: str | None = None) -> str:
        rnd = self.rnd
        node = self.name() if rnd.random() < 0.7 or not nested else None
        lines = []
        if path is None and rnd.random() < 0.5:
            path = self.pick(PREDICATES)
            if rnd.random() < 0.15:
                path = f"[ sh:inversePath {path} ]"
        if path:
            lines.append(f"sh:path {path}")
            if rnd.random() < 0.3:
                lines.append("a sh:PropertyShape")
        elif rnd.random() < 0.5:
            lines.append("a sh:NodeShape")
        used: set[str] = set()
        for _ in range(rnd.randint(1, 3)):
            kind, more = self.constraint(depth, nested, bool(path))
            if kind not in used or kind in ("class", "pattern", "range", "hasValue", "node"):
                used.add(kind)
                lines += more
        if rnd.random() < 0.3:
            lines.append(f"sh:severity {self.pick(['sh:Violation', 'sh:Warning', 'sh:Info'])}")
        if node is not None and rnd.random() < 0.4:  # messages on named shapes only
            lines.append(f'sh:message "message {self.count}"')
            if rnd.random() < 0.3:
                lines.append(f'sh:message "Nachricht {self.count}"@de')
        if rnd.random() < 0.05:
            lines.append(f"sh:deactivated {self.pick(['true', 'false'])}")
        body = " ;\n    ".join(lines)
        if node is None:
            return f"[ {body} ]"
        self.blocks.append(f"{node}\n    {body} .")
        return node

    def constraint(self, depth: int, nested: bool, is_property: bool) -> tuple[str, list[str]]:
        kind, lines = self._constraint(depth, nested, is_property)
        return kind, lines

    def _constraint(self, depth: int, nested: bool, is_property: bool) -> tuple[str, list[str]]:
        rnd = self.rnd
        options = ["class", "datatype", "nodeKind", "pattern", "length", "in", "hasValue", "range"]
        options += ["languageIn"]
        if is_property:
            options += ["minCount", "maxCount", "uniqueLang", "qualified"]
        if depth < 2:
            options += ["node", "not", "logic", "property"]
        if not nested:
            options += ["sparql"]
        kind = rnd.choice(options)
        small = [0, 1] if nested else [0, 1, 2]
        if kind == "class":
            return kind, [f"sh:class {self.pick(CLASSES)}"]
        if kind == "datatype":
            return kind, [f"sh:datatype {self.pick(DATATYPES)}"]
        if kind == "nodeKind":
            return kind, [f"sh:nodeKind {self.pick(KINDS)}"]
        if kind == "pattern":
            lines = [f'sh:pattern "{p}"' for p in rnd.sample(PATTERNS, rnd.randint(1, 2))]
            if rnd.random() < 0.3:
                lines.append(f'sh:flags "{self.pick(["i", "I", "m", "im", "s"])}"')
            return kind, lines
        if kind == "length":
            return kind, [f"sh:{self.pick(['minLength', 'maxLength'])} {rnd.randint(0, 5)}"]
        if kind == "in":
            members = rnd.sample(NODES + LITERALS, rnd.randint(0, 4))
            return kind, [f"sh:in ( {' '.join(members)} )"]
        if kind == "hasValue":
            return kind, [f"sh:hasValue {self.pick(NODES + LITERALS)}"]
        if kind == "range":
            name = self.pick(["minInclusive", "maxInclusive", "minExclusive", "maxExclusive"])
            return kind, [f"sh:{name} {self.pick(BOUNDS)}"]
        if kind == "languageIn":
            tags = self.pick(['"en"', '"en" "DE"', '"*"', '"en-us"', ""])
            return kind, [f"sh:languageIn ( {tags} )"]
        if kind == "minCount":
            return kind, [f"sh:minCount {self.pick(small)}"]
        if kind == "maxCount":
            return kind, [f"sh:maxCount {self.pick(small)}"]
        if kind == "uniqueLang":
            return kind, [f"sh:uniqueLang {self.pick(['true', 'false'])}"]
        if kind == "qualified":
            lines = [f"sh:qualifiedValueShape {self.shape(depth + 1, True)}"]
            if rnd.random() < 0.7:
                lines.append(f"sh:qualifiedMinCount {self.pick(small)}")
            if rnd.random() < 0.5 or len(lines) == 1:
                lines.append(f"sh:qualifiedMaxCount {self.pick(small)}")
            return kind, lines
        if kind == "node":
            return kind, [f"sh:node {self.shape(depth + 1, True, path='')}"]
        if kind == "not":
            return kind, [f"sh:not {self.shape(depth + 1, True)}"]
        if kind == "logic":
            members = " ".join(self.shape(depth + 1, True) for _ in range(rnd.randint(1, 3)))
            return kind, [f"sh:{self.pick(['and', 'or', 'xone'])} ( {members} )"]
        if kind == "property":
            return kind, [f"sh:property {self.shape(depth + 1, True, path=self.pick(PREDICATES))}"]
        template, needs_path = self.pick(SPARQL)
        if needs_path and not is_property:
            template = SPARQL[0][0]
        message = self.pick(['"found {$this}"', '"value {?value} of {$this}"', '"plain"', None])
        parts = [f'sh:select """{template.format()}"""', "sh:prefixes ex:ontology"]
        if message:
            parts.append(f"sh:message {message}")
        return kind, [f"sh:sparql [ {' ; '.join(parts)} ]"]

    def top(self) -> None:
        rnd = self.rnd
        before = len(self.blocks)
        node = self.shape(0, False)
        targets = []
        for _ in range(rnd.randint(1, 2)):
            kind = rnd.random()
            if kind < 0.35:
                targets.append(f"sh:targetClass {self.pick(CLASSES)}")
            elif kind < 0.55:
                targets.append(f"sh:targetNode {self.pick(NODES)}")
            elif kind < 0.6:
                targets.append(f"sh:targetNode {self.pick(LITERALS)}")
            elif kind < 0.75:
                targets.append(f"sh:targetSubjectsOf {self.pick(PREDICATES)}")
            elif kind < 0.9:
                targets.append(f"sh:targetObjectsOf {self.pick(PREDICATES)}")
            else:
                targets.append("a rdfs:Class")
        index = next(
            i for i, b in enumerate(self.blocks[before:], before) if b.startswith(node + "\n")
        )
        self.blocks[index] = self.blocks[index][:-2] + " ;\n    " + " ;\n    ".join(targets) + " ."


def make_case(seed: int) -> tuple[str, str]:
    """Return (shapes, data) as Turtle for one seed."""
    rnd = random.Random(seed)
    shapes = _Shapes(rnd)
    for _ in range(rnd.randint(1, 3)):
        shapes.top()
    ontology = (
        'ex:ontology a owl:Ontology ; sh:declare [ sh:prefix "ex" ; '
        'sh:namespace "http://example.org/"^^xsd:anyURI ] .'
    )
    shapes_text = PREFIXES + ontology + "\n" + "\n".join(shapes.blocks) + "\n"
    # Shapes that are also classes (implicit targets) need instances of their own IRI.
    classes = CLASSES + [f"ex:S{i}" for i in range(1, shapes.count + 1)]
    triples = ["ex:B rdfs:subClassOf ex:A ."]
    subjects = NODES + BLANKS
    for subject in subjects:
        for _ in range(rnd.randint(0, 2)):
            triples.append(f"{subject} a {rnd.choice(classes)} .")
        for predicate in PREDICATES:
            for _ in range(rnd.choice([0, 0, 1, 1, 2, 3])):
                if predicate == "ex:s":
                    obj = rnd.choice(NODES + BLANKS)
                elif predicate == "ex:r":
                    obj = rnd.choice(NODES + SAFE_LITERALS)
                else:
                    obj = rnd.choice(NODES + BLANKS + LITERALS + LITERALS)
                triples.append(f"{subject} {predicate} {obj} .")
    return shapes_text, PREFIXES + "\n".join(triples) + "\n"
