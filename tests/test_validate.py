"""Every shape has a passing case (the mini graph, the bundled graph) and a failing case."""

from __future__ import annotations

import pytest

from conftest import run_cli
from harmgraph import load_graph, validate_graph

GOOD_SOURCE = """
    dcterms:title "A title"@en ; dcterms:creator "Tester, Ada" ; dcterms:date "2024"^^xsd:gYear ;
    hg:sourceKind hg:Report ; schema:url "https://example.org/x" """

GOOD_CLAIM = """
    hg:evidenceKind hg:MonitoringData ; hg:direction hg:Supports ; hg:confidence hg:LowConfidence ;
    hg:confidenceRationale "A reason that is long enough."@en ; dcterms:created "2026-11-24"^^xsd:date """

# (name, extra Turtle, the shape that must fire, a fragment of its message)
BAD_CASES = [
    (
        "harm-no-definition",
        'harm:x a hg:Harm ; skos:prefLabel "x"@en ; skos:inScheme scheme:harm ; skos:topConceptOf scheme:harm .',
        "hgsh:definition",
        "skos:definition",
    ),
    (
        "harm-two-english-labels",
        'harm:facet-a skos:prefLabel "another"@en .',
        "hgsh:prefLabel",
        "prefLabel",
    ),
    (
        "harm-no-label",
        'harm:x a hg:Harm ; skos:definition "d"@en ; skos:inScheme scheme:harm ; skos:topConceptOf scheme:harm .',
        "hgsh:prefLabel-en",
        "exactly one skos:prefLabel in English",
    ),
    (
        "harm-broader-typo",
        "harm:narrow-a skos:broader harm:facet-aa .",
        "hgsh:Harm-broader",
        "another harm that exists",
    ),
    (
        "harm-broader-cycle",
        "harm:facet-a skos:broader harm:narrow-a .",
        "hgsh:Broader-no-cycle",
        "cycle",
    ),
    (
        "harm-severity-without-source",
        "harm:facet-a hg:severity 4 .",
        "hgsh:HarmSeverity-needs-source",
        "severitySource",
    ),
    (
        "technology-not-in-scheme",
        'technology:y a hg:Technology ; skos:prefLabel "y"@en ; skos:definition "d"@en .',
        "hgsh:Technology-inScheme",
        "technology concept scheme",
    ),
    (
        "actor-not-in-scheme",
        'actor:y a hg:Actor ; skos:prefLabel "y"@en ; skos:definition "d"@en .',
        "hgsh:Actor-inScheme",
        "actor concept scheme",
    ),
    (
        "intervention-no-stage",
        'intervention:y a hg:Intervention ; skos:prefLabel "y"@en ; skos:definition "d"@en ; '
        "skos:inScheme scheme:intervention ; skos:broader intervention:type-t .",
        "hgsh:Intervention-needs-stage",
        "hg:lifecycleStage",
    ),
    (
        "intervention-bad-jurisdiction",
        'intervention:int-i hg:jurisdiction "United Kingdom" .',
        "hgsh:Intervention-jurisdiction",
        "ISO 3166-1",
    ),
    (
        "source-bad-doi",
        "source:s a hg:EvidenceSource ;" + GOOD_SOURCE + '; bibo:doi "https://doi.org/10.1/x" .',
        "hgsh:Source-doi",
        "bare DOI",
    ),
    (
        "source-bad-url",
        'source:s a hg:EvidenceSource ; dcterms:title "A title"@en ; dcterms:creator "A" ; '
        'dcterms:date "2024"^^xsd:gYear ; hg:sourceKind hg:Report ; schema:url "ftp://x" .',
        "hgsh:Source-url",
        "https://",
    ),
    (
        "source-no-identifier",
        'source:s a hg:EvidenceSource ; dcterms:title "A title"@en ; dcterms:creator "A" ; '
        'dcterms:date "2024"^^xsd:gYear ; hg:sourceKind hg:Report .',
        "hgsh:Source-needs-identifier",
        "bibo:doi or a schema:url",
    ),
    (
        "source-no-date",
        'source:s a hg:EvidenceSource ; dcterms:title "A title"@en ; dcterms:creator "A" ; '
        'hg:sourceKind hg:Report ; schema:url "https://example.org/y" .',
        "hgsh:Source-date",
        "dcterms:date",
    ),
    (
        "source-no-author",
        'source:s a hg:EvidenceSource ; dcterms:title "A title"@en ; dcterms:date "2024"^^xsd:gYear ; '
        'hg:sourceKind hg:Report ; schema:url "https://example.org/y" .',
        "hgsh:EvidenceSourceShape",
        "dcterms:creator",
    ),
    (
        "source-unknown-kind",
        'source:s a hg:EvidenceSource ; dcterms:title "A title"@en ; dcterms:creator "A" ; '
        'dcterms:date "2024"^^xsd:gYear ; hg:sourceKind hg:Blog ; schema:url "https://example.org/y" .',
        "hgsh:Source-kind",
        "hg:sourceKind",
    ),
    (
        "claim-no-citation",
        "claim:x a hg:Claim ; rdf:subject technology:tech-x ; rdf:predicate hg:enables ; "
        "rdf:object harm:facet-b ;" + GOOD_CLAIM + ".",
        "hgsh:Claim-citation",
        "hg:citation",
    ),
    (
        "claim-empty-locator",
        "claim:x a hg:Claim ; rdf:subject technology:tech-x ; rdf:predicate hg:enables ; "
        'rdf:object harm:facet-b ; hg:citation [ a hg:Citation ; hg:source source:src-1 ; hg:locator "" ] ;'
        + GOOD_CLAIM
        + ".",
        "hgsh:Citation-locator",
        "hg:locator",
    ),
    (
        "claim-citation-unknown-source",
        "claim:x a hg:Claim ; rdf:subject technology:tech-x ; rdf:predicate hg:enables ; "
        'rdf:object harm:facet-b ; hg:citation [ a hg:Citation ; hg:source source:nope ; hg:locator "p. 1" ] ;'
        + GOOD_CLAIM
        + ".",
        "hgsh:Citation-source",
        "evidence source in the graph",
    ),
    (
        "claim-bad-direction",
        "claim:x a hg:Claim ; rdf:subject technology:tech-x ; rdf:predicate hg:enables ; "
        'rdf:object harm:facet-b ; hg:citation [ a hg:Citation ; hg:source source:src-1 ; hg:locator "p. 1" ] ;'
        " hg:evidenceKind hg:MonitoringData ; hg:direction hg:Maybe ; hg:confidence hg:LowConfidence ;"
        ' hg:confidenceRationale "A reason that is long enough."@en ; dcterms:created "2026-11-24"^^xsd:date .',
        "hgsh:Claim-direction",
        "hg:direction",
    ),
    (
        "claim-wrong-types",
        "claim:x a hg:Claim ; rdf:subject harm:facet-a ; rdf:predicate hg:enables ; "
        'rdf:object harm:facet-b ; hg:citation [ a hg:Citation ; hg:source source:src-1 ; hg:locator "p. 1" ] ;'
        + GOOD_CLAIM
        + ".",
        "hgsh:Claim-types-match",
        "wrong type",
    ),
    (
        "claim-unknown-relation",
        "claim:x a hg:Claim ; rdf:subject technology:tech-x ; rdf:predicate hg:causes ; "
        'rdf:object harm:facet-b ; hg:citation [ a hg:Citation ; hg:source source:src-1 ; hg:locator "p. 1" ] ;'
        + GOOD_CLAIM
        + ".",
        "hgsh:Claim-predicate",
        "rdf:predicate",
    ),
    (
        "direct-relation-without-claim",
        "technology:tech-x hg:enables harm:facet-b .",
        "hgsh:DirectRelation-needs-claim",
        "no hg:Claim behind it",
    ),
    (
        "direct-relation-dangling",
        "technology:tech-x hg:enables harm:does-not-exist .",
        "hgsh:Technology-enables",
        "harm that exists",
    ),
    (
        "gap-no-source",
        'gap:x a hg:Gap ; skos:prefLabel "x"@en ; dcterms:description "d"@en ; hg:concerns harm:facet-b .',
        "hgsh:Gap-source",
        "hg:source",
    ),
    (
        "gap-concerns-nothing",
        'gap:x a hg:Gap ; skos:prefLabel "x"@en ; dcterms:description "d"@en ; hg:source source:src-1 .',
        "hgsh:Gap-concerns",
        "hg:concerns",
    ),
]


