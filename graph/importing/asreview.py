"""Screening decisions from ASReview LAB: its exported dataset, as CSV or as RIS.

ASReview LAB exports a project's dataset with each record's label: in CSV a column
``asreview_label`` (1 relevant, 0 irrelevant, empty not yet seen; older exports call it
``included``), in RIS a note ``ASReview_relevant``, ``ASReview_irrelevant`` or
``ASReview_not_seen``, with the screener's note (``asreview_note``) and tags
(``asreview_tag_<group>_<tag>``). Each labelled entry is matched to a record of the review:
by its ``ID`` (the record's IRI, as ``harmgraph export --format ris --review`` writes it), else
by DOI, else by title and year (as :mod:`.dedup` matches); an entry that matches a duplicate
decides the record it copies.

What a label decides depends on the stage the team screened in ASReview (``stage``):

- ``title-abstract``: relevant records await full-text assessment (``hg:AwaitingAssessment``);
  irrelevant ones are excluded at screening, with ``off-topic``, ``no-ai-dimension`` or
  ``operational-detail``;
- ``full-text``: relevant records are included, each as an evidence source (the one in the
  graph with its DOI or address, or a new one from the record's title, authors, year and RIS
  type); irrelevant ones are excluded with a reason from the closed list.

An irrelevant record's reason comes from its note (``reason: off-topic``, or the reason alone),
a tag group exported as ``reason``, or a ``reason`` or ``exclusion_reason`` column; a reason
that maps to nothing on the closed list is refused, and so is an irrelevant record with no
reason, unless the team states one for all of them (``default_reason``). A record left
unlabelled stays as it was: unscreened records are not excluded.

Examples
--------
>>> reason_of("Reason: No AI dimension"), reason_of("off_topic"), reason_of("see the PDF")
('NoAIDimension', 'OffTopic', None)
>>> reason_of("reason: wrong population")  # doctest: +ELLIPSIS
Traceback (most recent call last):
ValueError: the reason 'wrong population' is not on the closed list: off-topic, ...
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field

import rdflib
from rdflib import URIRef

from harmgraph.importing.dedup import Record, is_preprint, normalise_doi, normalise_title
from harmgraph.importing.review_file import ReviewFile, write_review
from harmgraph.importing.ris import decode_ris, read_ris
from harmgraph.importing.rows import HG, CheckContext, ImportResult, resolve_source
from harmgraph.importing.screening import REASONS
from harmgraph.model.evidence import read_evidence
from harmgraph.model.screening import AT_SCREENING
from harmgraph.rdf.load import LoadedGraph

__all__ = ["Decisions", "import_asreview", "is_asreview_csv", "is_asreview_ris", "reason_of"]

TITLE = "A review's searches and screening records, with decisions from ASReview LAB."
LABELS = {"ASReview_relevant": 1, "ASReview_irrelevant": 0, "ASReview_not_seen": None}
REASON_NOTE = re.compile(r"^\s*(exclusion\s+reason|reason|excluded)\s*[:=]\s*(.+)$", re.I | re.S)
REASON_GROUPS = ("reason", "exclusion_reason", "exclusion-reason")
REASON_COLUMNS = ("reason", "exclusion_reason")
#: RIS reference types and the kind of source each is (for a record included at full text).
SOURCE_KINDS = {
    "JOUR": "PeerReviewedArticle",
    "JFULL": "PeerReviewedArticle",
    "UNPB": "Preprint",
    "MANSCPT": "Preprint",
    "RPRT": "Report",
    "GOVDOC": "Report",
    "BILL": "Legislation",
    "STAT": "Legislation",
    "LEGAL": "Legislation",
    "CASE": "CourtDecision",
    "DATA": "Dataset",
    "STAND": "Guidance",
}
_CANONICAL = {re.sub(r"[^a-z]", "", name): term for name, term in REASONS.items()}
_CANONICAL |= {term.lower(): term for term in REASONS.values()}


def reason_of(text: str) -> str | None:
    """The closed list's reason a note or a cell names (``reason: X``, or the reason alone),
    None when it names none, and a ``ValueError`` when it names one not on the list."""
    found = REASON_NOTE.match(text or "")
    value = found.group(2) if found else (text or "")
    term = _CANONICAL.get(re.sub(r"[^a-z]", "", value.lower()))
    if term is None and found:
        raise ValueError(
            f"the reason {value.strip()[:60]!r} is not on the closed list: {', '.join(REASONS)}"
        )
    return term


def is_asreview_ris(text: str) -> bool:
    """Whether a RIS text is an ASReview LAB export (its entries carry ASReview's labels)."""
    return any(f"N1  - {label}" in text for label in LABELS)


def is_asreview_csv(header: list[str]) -> bool:
    """Whether a CSV header is an ASReview LAB export's (it has a label column)."""
    return "asreview_label" in header or ("included" in header and "title" in header)


@dataclass
class _Entry:
    number: int
    line: int
    label: int | None
    id: str = ""
    title: str = ""
    year: str = ""
    doi: str = ""
    url: str = ""
    reasons: list[str] = field(default_factory=list)


@dataclass
class Decisions(ImportResult):
    """The decisions applied, counted by what they did, and the entries left unlabelled."""

    counts: dict[str, int] = field(default_factory=dict)


def import_asreview(
    data: bytes,
    kind: str,
    graph: LoadedGraph,
    review: ReviewFile,
    *,
    stage: str = "title-abstract",
    default_reason: str | None = None,
    skip_bad: bool = False,
) -> Decisions:
    """Apply the labels of an ASReview export (``kind`` ``csv`` or ``ris``) to ``review``'s
    records; bad entries are (line, reason) in ``bad``, and unless ``skip_bad`` nothing is
    built when there is one."""
    if not review.exists:
        raise ValueError("the review has no file yet: import its searches (RIS) first")
    entries, bad = _read_csv(data) if kind == "csv" else _read_ris(data)
    # A CSV's rows are numbered as in the other CSV imports; a RIS file's entries by number.
    where = "" if kind == "csv" else "entry {}: "
    match = _Matcher(review)
    evidence = read_evidence(graph)
    context = CheckContext.of(evidence, known=set(evidence.entities))
    counts = dict.fromkeys(("relevant", "irrelevant", "unlabelled", "unchanged"), 0)
    decided: dict[str, tuple[int, int | None]] = {}
    rows: dict[str, int] = {}
    changes = []
    for entry in entries:
        try:
            if entry.label is None:
                counts["unlabelled"] += 1
                continue
            record = match.record(entry)
            earlier = decided.get(record.iri)
            if earlier and earlier[1] != entry.label:
                raise ValueError(
                    f"the same record as entry {earlier[0]} ({record.iri.rsplit('#', 1)[-1]}), "
                    "with another label"
                )
            decided[record.iri] = (entry.number, entry.label)
            change = _decide(entry, record, stage, default_reason, context, review)
        except ValueError as error:
            bad.append((entry.line, where.format(entry.number) + str(error)))
            continue
        if change is None:
            counts["unchanged"] += 1
            continue
        changes.append(change)
        rows[record.iri] = entry.line
        counts["relevant" if entry.label else "irrelevant"] += 1
    if bad and not skip_bad:
        return Decisions("", 0, sorted(bad), counts=counts)
    for change in changes:
        change(review.graph)
    turtle = write_review(review.graph, "", TITLE)
    return Decisions(turtle, len(changes), sorted(bad), rows, counts=counts)


def _decide(entry, record, stage, default_reason, context, review):  # noqa: ANN001, ANN202
    """What the entry's label does to ``record``, as a function of the review's graph (None:
    nothing, for a title-and-abstract label on a record already decided at full text)."""
    node = URIRef(record.iri)
    reasons = set(entry.reasons)
    if len(reasons) > 1:
        raise ValueError(f"gives two reasons: {', '.join(sorted(reasons))}")
    full_text_decided = record.decision in ("Included", "Supporting") or (
        record.decision == "Excluded" and record.reason not in AT_SCREENING
    )
    if stage == "title-abstract" and full_text_decided:
        return None
    if entry.label == 1:
        if reasons:
            raise ValueError("is labelled relevant but gives an exclusion reason")
        if stage == "title-abstract":
            return _setter(node, HG.AwaitingAssessment)
        source = _source(record, context, review)
        return _setter(node, HG.Included, source=source)
    reason = next(iter(reasons), None) or (REASONS[default_reason] if default_reason else None)
    if reason is None:
        raise ValueError(
            "is labelled irrelevant with no reason: give one in its note ('reason: off-topic'), "
            "a 'reason' tag group or a reason column, or state one for all with --default-reason"
        )
    if reason == "Duplicate":
        raise ValueError(
            "gives 'duplicate' as its reason: harmgraph marks duplicates itself when it imports "
            "the searches, each naming the record it copies"
        )
    if stage == "title-abstract" and reason not in AT_SCREENING:
        allowed = ", ".join(k for k, v in REASONS.items() if v in AT_SCREENING)
        raise ValueError(
            f"gives {reason!r}, a reason for excluding a full report: at the title-and-abstract "
            f"stage a record is excluded as {allowed} (or import with --stage full-text)"
        )
    return _setter(node, HG.Excluded, reason=HG[reason])


def _setter(node: URIRef, decision: URIRef, reason=None, source=None):  # noqa: ANN001, ANN202
    def change(graph) -> None:  # noqa: ANN001 - the review's rdflib graph
        for predicate in (HG.decision, HG.exclusionReason, HG.includedSource):
            graph.remove((node, predicate, None))
        graph.add((node, HG.decision, decision))
        if reason is not None:
            graph.add((node, HG.exclusionReason, reason))
        if source is not None:
            staged, iri = source
            graph += staged
            graph.add((node, HG.includedSource, URIRef(iri)))

    return change


def _source(record, context: CheckContext, review: ReviewFile):  # noqa: ANN001, ANN202
    """The evidence source an included record becomes: the graph's source with its DOI or
    address, or a new one described by the record."""
    kind = SOURCE_KINDS.get(record.kind.upper())
    if kind == "PeerReviewedArticle" and is_preprint(Record("", "", "", record.doi, record.url)):
        kind = "Preprint"
    address = record.doi or record.url
    if not address:
        raise ValueError("is included, so it needs a DOI or an address to become a source")
    row = {
        "source": address,
        "source_title": record.title,
        "source_year": record.year,
        "source_kind": kind or "",
        "source_authors": "; ".join(record.authors),
    }
    known = context.by_doi.get(normalise_doi(record.doi), "") if record.doi else ""
    if not known and record.url:
        known = context.by_url.get(record.url.rstrip("/"), "")
    if not known and not kind:
        raise ValueError(
            f"is included, but its RIS type {record.kind or '(none)'!r} does not say what kind "
            f"of source it is: give it one of {', '.join(sorted(SOURCE_KINDS))}"
        )
    if not known and not record.year:
        raise ValueError("is included, so it needs a year (PY) to become a source")
    if not known and not record.authors:
        raise ValueError("is included, so it needs its authors (AU) to become a source")
    staged = rdflib.Graph()
    iri = resolve_source(row, "source", context, staged)
    return staged, iri


class _Matcher:
    """The review's records by IRI, DOI and title-and-year; a duplicate leads to its original."""

    def __init__(self, review: ReviewFile) -> None:
        self.by_iri = {r.iri: r for r in review.records}
        self.by_doi: dict[str, object] = {}
        self.by_title: dict[tuple[str, str], list] = {}
        for record in review.records:
            if record.reason == "Duplicate":
                continue
            if record.doi:
                self.by_doi.setdefault(normalise_doi(record.doi), record)
            if record.year:
                key = (normalise_title(record.title), record.year)
                self.by_title.setdefault(key, []).append(record)
        self.slug = str(review.iri).rsplit("/", 1)[-1]

    def record(self, entry: _Entry):  # noqa: ANN201 - a KnownRecord
        found = self.by_iri.get(entry.id)
        if found is None and entry.doi:
            found = self.by_doi.get(normalise_doi(entry.doi))
        if found is None and entry.year:
            here = Record("", entry.title, entry.year, entry.doi, entry.url)
            candidates = self.by_title.get((normalise_title(entry.title), entry.year), [])
            found = next(
                (
                    r
                    for r in candidates
                    if not (r.doi and entry.doi)
                    and is_preprint(Record("", "", "", r.doi, r.url)) == is_preprint(here)
                ),
                None,
            )
        if found is None:
            raise ValueError(
                f"matches no record of review {self.slug!r} (by ID, DOI, or title and year)"
            )
        while found.duplicate_of and found.duplicate_of in self.by_iri:
            found = self.by_iri[found.duplicate_of]
        return found


def _read_ris(data: bytes) -> tuple[list[_Entry], list[tuple[int, str]]]:
    entries, bad = read_ris(decode_ris(data))
    out = []
    for entry in entries:
        labels = [LABELS[n] for n in entry.notes if n in LABELS]
        reasons = []
        try:
            for note in entry.notes:
                name, _, value = note.partition(": ")
                if name == "asreview_note":
                    found = reason_of(json.loads(value) if value.startswith('"') else value)
                    reasons += [found] if found else []
                elif name.startswith("asreview_tag_") and value.strip() == "1":
                    reasons += _tag_reason(name)
        except ValueError as error:
            bad.append((entry.line, f"entry {entry.number}: {error}"))
            continue
        out.append(
            _Entry(
                entry.number,
                entry.line,
                labels[0] if labels else None,
                entry.id,
                entry.title,
                entry.year,
                entry.doi,
                entry.url,
                reasons,
            )
        )
    return out, bad


def _tag_reason(column: str) -> list[str]:
    """The reason an ASReview tag names, when its group is the reason group."""
    rest = column[len("asreview_tag_") :]
    for group in REASON_GROUPS:
        if rest.startswith(group + "_"):
            tag = rest[len(group) + 1 :]
            found = reason_of(tag)
            if found is None:
                raise ValueError(
                    f"the reason tag {tag!r} is not on the closed list: {', '.join(REASONS)}"
                )
            return [found]
    return []


def _read_csv(data: bytes) -> tuple[list[_Entry], list[tuple[int, str]]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ValueError(f"is not UTF-8 CSV: {error}") from None
    reader = csv.DictReader(io.StringIO(text))
    header = reader.fieldnames or []
    label_column = "asreview_label" if "asreview_label" in header else "included"
    entries, bad = [], []
    for number, row in enumerate(reader, start=2):
        row = {k: (v or "").strip() for k, v in row.items() if k}
        try:
            label = {"1": 1, "0": 0, "": None, "-1": None}.get(row.get(label_column, ""), "?")
            if label == "?":
                raise ValueError(f"{label_column} {row[label_column]!r} is not 1, 0 or empty")
            reasons = []
            for column in REASON_COLUMNS:
                if row.get(column):
                    found = reason_of(row[column])
                    if found is None:
                        raise ValueError(
                            f"{column} {row[column][:60]!r} is not on the closed list: "
                            f"{', '.join(REASONS)}"
                        )
                    reasons.append(found)
            found = reason_of(row.get("asreview_note", ""))
            reasons += [found] if found else []
            for column, value in row.items():
                if column.startswith("asreview_tag_") and value == "1":
                    reasons += _tag_reason(column)
        except ValueError as error:
            bad.append((number, str(error)))
            continue
        urls = [u for u in re.split(r"[;\s]+", row.get("urls", "")) if u]
        entries.append(
            _Entry(
                number,
                number,
                label,
                row.get("id", ""),
                row.get("title") or row.get("primary_title", ""),
                (row.get("year") or row.get("publication_year") or "")[:4],
                row.get("doi", ""),
                urls[0] if urls else "",
                reasons,
            )
        )
    return entries, bad
