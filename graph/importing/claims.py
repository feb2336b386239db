"""Turn a CSV of coded studies (one row per claim) into Turtle that conforms to the shapes.

The output is built from RDF terms and written by rdflib's Turtle serialiser, never by
formatting strings, so no cell can break the syntax or add a triple of its own: quotes,
backslashes, ``<``, ``>``, ``#``, ``;`` and Turtle-looking text come back exactly as written.

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
rationale                 why this confidence
========================  ==================================================================

Only for a **new** intervention: ``intervention_label``, ``intervention_definition``,
``intervention_type`` (an existing type slug), ``stage`` (e.g. ``StageLawPolicy``) and
``prevention_level`` (``primary``, ``secondary``, ``tertiary``); optional
``intervention_jurisdiction``. Only for a **new** harm: ``harm_label``, ``harm_definition``,
optional ``harm_broader``. Only for a **new** source (a DOI or URL not in the graph):
``source_title``, ``source_year``, ``source_authors`` (``;``-separated, in the order of the
source's own record: the order is kept in ``bibo:authorList``) or ``source_publisher``, and
``source_kind`` (e.g. ``PeerReviewedArticle``, ``Report``).

Examples
--------
>>> from pathlib import Path
>>> from harmgraph.rdf.load import load_graph
>>> example = Path(__file__).resolve().parents[2] / "examples" / "claims.csv"
>>> result = import_claims(example.read_text(encoding="utf-8"), load_graph())
>>> result.bad, result.good > 0
([], True)
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import rdflib
from rdflib import RDF, XSD, BNode, Literal, URIRef
from rdflib.collection import Collection

from harmgraph.model.evidence import Evidence, read_evidence
from harmgraph.rdf.load import LoadedGraph
from harmgraph.rdf.namespaces import HG_IRI, ID_IRI, PREFIXES

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
STAGES = (
    "StageDataTraining",
    "StageModelRelease",
    "StageDeploymentHosting",
    "StageDistributionPlatform",
    "StageOffenderPrevention",
    "StageVictimSupport",
    "StageLawPolicy",
    "StageEducation",
)
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
_DOI = re.compile(r"10\.\d{4,9}/\S+")
_URL = re.compile(r"https?://[^\s<>\"{}|\\^`]+")

HG = rdflib.Namespace(HG_IRI)
SKOS = rdflib.Namespace(PREFIXES["skos"])
DCTERMS = rdflib.Namespace(PREFIXES["dcterms"])
BIBO = rdflib.Namespace(PREFIXES["bibo"])
SCHEMA = rdflib.Namespace(PREFIXES["schema"])


@dataclass
class ImportResult:
    """Turtle for the good rows, (row number, reason) for every bad row, and for every
    subject written, the CSV row that made it (so errors can name the row)."""

    turtle: str
    good: int
    bad: list[tuple[int, str]] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)


def new_graph() -> rdflib.Graph:
    """An empty rdflib graph with harmgraph's prefixes bound."""
    graph = rdflib.Graph()
    for prefix in ("hg", "rdf", "skos", "dcterms", "bibo", "schema", "xsd", "prov"):
        graph.bind(prefix, PREFIXES[prefix], override=True)
    for kind in ("harm", "intervention", "source", "claim", "scheme", "review"):
        graph.bind(kind, ID_IRI + kind + "/", override=True)
    return graph


def serialise(graph: rdflib.Graph, title: str) -> str:
    """Turtle for ``graph`` with a one-line comment header (rdflib writes the terms)."""
    body = graph.serialize(format="turtle")
    return f"# {title}\n" + body


def import_claims(text: str, graph: LoadedGraph) -> ImportResult:
    """Check every row against ``graph`` (the graph the claims will join) and build Turtle."""
    evidence = read_evidence(graph)
    context = _Context.of(evidence, known=set(evidence.entities))
    return import_rows(
        text,
        REQUIRED,
        lambda row, staged: _row_triples(row, context, staged),
        "Claims imported with `harmgraph import`.",
    )


def import_rows(
    text: str,
    required: tuple[str, ...],
    row_triples: Callable[[dict[str, str], rdflib.Graph], Iterable[str]],
    title: str,
) -> ImportResult:
    """The loop both importers share: check the header, give each row (cells stripped) to
    ``row_triples`` with an empty graph to fill, and keep the row's triples only when it
    raises no ``ValueError``; the subjects it returns are mapped to their first row."""
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in required if c not in (reader.fieldnames or [])]
    if missing:
        return ImportResult("", 0, [(1, f"the header lacks the column(s) {', '.join(missing)}")])
    out = new_graph()
    bad: list[tuple[int, str]] = []
    rows: dict[str, int] = {}
    good = 0
    for number, row in enumerate(reader, start=2):
        row = {k: (v or "").strip() for k, v in row.items() if k}
        staged = rdflib.Graph()
        try:
            subjects = row_triples(row, staged)
        except ValueError as error:
            bad.append((number, str(error)))
            continue
        out += staged
        for subject in subjects:
            rows.setdefault(subject, number)
        good += 1
    return ImportResult(serialise(out, title), good, bad, rows)