def test_mini_graph_conforms(mini_with):
    report = validate_graph(load_graph([mini_with("")]))
    assert report.conforms, [str(f) for f in report.findings]


def test_bundled_graph_conforms():
    report = validate_graph(load_graph())
    assert report.conforms, "\n".join(str(f) for f in report.violations)


@pytest.mark.parametrize(
    ("name", "extra", "shape", "message"), BAD_CASES, ids=[c[0] for c in BAD_CASES]
)
def test_bad_instance_fails_with_shape_message(mini_with, name, extra, shape, message):
    report = validate_graph(load_graph([mini_with(extra)]))
    assert not report.conforms
    fired = [f for f in report.violations if f.shape.startswith(shape)]
    assert fired, f"{shape} did not fire; got {[str(f) for f in report.violations]}"
    assert any(message in f.message for f in fired)


def test_every_named_shape_has_a_failing_case():
    """Each node shape in shapes.ttl is exercised by at least one bad case above."""
    tested = " ".join(case[2] for case in BAD_CASES)
    for shape in (
        "Harm",
        "Technology",
        "Actor",
        "Intervention",
        "Source",
        "Claim",
        "Citation",
        "Gap",
        "DirectRelation",
        "Broader",
    ):
        assert f"hgsh:{shape}" in tested or shape == "Harm"


