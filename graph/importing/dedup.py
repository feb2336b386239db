"""True de-duplication: the same record arriving twice, and nothing else.

PRISMA 2020 counts "duplicates removed before screening": the same work retrieved again, from
another database or another query. Records are matched in two steps:

1. by **normalised DOI** (lower case, without ``https://doi.org/`` or ``doi:``, without trailing
   punctuation);
2. then, where the DOIs do not tell them apart, by **normalised title plus year** (letters and
   digits only, accents and case folded; both records need a year).

Two records are never duplicates when both have DOIs and the DOIs differ, or when one is a
preprint (an arXiv DOI or address) and the other is not: a preprint and its journal article are
two reports of one study, each screened on its own (one included, the other supporting). Two
papers with the same title in different years are different papers.

The first record of a work is kept; each later copy is a duplicate of it, and names it.

Examples
--------
>>> normalise_doi("https://doi.org/10.1234/ABC.")
'10.1234/abc'
>>> normalise_title("Déjà vu: the  Study!")
'deja vu the study'
>>> records = [
...     Record("a", "Deep fakes", "2021", "10.1/X"),
...     Record("b", "Deep fakes.", "2021", "10.1/x"),        # the same DOI, other case
...     Record("c", "Deep fakes", "2021", "10.48550/arXiv.1"),  # the preprint
...     Record("d", "Deep fakes", "2019", ""),               # another paper, same title
...     Record("e", "DEEP FAKES", "2019", ""),               # a copy of d
... ]
>>> find_duplicates(records)
{'b': 'a', 'e': 'd'}
"""

from __future__ import annotations

import re
import unicodedata
from typing import NamedTuple

__all__ = ["Record", "find_duplicates", "is_preprint", "normalise_doi", "normalise_title"]

DOI_PREFIX = re.compile(r"^\s*(https?://(dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)
#: DOIs and addresses of preprint servers: a preprint is never a duplicate of an article.
PREPRINT = re.compile(
    r"^10\.48550/|^10\.1101/|^10\.31219/|^10\.2139/ssrn|arxiv\.org/|biorxiv\.org/|medrxiv\.org/"
    r"|osf\.io/preprints|ssrn\.com/",
    re.IGNORECASE,
)


class Record(NamedTuple):
    """What de-duplication compares: a key, the title, the year, the DOI and the address."""

    key: str
    title: str
    year: str
    doi: str
    url: str = ""


def normalise_doi(doi: str) -> str:
    """A DOI as compared: lower case, without resolver prefix or trailing punctuation."""
    return DOI_PREFIX.sub("", doi).strip().rstrip(".,;").lower()


def normalise_title(title: str) -> str:
    """A title as compared: accents and case folded, letters and digits only, single spaces."""
    text = unicodedata.normalize("NFKD", title)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    return " ".join(re.sub(r"[\W_]+", " ", text).split())


def is_preprint(record: Record) -> bool:
    """Whether the record's DOI or address is a preprint server's."""
    return bool(PREPRINT.search(normalise_doi(record.doi)) or PREPRINT.search(record.url))


def _compatible(a: Record, b: Record) -> bool:
    """Whether two records with the same title and year may be one record: no two different
    DOIs, and not a preprint against an article."""
    if a.doi and b.doi and normalise_doi(a.doi) != normalise_doi(b.doi):
        return False
    return is_preprint(a) == is_preprint(b)


def find_duplicates(records: list[Record]) -> dict[str, str]:
    """Each duplicate's key, mapped to the key of the first record it copies (records in the
    order they arrived; a record already known comes before the new ones)."""
    by_doi: dict[str, Record] = {}
    by_title: dict[tuple[str, str], list[Record]] = {}
    duplicates: dict[str, str] = {}
    for record in records:
        doi = normalise_doi(record.doi) if record.doi else ""
        title = normalise_title(record.title)
        original = by_doi.get(doi) if doi else None
        if original is None and title and record.year:
            original = next(
                (r for r in by_title.get((title, record.year), []) if _compatible(r, record)),
                None,
            )
        if original is not None:
            duplicates[record.key] = original.key
            continue
        if doi:
            by_doi[doi] = record
        if title and record.year:
            by_title.setdefault((title, record.year), []).append(record)
    return duplicates