@dataclass
class _Context:
    known: set[str]
    types: set[str]
    by_doi: dict[str, str]
    by_url: dict[str, str]

    @classmethod
    def of(cls, evidence: Evidence, known: set[str]) -> _Context:
        """What rows are checked against: ``known`` IRIs, the intervention types, and each
        source by DOI and by address."""
        records = evidence.source_records
        return cls(
            known=known,
            types={e.iri for e in evidence.of_kind("intervention") if e.top},
            by_doi={r["doi"].lower(): r["source"] for r in records if r["doi"]},
            by_url={r["url"].rstrip("/"): r["source"] for r in records if r["url"]},
        )


def slug_of(value: str, kind: str) -> str:
    """The slug in ``kind/slug``, a full IRI or a bare slug.

    >>> slug_of("intervention/hash-matching", "intervention")
    'hash-matching'
    """
    value = value.strip()
    for prefix in (ID_IRI + kind + "/", kind + "/"):
        value = value.removeprefix(prefix)
    return value


def _new_slug(text: str) -> str:
    return "import-" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]


def _text(value: str) -> Literal:
    return Literal(value, lang="en")


def _row_triples(row: dict, context: _Context, out: rdflib.Graph) -> list[str]:
    for column in REQUIRED:
        if not row.get(column):
            raise ValueError(f"'{column}' is empty")
    made = []
    intervention = ID_IRI + "intervention/" + slug_of(row["intervention"], "intervention")
    if intervention not in context.known:
        _new_intervention(intervention, row, context, out)
        made.append(intervention)
    harm = ID_IRI + "harm/" + slug_of(row["harm"], "harm")
    if harm not in context.known:
        _new_harm(harm, row, context, out)
        made.append(harm)
    source = resolve_source(row, "source", context, out)
    if source not in context.known:
        made.append(source)
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
    claim = URIRef(ID_IRI + "claim/" + _new_slug("|".join(row[c] for c in REQUIRED)))
    citation = BNode()
    out.add((claim, RDF.type, HG.Claim))
    out.add((claim, RDF.subject, URIRef(intervention)))
    out.add((claim, RDF.predicate, HG.addresses))
    out.add((claim, RDF.object, URIRef(harm)))
    out.add((claim, HG.citation, citation))
    out.add((citation, RDF.type, HG.Citation))
    out.add((citation, HG.source, URIRef(source)))
    out.add((citation, HG.locator, Literal(row["locator"])))
    out.add((claim, HG.evidenceKind, HG[kind]))
    out.add((claim, HG.direction, HG[direction]))
    out.add((claim, HG.confidence, HG[confidence]))
    out.add((claim, HG.confidenceRationale, _text(row["rationale"])))
    out.add((claim, DCTERMS.created, Literal(dt.date.today().isoformat(), datatype=XSD.date)))
    made.append(str(claim))
    return made


def _require(row: dict, columns: tuple[str, ...], why: str) -> None:
    for column in columns:
        if not row.get(column):
            raise ValueError(f"{why}, so '{column}' is needed")


def _new_intervention(iri: str, row: dict, context: _Context, out: rdflib.Graph) -> None:
    slug = iri.rsplit("/", 1)[1]
    if not _SLUG.match(slug):
        raise ValueError(
            f"intervention slug {slug!r} must be lower-case letters, digits and hyphens"
        )
    _require(
        row,
        (
            "intervention_label",
            "intervention_definition",
            "intervention_type",
            "stage",
            "prevention_level",
        ),
        f"intervention {slug!r} is new",
    )
    parent = ID_IRI + "intervention/" + slug_of(row["intervention_type"], "intervention")
    if parent not in context.types:
        raise ValueError(
            f"intervention_type {row['intervention_type']!r} is not an intervention type"
        )
    level = LEVELS.get(row["prevention_level"].lower())
    if row["stage"] not in STAGES or not level:
        raise ValueError(
            f"stage must be one of {', '.join(STAGES)}; prevention_level primary, secondary "
            "or tertiary"
        )
    subject = URIRef(iri)
    out.add((subject, RDF.type, HG.Intervention))
    out.add((subject, RDF.type, SKOS.Concept))
    out.add((subject, SKOS.prefLabel, _text(row["intervention_label"])))
    out.add((subject, SKOS.definition, _text(row["intervention_definition"])))
    out.add((subject, SKOS.inScheme, URIRef(ID_IRI + "scheme/intervention")))
    out.add((subject, SKOS.broader, URIRef(parent)))
    out.add((subject, HG.lifecycleStage, HG[row["stage"]]))
    out.add((subject, HG.preventionLevel, HG[level]))
    if row.get("intervention_jurisdiction"):
        out.add((subject, HG.jurisdiction, Literal(row["intervention_jurisdiction"])))


