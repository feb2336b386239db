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

Optional on every row: ``date``, the day the claim was recorded (``YYYY-MM-DD``, its
``dcterms:created``); an empty cell, or no such column, takes the ``date`` given to
:func:`import_claims` (``--date``). Today's date is never used, so the same CSV gives the same
Turtle on any day.

Every cell that names an entity is read by the one slug rule (:func:`harmgraph.model.slugs.slug_in`):
``kind/slug``, the slug alone or the full IRI, and nothing else. An entity made on one row is
known to the rows after it: they may name it alone, and a row that repeats its columns must
repeat them exactly.

Examples
--------
>>> from pathlib import Path
>>> from harmgraph.rdf.load import load_graph
>>> example = Path(__file__).resolve().parents[2] / "examples" / "claims.csv"
>>> result = import_claims(example.read_text(encoding="utf-8"), load_graph(), "2026-12-01")
>>> result.bad, result.good > 0
([], True)
>>> '"2026-12-01"^^xsd:date' in result.turtle
True
"""

from __future__ import annotations

import datetime as dt
import re

import rdflib
from rdflib import RDF, XSD, BNode, Literal, URIRef

from harmgraph.importing.rows import (
    DCTERMS,
    HG,
    SKOS,
    CheckContext,
    ImportResult,
    did_you_mean,
    english,
    import_rows,
    require,
    resolve_source,
    shown,
)
from harmgraph.model.evidence import read_evidence
from harmgraph.model.slugs import SLUG_RULE, hashed_slug, slug_in
from harmgraph.rdf.load import LoadedGraph
from harmgraph.rdf.namespaces import ID_IRI

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
#: The columns that describe a new intervention, and a new harm.
INTERVENTION_COLUMNS = (
    "intervention_label",
    "intervention_definition",
    "intervention_type",
    "stage",
    "prevention_level",
    "intervention_jurisdiction",
)
HARM_COLUMNS = ("harm_label", "harm_definition", "harm_broader")
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


def import_claims(text: str, graph: LoadedGraph, date: str | None = None) -> ImportResult:
    """Check every row against ``graph`` (the graph the claims will join) and build Turtle.

    ``date`` (``YYYY-MM-DD``) is the ``dcterms:created`` of every claim whose row has no
    ``date`` of its own; a row with neither is refused.
    """
    if date is not None:
        check_date(date, "--date")
    evidence = read_evidence(graph)
    context = CheckContext.of(evidence, known=set(evidence.entities))
    return import_rows(
        text,
        REQUIRED,
        lambda row, staged: _row_triples(row, context, staged, date),
        "Claims imported with `harmgraph import`.",
        context=context,
    )


def check_date(value: str, what: str) -> str:
    """``value`` when it is a real ``YYYY-MM-DD`` date, else ``ValueError`` naming ``what``.

    >>> check_date("2026-02-30", "date")
    Traceback (most recent call last):
    ...
    ValueError: date '2026-02-30' is not a date YYYY-MM-DD
    """
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        pass
    raise ValueError(f"{what} {shown(value)} is not a date YYYY-MM-DD")


def _iri(row: dict, column: str, kind: str) -> str:
    """The IRI a cell names by the one slug rule; anything else is refused on the row."""
    slug = slug_in(row[column], kind)
    if slug is None:
        raise ValueError(
            f"{column} {shown(row[column])} is not {kind}/<slug> or a slug ({SLUG_RULE})"
        )
    return ID_IRI + kind + "/" + slug


def _close_to_known(iri: str, kind: str, context: CheckContext) -> str:
    """A "did you mean" for a new entity whose slug is close to a known one of its kind."""
    slug = iri.rsplit("/", 1)[1]
    return did_you_mean(slug, [s for s in context.slugs(kind) if s != slug], kind)


def _row_triples(
    row: dict, context: CheckContext, out: rdflib.Graph, date: str | None = None
) -> list[str]:
    for column in REQUIRED:
        if not row.get(column):
            raise ValueError(f"'{column}' is empty")
    if row.get("date"):
        created = check_date(row["date"], "date")
    elif date is not None:
        created = date
    else:
        raise ValueError(
            "'date' is empty and no --date was given: give the day the claim was recorded "
            "(YYYY-MM-DD)"
        )
    made = []
    intervention = _iri(row, "intervention", "intervention")
    context.same_cells(row, intervention, f"intervention {shown(row['intervention'])}")
    if intervention not in context.known:
        _new_intervention(intervention, row, context, out)
        made.append(intervention)
    harm = _iri(row, "harm", "harm")
    context.same_cells(row, harm, f"harm {shown(row['harm'])}")
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
            f"evidence_kind {shown(row['evidence_kind'])} is not one of "
            f"{sorted(set(KINDS.values()))}"
        )
    if not direction:
        raise ValueError(f"direction {shown(row['direction'])} is not supports, disputes or mixed")
    if not confidence:
        raise ValueError(f"confidence {shown(row['confidence'])} is not high, moderate or low")
    if len(row["rationale"]) < 10:
        raise ValueError("rationale is shorter than 10 characters")
    claim = URIRef(ID_IRI + "claim/" + hashed_slug("|".join(row[c] for c in REQUIRED)))
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
    out.add((claim, HG.confidenceRationale, english(row["rationale"])))
    out.add((claim, DCTERMS.created, Literal(created, datatype=XSD.date)))
    made.append(str(claim))
    return made


def _new_intervention(iri: str, row: dict, context: CheckContext, out: rdflib.Graph) -> None:
    slug = iri.rsplit("/", 1)[1]
    close = _close_to_known(iri, "intervention", context)
    require(
        row,
        (
            "intervention_label",
            "intervention_definition",
            "intervention_type",
            "stage",
            "prevention_level",
        ),
        f"intervention {slug!r} is new",
        close,
    )
    given = slug_in(row["intervention_type"], "intervention") or ""
    if ID_IRI + "intervention/" + given not in context.types:
        types = sorted(t.rsplit("/", 1)[1] for t in context.types)
        raise ValueError(
            f"intervention_type {shown(row['intervention_type'])} is not an intervention type: "
            f"one of {', '.join(types)}" + did_you_mean(given, types)
        )
    parent = ID_IRI + "intervention/" + given
    if close:
        context.warn(f"new intervention {slug!r} is close to an existing one{close}")
    level = LEVELS.get(row["prevention_level"].lower())
    if row["stage"] not in STAGES or not level:
        raise ValueError(
            f"stage must be one of {', '.join(STAGES)}; prevention_level primary, secondary "
            "or tertiary"
        )
    subject = URIRef(iri)
    out.add((subject, RDF.type, HG.Intervention))
    out.add((subject, RDF.type, SKOS.Concept))
    out.add((subject, SKOS.prefLabel, english(row["intervention_label"])))
    out.add((subject, SKOS.definition, english(row["intervention_definition"])))
    out.add((subject, SKOS.inScheme, URIRef(ID_IRI + "scheme/intervention")))
    out.add((subject, SKOS.broader, URIRef(parent)))
    out.add((subject, HG.lifecycleStage, HG[row["stage"]]))
    out.add((subject, HG.preventionLevel, HG[level]))
    if row.get("intervention_jurisdiction"):
        out.add((subject, HG.jurisdiction, Literal(row["intervention_jurisdiction"])))
    context.add(iri, {c: row.get(c, "") for c in INTERVENTION_COLUMNS})


def _new_harm(iri: str, row: dict, context: CheckContext, out: rdflib.Graph) -> None:
    slug = iri.rsplit("/", 1)[1]
    close = _close_to_known(iri, "harm", context)
    require(row, ("harm_label", "harm_definition"), f"harm {slug!r} is new", close)
    if close:
        context.warn(f"new harm {slug!r} is close to an existing one{close}")
    subject = URIRef(iri)
    out.add((subject, RDF.type, HG.Harm))
    out.add((subject, RDF.type, SKOS.Concept))
    out.add((subject, SKOS.prefLabel, english(row["harm_label"])))
    out.add((subject, SKOS.definition, english(row["harm_definition"])))
    out.add((subject, SKOS.inScheme, URIRef(ID_IRI + "scheme/harm")))
    if row.get("harm_broader"):
        given = slug_in(row["harm_broader"], "harm") or ""
        broader = ID_IRI + "harm/" + given
        if broader not in context.known:
            raise ValueError(
                f"harm_broader {shown(row['harm_broader'])} is not a harm in the graph"
                + did_you_mean(given, context.slugs("harm"), "harm")
            )
        out.add((subject, SKOS.broader, URIRef(broader)))
    else:
        out.add((subject, SKOS.topConceptOf, URIRef(ID_IRI + "scheme/harm")))
    context.add(iri, {c: row.get(c, "") for c in HARM_COLUMNS})
