"""Bibliographic exports of the evidence sources: RIS and BibTeX.

Examples
--------
>>> from harmgraph.load import load_graph
>>> ris = sources_as_ris(load_graph())
>>> ris.startswith("TY  - ")
True
>>> "@" in sources_as_bibtex(load_graph())[:5]
True
"""

from __future__ import annotations

import re

from harmgraph.evidence import local, read_evidence
from harmgraph.load import LoadedGraph

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


def source_records(graph: LoadedGraph) -> list[dict[str, str]]:
    """One dict per source: key, title, creators (list), publisher, date, doi, url, kind."""
    evidence = read_evidence(graph)
    return [
        dict(record, creators=record["creators"].split("; ") if record["creators"] else [])
        for record in evidence.source_records
    ]


def sources_as_ris(graph: LoadedGraph) -> str:
    """Every source as an RIS record."""
    out = []
    for r in source_records(graph):
        lines = [f"TY  - {_RIS_TYPE.get(r['kind'], 'GEN')}", f"TI  - {r['title']}"]
        lines += [f"AU  - {name}" for name in r["creators"]]
        if r["publisher"]:
            lines.append(f"PB  - {r['publisher']}")
        lines.append(f"PY  - {r['date'][:4]}")
        if r["doi"]:
            lines.append(f"DO  - {r['doi']}")
        if r["url"]:
            lines.append(f"UR  - {r['url']}")
        lines.append(f"ID  - {local(r['source'])}")
        lines.append("ER  - ")
        out.append("\n".join(lines))
    return "\n\n".join(out) + "\n"


def _bib_escape(text: str) -> str:
    return re.sub(r"([{}&%$#_])", r"\\\1", text)


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
            fields.append(("doi", r["doi"]))
        if r["url"]:
            fields.append(("url", r["url"]))
        body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
        out.append(f"@{_BIB_TYPE.get(r['kind'], 'misc')}{{{local(r['source'])},\n{body}\n}}")
    return "\n\n".join(out) + "\n"