def _new_harm(iri: str, row: dict, context: _Context, out: rdflib.Graph) -> None:
    slug = iri.rsplit("/", 1)[1]
    if not _SLUG.match(slug):
        raise ValueError(f"harm slug {slug!r} must be lower-case letters, digits and hyphens")
    _require(row, ("harm_label", "harm_definition"), f"harm {slug!r} is new")
    subject = URIRef(iri)
    out.add((subject, RDF.type, HG.Harm))
    out.add((subject, RDF.type, SKOS.Concept))
    out.add((subject, SKOS.prefLabel, _text(row["harm_label"])))
    out.add((subject, SKOS.definition, _text(row["harm_definition"])))
    out.add((subject, SKOS.inScheme, URIRef(ID_IRI + "scheme/harm")))
    if row.get("harm_broader"):
        broader = ID_IRI + "harm/" + slug_of(row["harm_broader"], "harm")
        if broader not in context.known:
            raise ValueError(f"harm_broader {row['harm_broader']!r} is not a harm in the graph")
        out.add((subject, SKOS.broader, URIRef(broader)))
    else:
        out.add((subject, SKOS.topConceptOf, URIRef(ID_IRI + "scheme/harm")))


def resolve_source(row: dict, column: str, context: _Context, out: rdflib.Graph) -> str:
    """The IRI of the source named in ``row[column]``: an existing source (by slug, DOI or
    URL), or a new one described by the row's ``source_*`` columns, added to ``out``."""
    value = row[column]
    existing = ID_IRI + "source/" + slug_of(value, "source")
    if existing in context.known:
        return existing
    doi = re.sub(r"^(https?://(dx\.)?doi\.org/|doi:)", "", value, flags=re.I)
    subject_doi = url = ""
    if _DOI.fullmatch(doi):
        if doi.lower() in context.by_doi:
            return context.by_doi[doi.lower()]
        subject_doi = doi
    elif _URL.fullmatch(value):
        if value.rstrip("/") in context.by_url:
            return context.by_url[value.rstrip("/")]
        url = value
    else:
        raise ValueError(
            f"{column} {value!r} is neither a source in the graph nor a DOI or http(s) URL"
        )
    why = f"{column} {value!r} is new"
    _require(row, ("source_title", "source_year", "source_kind"), why)
    if not re.fullmatch(r"[12]\d{3}", row["source_year"]):
        raise ValueError(f"source_year {row['source_year']!r} is not a four-digit year")
    if row["source_kind"] not in SOURCE_KINDS:
        raise ValueError(
            f"source_kind {row['source_kind']!r} is not one of {', '.join(SOURCE_KINDS)}"
        )
    people = [a.strip() for a in row.get("source_authors", "").split(";") if a.strip()]
    if not people and not row.get("source_publisher"):
        raise ValueError(f"{why}, so 'source_authors' or 'source_publisher' is needed")
    iri = ID_IRI + "source/" + _new_slug(value.lower())
    subject = URIRef(iri)
    out.add((subject, RDF.type, HG.EvidenceSource))
    out.add((subject, DCTERMS.title, _text(row["source_title"])))
    for person in people:
        out.add((subject, DCTERMS.creator, Literal(person)))
    if people:
        head = BNode()
        Collection(out, head, [Literal(p) for p in people])
        out.add((subject, BIBO.authorList, head))
    if row.get("source_publisher"):
        out.add((subject, DCTERMS.publisher, Literal(row["source_publisher"])))
    out.add((subject, DCTERMS.date, Literal(row["source_year"], datatype=XSD.gYear)))
    if subject_doi:
        out.add((subject, BIBO.doi, Literal(subject_doi)))
    if url:
        out.add((subject, SCHEMA.url, Literal(url)))
    out.add((subject, HG.sourceKind, HG[row["source_kind"]]))
    context.known.add(iri)
    return iri
