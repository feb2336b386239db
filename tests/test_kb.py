"""Quality gates for the curated knowledge base (graph/kb)."""

from __future__ import annotations

import json
import re
from collections import Counter

import pytest

from conftest import ROOT, run_cli
from harmgraph import load_graph

KB = ROOT / "graph" / "kb"


@pytest.fixture(scope="module")
def store():
    return load_graph().store


def test_counts_meet_the_minimums():
    counts = json.loads(run_cli("stats", "--format", "json").stdout)
    assert counts["harms"] >= 20
    assert counts["technologies"] >= 12
    assert counts["actors"] >= 15
    assert counts["interventions"] - counts["intervention_types"] >= 40
    assert counts["sources"] >= 60
    assert counts["claims"] >= 150
    assert counts["gaps"] >= 15


def test_source_identifiers_are_well_formed_and_unique(store):
    rows = store.query(
        "SELECT ?s ?doi ?url WHERE { ?s a hg:EvidenceSource . "
        "OPTIONAL { ?s bibo:doi ?doi } OPTIONAL { ?s schema:url ?url } }"
    )
    dois = Counter(r["doi"].lower() for r in rows if r["doi"])
    urls = Counter(r["url"].rstrip("/").lower() for r in rows if r["url"])
    for row in rows:
        assert row["doi"] or row["url"], row["s"]
        if row["doi"]:
            assert re.fullmatch(r"10\.\d{4,9}/\S+", row["doi"]), row
        if row["url"]:
            assert re.fullmatch(r"https?://[^\s<>\"]+", row["url"]), row
    assert not [d for d, n in dois.items() if n > 1]
    assert not [u for u, n in urls.items() if n > 1]


PLACEHOLDER_LOCATORS = re.compile(r"^(\?+|tbd|todo|n/?a|none|unknown|page \?|p\. ?\?|-|\.+)$", re.I)


def test_every_locator_is_real_text(store):
    rows = store.query("SELECT ?claim ?locator WHERE { ?claim hg:citation/hg:locator ?locator }")
    assert rows
    for row in rows:
        assert row["locator"].strip(), row
        assert not PLACEHOLDER_LOCATORS.match(row["locator"].strip()), row


FACETS = [
    "synthetic-csam-of-unabused-children",
    "revictimisation-of-survivors",
    "grooming-coercion-extortion",
    "normalisation",
    "offending-pathway",
    "lowered-barriers",
    "desensitisation-and-escalation",
    "undermined-protective-factors",
    "detection-strain",
    "victim-identification-obstruction",
    "youth-involvement",
    "harm-reduction-claim",
    "psychological-and-reputational-harm",
    "training-data-abuse-material",
    "investigative-resource-diversion",
]


def test_every_harm_facet_has_two_independent_sources(store):
    rows = store.query(
        """SELECT ?harm (COUNT(DISTINCT ?source) AS ?n) WHERE {
            ?harm a hg:Harm .
            ?narrower skos:broader* ?harm .
            { ?claim rdf:subject ?narrower } UNION { ?claim rdf:object ?narrower }
            ?claim hg:citation/hg:source ?source .
        } GROUP BY ?harm"""
    )
    counts = {r["harm"].rsplit("/", 1)[1]: int(r["n"]) for r in rows}
    thin = [facet for facet in FACETS if counts.get(facet, 0) < 2]
    assert thin == [], f"facets with fewer than two independent sources: {thin}"


def deny_terms() -> list[str]:
    lines = (ROOT / "tests" / "deny-list.txt").read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def test_knowledge_base_has_no_operational_terms():
    patterns = [re.compile(r"(?<![\w])" + re.escape(t) + r"(?![\w])", re.I) for t in deny_terms()]
    hits = []
    for path in sorted(KB.glob("*.ttl")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            hits += [f"{path.name}:{number}: {p.pattern}" for p in patterns if p.search(line)]
    assert hits == []


def test_deny_list_catches_a_planted_term(tmp_path):
    """The content-safety check is real: a planted term is found."""
    planted = "Uses a LoRA adapter"
    patterns = [re.compile(r"(?<![\w])" + re.escape(t) + r"(?![\w])", re.I) for t in deny_terms()]
    assert any(p.search(planted) for p in patterns)


def test_every_intervention_has_type_stage_and_level(store):
    rows = store.query(
        """SELECT ?i WHERE { ?i a hg:Intervention .
            FILTER NOT EXISTS { ?i skos:topConceptOf ?s }
            FILTER (NOT EXISTS { ?i hg:lifecycleStage ?st } || NOT EXISTS { ?i hg:preventionLevel ?l }
                    || NOT EXISTS { ?i skos:broader ?t }) }"""
    )
    assert rows == []


def test_founding_paper_research_needs_are_gaps(store):
    rows = store.query("SELECT ?label WHERE { ?g a hg:Gap ; skos:prefLabel ?label }")
    labels = " | ".join(r["label"].lower() for r in rows)
    for need in ("detection", "international policy", "longitudinal"):
        assert need in labels, need


def test_harm_reduction_claim_is_contested(store):
    rows = store.query(
        """SELECT ?d (COUNT(DISTINCT ?src) AS ?n) WHERE {
            ?c rdf:subject intervention:synthetic-material-as-substitute-outlet ;
               hg:direction ?d ; hg:citation/hg:source ?src } GROUP BY ?d"""
    )
    directions = {r["d"].rsplit("#", 1)[1] for r in rows}
    assert "Disputes" in directions and ({"Supports", "Mixed"} & directions)
