"""Bibliographic exports of the evidence sources: RIS and BibTeX.

Examples
--------
>>> from harmgraph.rdf.load import load_graph
>>> ris = sources_as_ris(load_graph())
>>> ris.startswith("TY  - ")
True
>>> "@" in sources_as_bibtex(load_graph())[:5]
True
"""

from __future__ import annotations

import re

from harmgraph.model.evidence import local, read_evidence
from harmgraph.rdf.load import LoadedGraph

_RIS_TYPE = {
    "PeerReviewedArticle": "JOUR",
    "Preprint": "JOUR",
    "Report": "RPRT",
    "Legislation": "BILL",
    "CourtDecision": "CASE",
    "Dataset": "DATA",
    "Guidance": "GEN",
    "SecondarySummary": "ELEC",
}
_BIB_TYPE = {
    "PeerReviewedArticle": "article",
    "Preprint": "misc",
    "Report": "techreport",
    "Legislation": "misc",
    "CourtDecision": "misc",
    "Dataset": "misc",
    "Guidance": "misc",
    "SecondarySummary": "misc",
}


def source_records(graph: LoadedGraph) -> list[dict]:
    """One dict per source: source, title, creators (a list, in the order of the source's
    ``bibo:authorList``), publisher, date, doi, url, kind, jurisdiction."""
    return [dict(record) for record in read_evidence(graph).source_records]


def sources_as_ris(graph: LoadedGraph) -> str:
    """Every source as an RIS record."""
    out = []
    for r in source_records(graph):
        lines = [f"TY  - {_RIS_TYPE.get(r['kind'], 'GEN')}", f"TI  - {_one_line(r['title'])}"]
        lines += [f"AU  - {_one_line(name)}" for name in r["creators"]]
        if r["publisher"]:
            lines.append(f"PB  - {_one_line(r['publisher'])}")
        lines.append(f"PY  - {r['date'][:4]}")
        if r["doi"]:
            lines.append(f"DO  - {_one_line(r['doi'])}")
        if r["url"]:
            lines.append(f"UR  - {_one_line(r['url'])}")
        lines.append(f"ID  - {local(r['source'])}")
        lines.append("ER  - ")
        out.append("\n".join(lines))
    return "\n\n".join(out) + "\n"


_BIB_SPECIAL = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}


def _bib_escape(text: str) -> str:
    r"""Escape text for a BibTeX field in one pass, so no text from the data becomes a command.

    >>> print(_bib_escape(r"50% of \input{x} & y_z"))
    50\% of \textbackslash{}input\{x\} \& y\_z
    """
    return re.sub(r"[\\{}&%$#_~^]", lambda m: _BIB_SPECIAL[m.group(0)], " ".join(text.split()))


def _one_line(text: str) -> str:
    """RIS is line-based: a value never spans lines."""
    return " ".join(text.split())


def sources_as_bibtex(graph: LoadedGraph) -> str:
    """Every source as a BibTeX entry (key: the source's slug)."""
    out = []
    for r in source_records(graph):
        fields = [("title", "{" + _bib_escape(r["title"]) + "}")]
        if r["creators"]:
            fields.append(("author", " and ".join(_bib_escape(n) for n in r["creators"])))
        else:
            fields.append(("author", "{" + _bib_escape(r["publisher"] or "") + "}"))
        if r["publisher"]:
            fields.append(("publisher", _bib_escape(r["publisher"])))
        fields.append(("year", r["date"][:4]))
        if r["doi"]:
            fields.append(("doi", _bib_escape(r["doi"])))
        if r["url"]:
            fields.append(("url", _bib_escape(r["url"])))
        body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
        out.append(f"@{_BIB_TYPE.get(r['kind'], 'misc')}{{{local(r['source'])},\n{body}\n}}")
    return "\n\n".join(out) + "\n"


#: The citation exports by the names ``harmgraph export --format`` takes.
CITATION_FORMATS = {"ris": sources_as_ris, "bibtex": sources_as_bibtex}
