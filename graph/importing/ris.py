"""RIS files read with rispy, one entry at a time, each bad entry reported with its number.

Every database and reference manager writes RIS: Scopus, Web of Science, PubMed, Zotero,
EndNote, and the screening tools Rayyan, Covidence and ASReview LAB. The fields are read by
rispy; this module only finds where each entry starts (a line ``TY  - ``), so that an error can
name the entry and its line, and so that one broken entry does not hide the others.

From each entry it takes what a screening record keeps: the type (``TY``), the title (``TI``,
else ``T1``), the authors in order (``AU``, else ``A1``), the year (the first four digits of
``PY``, ``Y1`` or ``DA``), the DOI (``DO``) and the first http(s) address (``UR``), with the
entry's ``ID`` and its notes (``N1``). An entry with no title, a ``DO`` that is no DOI, or no
end (``ER``) before the next entry is bad.

Examples
--------
>>> text = "TY  - JOUR\\nTI  - A study\\nAU  - Doe, Jane\\nAU  - Roe, R.\\nPY  - 2021///\\n"
>>> text += "DO  - https://doi.org/10.1234/ABC\\nER  - \\n\\n"
>>> text += "TY  - JOUR\\nAU  - No title\\nER  - \\n"
>>> entries, bad = read_ris(text)
>>> entries[0].title, entries[0].authors, entries[0].year, entries[0].doi
('A study', ['Doe, Jane', 'Roe, R.'], '2021', '10.1234/ABC')
>>> bad
[(9, 'entry 2: no title (TI or T1) - every record is screened on its title')]
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field

import rispy

from harmgraph.importing.rows import DOI, URL

__all__ = ["EncodingFailed", "RisEntry", "decode_ris", "read_ris", "split_entries"]

#: The line that starts an entry (rispy's own start tag, at the start of a line).
START = re.compile(r"^TY  - ", re.MULTILINE)
YEAR = re.compile(r"^\s*(\d{4})")
DOI_PREFIX = re.compile(r"^\s*(https?://(dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)
#: Byte-order marks and the encodings they announce.
BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


class EncodingFailed(ValueError):
    """A RIS file's bytes do not decode: ``line`` is where the first bad byte is."""

    def __init__(self, line: int, message: str) -> None:
        self.line = line
        self.message = message
        super().__init__(f"line {line}: {message}")


@dataclass
class RisEntry:
    """One RIS entry as a screening record keeps it, with where it is in its file."""

    number: int
    line: int
    kind: str = ""
    title: str = ""
    authors: list[str] = field(default_factory=list)
    year: str = ""
    doi: str = ""
    url: str = ""
    id: str = ""
    notes: list[str] = field(default_factory=list)
    fields: dict = field(default_factory=dict, repr=False)


def decode_ris(data: bytes, encoding: str | None = None) -> str:
    """The text of a RIS file: ``encoding`` when given, else as its byte-order mark says, else
    UTF-8. A byte that does not decode is a ``ValueError`` naming its line and entry.

    >>> try:
    ...     decode_ris("TY  - JOUR\\nTI  - Caf\\u00e9\\n".encode("cp1252"))
    ... except EncodingFailed as error:
    ...     print(error.line, error.message[:31])
    2 entry 1: byte 0xe9 is not UTF-8
    """
    chosen = encoding
    if chosen is None:
        chosen = next((name for bom, name in BOMS if data.startswith(bom)), "utf-8")
    try:
        return data.decode(chosen)
    except LookupError:
        raise ValueError(f"line 1: {encoding!r} is not an encoding Python knows") from None
    except UnicodeDecodeError as error:
        before = data[: error.start]
        line = before.count(b"\n") + 1
        entry = len(START.findall(before.decode(chosen, errors="replace"))) or 1
        byte = data[error.start : error.start + 1].hex()
        raise EncodingFailed(
            line,
            f"entry {entry}: byte 0x{byte} is not {_name(chosen)} - save the file as UTF-8, or "
            'give its encoding (encoding = "cp1252" in the sidecar)',
        ) from None


def _name(encoding: str) -> str:
    return "UTF-8" if encoding.replace("_", "-").lower().startswith("utf-8") else encoding


def split_entries(text: str) -> tuple[str, list[tuple[int, str]]]:
    """What comes before the first entry, and each entry's first line number and text."""
    starts = [m.start() for m in START.finditer(text)]
    if not starts:
        return text, []
    chunks = []
    line = text.count("\n", 0, starts[0]) + 1
    for begin, end in zip(starts, [*starts[1:], len(text)], strict=True):
        chunk = text[begin:end]
        chunks.append((line, chunk))
        line += chunk.count("\n")
    return text[: starts[0]], chunks


def read_ris(text: str) -> tuple[list[RisEntry], list[tuple[int, str]]]:
    """Every good entry of a RIS text, and (line, ``entry N: reason``) for every bad one."""
    preamble, chunks = split_entries(text)
    bad: list[tuple[int, str]] = []
    stray = [
        n
        for n, line in enumerate(preamble.splitlines(), start=1)
        # rispy itself skips an export's counter lines ("1.") and blank lines.
        if line.strip().lstrip("\ufeff") and not re.fullmatch(r"\s*\d+\.\s*", line)
    ]
    if stray:
        bad.append((stray[0], "text before the first entry (an entry starts with 'TY  - ')"))
    if not chunks and not stray:
        bad.append((1, "no RIS entry (an entry starts with 'TY  - ' and ends with 'ER  - ')"))
    entries = []
    for number, (line, chunk) in enumerate(chunks, start=1):
        try:
            entries.append(_entry(number, line, chunk))
        except ValueError as error:
            bad.append((line, f"entry {number}: {error}"))
    return entries, bad


def _entry(number: int, line: int, chunk: str) -> RisEntry:
    try:
        parsed = rispy.loads(chunk)
    except (rispy.parser.ParseError, KeyError, AttributeError) as error:
        text = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise ValueError(f"broken RIS: {text}") from None
    if not parsed:
        raise ValueError("no end of record ('ER  - ') before the next entry or the end of file")
    fields = parsed[0]
    title = _text(fields.get("title") or fields.get("primary_title"))
    if not title:
        raise ValueError("no title (TI or T1) - every record is screened on its title")
    doi = ""
    if fields.get("doi"):
        doi = DOI_PREFIX.sub("", _text(fields["doi"])).strip()
        if not DOI.fullmatch(doi):
            raise ValueError(f"DO {_text(fields['doi'])[:60]!r} is not a DOI (10.NNNN/...)")
    urls = [u.strip() for u in fields.get("urls") or [] if isinstance(u, str)]
    url = next((u for u in urls if URL.fullmatch(u)), "")
    year = ""
    for key in ("year", "publication_year", "date"):
        found = YEAR.match(_text(fields.get(key)))
        if found:
            year = found.group(1)
            break
    authors = [_text(a) for a in fields.get("authors") or fields.get("first_authors") or []]
    return RisEntry(
        number=number,
        line=line,
        kind=_text(fields.get("type_of_reference")),
        title=title,
        authors=[a for a in authors if a],
        year=year,
        doi=doi,
        url=url,
        id=_text(fields.get("id")),
        notes=[_text(n) for n in fields.get("notes") or []],
        fields=fields,
    )


def _text(value: object) -> str:
    """One line of text from a field (rispy gives a list for a tag that repeats)."""
    if isinstance(value, list):
        value = " ".join(str(v) for v in value)
    return " ".join(str(value or "").split())
