"""Turn a CSV of coded studies (one row per claim) into Turtle that conforms to the shapes.

Columns (a header row is required; order does not matter):

========================  ==================================================================
required                  meaning
========================  ==================================================================
intervention              ``intervention/slug`` (or the slug) of an existing or new intervention
harm                      ``harm/slug`` (or the slug) of an existing or new harm
source                    an existing ``source/slug``, or the source's DOI (``10.x/...``) or URL
locator                   where in the source: page, section, table or figure
evidence_kind             e.g. ``EvaluationTrial``, ``evaluation``, ``expert opinion``
direction                 ``supports``, ``disputes`` or ``mixed``
confidence                ``high``, ``moderate`` or ``low``
rationale                 one line: why this confidence
========================  ==================================================================

Only for a **new** intervention: ``intervention_label``, ``intervention_definition``,
``intervention_type`` (an existing type slug), ``stage`` (e.g. ``StageLawPolicy``) and
``prevention_level`` (``primary``, ``secondary``, ``tertiary``); optional
``intervention_jurisdiction``. Only for a **new** harm: ``harm_label``, ``harm_definition``,
optional ``harm_broader``. Only for a **new** source (a DOI or URL not in the graph):
``source_title``, ``source_year``, ``source_authors`` (``;``-separated) or
``source_publisher``, and ``source_kind`` (e.g. ``PeerReviewedArticle``, ``Report``).

Examples
--------
>>> from pathlib import Path
>>> from harmgraph.load import load_graph
>>> example = Path(__file__).resolve().parent.parent / "examples" / "claims.csv"
>>> result = import_claims(example.read_text(encoding="utf-8"), load_graph())
>>> result.bad, result.good > 0
([], True)
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from dataclasses import dataclass, field

from harmgraph.evidence import read_evidence
from harmgraph.load import LoadedGraph
from harmgraph.namespaces import ID_IRI

REQUIRED = (
    "intervention",
    "harm",
    "source",
    "locator",
    "evidence_kind",
    "direction",
    "confidence",
    "rationale",
)
KINDS = {
    "empiricalquantitative": "EmpiricalQuantitative",
    "empirical quantitative": "EmpiricalQuantitative",
    "empiricalqualitative": "EmpiricalQualitative",
    "empirical qualitative": "EmpiricalQualitative",
    "evaluationtrial": "EvaluationTrial",
    "evaluation": "EvaluationTrial",
    "trial": "EvaluationTrial",
    "evaluation or trial": "EvaluationTrial",
    "systematicreview": "SystematicReview",
    "systematic review": "SystematicReview",
    "review": "SystematicReview",
    "monitoringdata": "MonitoringData",
    "monitoring data": "MonitoringData",
    "legaltext": "LegalText",
    "legal text": "LegalText",
    "expertopinion": "ExpertOpinion",
    "expert opinion": "ExpertOpinion",
    "opinion": "ExpertOpinion",
}
DIRECTIONS = {"supports": "Supports", "disputes": "Disputes", "mixed": "Mixed"}
CONFIDENCES = {"high": "HighConfidence", "moderate": "ModerateConfidence", "low": "LowConfidence"}
LEVELS = {
    "primary": "PrimaryPrevention",
    "secondary": "SecondaryPrevention",
    "tertiary": "TertiaryPrevention",
}
SOURCE_KINDS = (
    "PeerReviewedArticle",
    "Preprint",
    "Report",
    "Legislation",
    "CourtDecision",
    "Dataset",
    "Guidance",
    "SecondarySummary",
)
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,59}$")


@dataclass
class ImportResult:
    """Turtle for the good rows, and (row number, reason) for every bad row."""

    turtle: str
    good: int
    bad: list[tuple[int, str]] = field(default_factory=list)


def _lit(text: str, lang: str | None = "en") -> str:
    escaped = text.replace("\\\\", "\\\\\\\\").replace('"', '\\\\"').replace("\\n", " ").strip()
    return f'"{escaped}"@{lang}' if lang else f'"{escaped}"'


def _slug_of(value: str, kind: str) -> str:
    value = value.strip()
    for prefix in (ID_IRI + kind + "/", kind + "/"):
        value = value.removeprefix(prefix)
    return value


def _new_slug(text: str) -> str:
    return "import-" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]


def import_claims(text: str, graph: LoadedGraph) -> ImportResult:
    """Check every row against ``graph`` (the graph the claims will join) and build Turtle."""
    evidence = read_evidence(graph)
    known = set(evidence.entities)
    by_doi = {r["doi"].lower(): r["source"] for r in evidence.source_records if r["doi"]}
    by_url = {r["url"].rstrip("/"): r["source"] for r in evidence.source_records if r["url"]}
    types = {e.iri for e in evidence.of_kind("intervention") if e.top}
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in REQUIRED if c not in (reader.fieldnames or [])]
    if missing:
        return ImportResult("", 0, [(1, f"the header lacks the column(s) {', '.join(missing)}")])
    blocks: dict[str, str] = {}
    bad: list[tuple[int, str]] = []
    good = 0
    for number, row in enumerate(reader, start=2):
        row = {k: (v or "").strip() for k, v in row.items() if k}
        try:
            made = _row_blocks(row, known, types, by_doi, by_url)
        except ValueError as error:
            bad.append((number, str(error)))
            continue
        for subject, block in made.items():
            blocks.setdefault(subject, block)
        good += 1
    return ImportResult(_document(blocks), good, bad)


def _row_blocks(
    row: dict, known: set[str], types: set[str], by_doi: dict, by_url: dict
) -> dict[str, str]:
    for column in REQUIRED:
        if not row.get(column):
            raise ValueError(f"'{column}' is empty")
    blocks = {}
    intervention = ID_IRI + "intervention/" + _slug_of(row["intervention"], "intervention")
    if intervention not in known:
        blocks[intervention] = _new_intervention(intervention, row, types)
    harm = ID_IRI + "harm/" + _slug_of(row["harm"], "harm")
    if harm not in known:
        blocks[harm] = _new_harm(harm, row, known)
    source = _source(row, known, by_doi, by_url, blocks)
    kind = KINDS.get(row["evidence_kind"].lower())
    direction = DIRECTIONS.get(row["direction"].lower())
    confidence = CONFIDENCES.get(row["confidence"].lower())
    if not kind:
        raise ValueError(
            f"evidence_kind {row['evidence_kind']!r} is not one of {sorted(set(KINDS.values()))}"
        )
    if not direction:
        raise ValueError(f"direction {row['direction']!r} is not supports, disputes or mixed")
    if not confidence:
        raise ValueError(f"confidence {row['confidence']!r} is not high, moderate or low")
    if len(row["rationale"]) < 10:
        raise ValueError("rationale is shorter than 10 characters")
    claim = ID_IRI + "claim/" + _new_slug("|".join(row[c] for c in REQUIRED))
    blocks[claim] = (
        f"<{claim}>\n    a hg:Claim ;\n    rdf:subject <{intervention}> ;\n    rdf:predicate hg:addresses ;\n"
        f"    rdf:object <{harm}> ;\n"
        f"    hg:citation [ a hg:Citation ; hg:source <{source}> ; hg:locator {_lit(row['locator'], None)} ] ;\n"
        f"    hg:evidenceKind hg:{kind} ;\n    hg:direction hg:{direction} ;\n    hg:confidence hg:{confidence} ;\n"
        f"    hg:confidenceRationale {_lit(row['rationale'])} ;\n"
        f'    dcterms:created "{_today()}"^^xsd:date .\n'
    )
    return blocks


def _new_intervention(iri: str, row: dict, types: set[str]) -> str:
    slug = iri.rsplit("/", 1)[1]
    if not _SLUG.match(slug):
        raise ValueError(
            f"intervention slug {slug!r} must be lower-case letters, digits and hyphens"
        )
    for column in (
        "intervention_label",
        "intervention_definition",
        "intervention_type",
        "stage",
        "prevention_level",
    ):
        if not row.get(column):
            raise ValueError(f"intervention {slug!r} is new, so '{column}' is needed")
    parent = ID_IRI + "intervention/" + _slug_of(row["intervention_type"], "intervention")
    if parent not in types:
        raise ValueError(
            f"intervention_type {row['intervention_type']!r} is not an intervention type"
        )
    stage = row["stage"] if row["stage"].startswith("Stage") else ""
    level = LEVELS.get(row["prevention_level"].lower())
    if not stage or not level:
        raise ValueError(
            "stage must be a name such as StageLawPolicy, prevention_level primary, secondary or tertiary"
        )
    extra = ""
    if row.get("intervention_jurisdiction"):
        extra = f"    hg:jurisdiction {_lit(row['intervention_jurisdiction'], None)} ;\n"
    return (
        f"<{iri}>\n    a hg:Intervention, skos:Concept ;\n    skos:prefLabel {_lit(row['intervention_label'])} ;\n"
        f"    skos:definition {_lit(row['intervention_definition'])} ;\n"
        f"    skos:inScheme <{ID_IRI}scheme/intervention> ;\n    skos:broader <{parent}> ;\n{extra}"
        f"    hg:lifecycleStage hg:{stage} ;\n    hg:preventionLevel hg:{level} .\n"
    )


def _new_harm(iri: str, row: dict, known: set[str]) -> str:
    slug = iri.rsplit("/", 1)[1]
    if not _SLUG.match(slug):
        raise ValueError(f"harm slug {slug!r} must be lower-case letters, digits and hyphens")
    for column in ("harm_label", "harm_definition"):
        if not row.get(column):
            raise ValueError(f"harm {slug!r} is new, so '{column}' is needed")
    place = f"    skos:topConceptOf <{ID_IRI}scheme/harm> .\n"
    if row.get("harm_broader"):
        broader = ID_IRI + "harm/" + _slug_of(row["harm_broader"], "harm")
        if broader not in known:
            raise ValueError(f"harm_broader {row['harm_broader']!r} is not a harm in the graph")
        place = f"    skos:broader <{broader}> .\n"
    return (
        f"<{iri}>\n    a hg:Harm, skos:Concept ;\n    skos:prefLabel {_lit(row['harm_label'])} ;\n"
        f"    skos:definition {_lit(row['harm_definition'])} ;\n    skos:inScheme <{ID_IRI}scheme/harm> ;\n{place}"
    )


def _source(row: dict, known: set[str], by_doi: dict, by_url: dict, blocks: dict) -> str:
    value = row["source"]
    existing = ID_IRI + "source/" + _slug_of(value, "source")
    if existing in known:
        return existing
    doi = re.sub(r"^(https?://(dx\.)?doi\.org/|doi:)", "", value, flags=re.I)
    if re.fullmatch(r"10\.\d{4,9}/\S+", doi):
        if doi.lower() in by_doi:
            return by_doi[doi.lower()]
        identifier = f"    bibo:doi {_lit(doi, None)} ;\n"
    elif re.fullmatch(r"https?://\S+", value):
        if value.rstrip("/") in by_url:
            return by_url[value.rstrip("/")]
        identifier = f"    schema:url {_lit(value, None)} ;\n"
    else:
        raise ValueError(
            f"source {value!r} is neither a source in the graph nor a DOI or http(s) URL"
        )
    for column in ("source_title", "source_year", "source_kind"):
        if not row.get(column):
            raise ValueError(f"source {value!r} is new, so '{column}' is needed")
    if not re.fullmatch(r"[12]\d{3}", row["source_year"]):
        raise ValueError(f"source_year {row['source_year']!r} is not a four-digit year")
    if row["source_kind"] not in SOURCE_KINDS:
        raise ValueError(
            f"source_kind {row['source_kind']!r} is not one of {', '.join(SOURCE_KINDS)}"
        )
    people = [a.strip() for a in row.get("source_authors", "").split(";") if a.strip()]
    if not people and not row.get("source_publisher"):
        raise ValueError(
            f"source {value!r} is new, so 'source_authors' or 'source_publisher' is needed"
        )
    iri = ID_IRI + "source/" + _new_slug(value.lower())
    who = "".join(f"    dcterms:creator {_lit(p, None)} ;\n" for p in people)
    if row.get("source_publisher"):
        who += f"    dcterms:publisher {_lit(row['source_publisher'], None)} ;\n"
    blocks.setdefault(
        iri,
        f"<{iri}>\n    a hg:EvidenceSource ;\n    dcterms:title {_lit(row['source_title'])} ;\n{who}"
        f'    dcterms:date "{row["source_year"]}"^^xsd:gYear ;\n{identifier}'
        f"    hg:sourceKind hg:{row['source_kind']} .\n",
    )
    return iri


def _today() -> str:
    import datetime as dt

    return dt.date.today().isoformat()


def _document(blocks: dict[str, str]) -> str:
    head = (
        "# Claims imported with `harmgraph import`.\n"
        "@prefix hg: <https://w3id.org/harmgraph/ontology#> .\n"
        "@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .\n"
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        "@prefix dcterms: <http://purl.org/dc/terms/> .\n"
        "@prefix bibo: <http://purl.org/ontology/bibo/> .\n"
        "@prefix schema: <https://schema.org/> .\n"
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n\n"
    )
    return head + "\n".join(blocks[k] for k in sorted(blocks))
