"""Typed RDF terms in query results: an IRI, a blank node or a literal with its datatype or
language, so that ``"https://x"`` (a string) is never mistaken for ``<https://x>`` (an IRI)
and ``"1"^^xsd:integer`` differs from ``"1"``.

Both stores (:mod:`harmgraph.rdf.store` and :mod:`harmgraph.rdf.endpoint`) return these from
``query_terms``.

Examples
--------
>>> Term("literal", "1", datatype="http://www.w3.org/2001/XMLSchema#integer").n3()
'"1"^^<http://www.w3.org/2001/XMLSchema#integer>'
>>> Term("literal", 'say "hi"', language="en").n3()
'"say \\\\"hi\\\\""@en'
>>> Term("iri", "https://example.org/a").n3()
'<https://example.org/a>'
"""

from __future__ import annotations

from dataclasses import dataclass

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}


@dataclass(frozen=True, order=True)
class Term:
    """One RDF term. ``kind`` is ``iri``, ``bnode`` or ``literal``; a literal has a
    ``datatype`` (``xsd:string`` when plain) or a ``language``."""

    kind: str
    value: str
    datatype: str = ""
    language: str = ""

    @property
    def is_iri(self) -> bool:
        return self.kind == "iri"

    @property
    def is_literal(self) -> bool:
        return self.kind == "literal"

    @property
    def is_blank(self) -> bool:
        return self.kind == "bnode"

    def n3(self) -> str:
        """The term in N-Triples syntax."""
        if self.kind == "iri":
            return f"<{self.value}>"
        if self.kind == "bnode":
            return f"_:{self.value}"
        text = '"' + "".join(_ESCAPES.get(c, c) for c in self.value) + '"'
        if self.language:
            return f"{text}@{self.language}"
        if self.datatype and self.datatype != XSD_STRING:
            return f"{text}^^<{self.datatype}>"
        return text

    def as_dict(self) -> dict[str, str]:
        """JSON form, as in SPARQL 1.1 JSON results (``type``, ``value``, ``datatype``,
        ``xml:lang``)."""
        out = {"type": "uri" if self.kind == "iri" else self.kind, "value": self.value}
        if self.language:
            out["xml:lang"] = self.language
        elif self.kind == "literal" and self.datatype:
            out["datatype"] = self.datatype
        return out


def literal(value: str, datatype: str = "", language: str = "") -> Term:
    """A literal term; plain literals get ``xsd:string`` as RDF 1.1 says."""
    if language:
        return Term("literal", value, RDF_LANGSTRING, language.lower())
    return Term("literal", value, datatype or XSD_STRING)