def test_cli_reports_file_line_and_exit_1(mini_with):
    folder = mini_with(
        '\n\nharm:x a hg:Harm ; skos:prefLabel "x"@en ; skos:inScheme scheme:harm ; '
        "skos:topConceptOf scheme:harm .\n"
    )
    result = run_cli("validate", str(folder))
    assert result.returncode == 1, result.stderr
    line = next(row for row in result.stdout.splitlines() if "hgsh:definition" in row)
    extra_line = (folder / "extra.ttl").read_text().splitlines().index(
        next(r for r in (folder / "extra.ttl").read_text().splitlines() if r.startswith("harm:x"))
    ) + 1
    assert line.startswith(f"{folder / 'extra.ttl'}:{extra_line}: violation: id/harm/x:")
    assert "Traceback" not in result.stderr


def test_cli_validate_bundled_exit_0():
    result = run_cli("validate")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "conforms" in result.stderr


def _signature(report):
    return {
        (f.focus if not f.focus.startswith("_:") and f.focus else "_:", f.shape)
        for f in report.findings
    }


@pytest.mark.parametrize(
    ("name", "extra", "shape", "message"), BAD_CASES, ids=[c[0] for c in BAD_CASES]
)
def test_sparql_engine_agrees_with_pyshacl(mini_with, name, extra, shape, message):
    """The compiled-SPARQL engine reports the same (focus, shape) pairs as pySHACL."""
    graph = load_graph([mini_with(extra)])
    fast = validate_graph(graph, engine="sparql")
    reference = validate_graph(graph, engine="pyshacl")
    assert _signature(fast) == _signature(reference)


def test_engines_agree_on_the_bundled_graph():
    graph = load_graph()
    assert validate_graph(graph, "sparql").conforms == validate_graph(graph, "pyshacl").conforms
