"""Hostile data for the app and the site: labels and definitions that carry Markdown
images and links, HTML, ``javascript:`` links, LaTeX and the templates' own placeholders."""

HOSTILE_LABEL = (
    "![img](http://evil.example/i.png) [link](http://evil.example/) "
    "<img src=http://evil.example/h.png onerror=alert(1)> <script>alert(2)</script> "
    "[js](javascript:alert(3)) $x^2$ __JS__ __DATA__ www.evil.example "
    '<a href="http://evil.example/a">anchor</a>'
)
HOSTILE_DEFINITION = (
    "Definition with ![d](http://evil.example/d.png) and [d](http://evil.example/d) and "
    "<b onmouseover=alert(4)>bold</b> and $$\\sum_i x_i$$ and __CSS__ and :red[red] "
    "and \u202eright-to-left"
)


def _lit(text: str) -> str:
    """A Turtle string literal's body for ``text``."""
    return text.replace("\\", "\\\\").replace('"', '\\"')


HOSTILE = f"""
harm:hostile
    a hg:Harm, skos:Concept ;
    skos:prefLabel "{_lit(HOSTILE_LABEL)}"@en ;
    skos:definition "{_lit(HOSTILE_DEFINITION)}"@en ;
    skos:inScheme scheme:harm ;
    skos:topConceptOf scheme:harm .

intervention:hostile
    a hg:Intervention, skos:Concept ;
    skos:prefLabel "intervention {_lit(HOSTILE_LABEL)}"@en ;
    skos:definition "{_lit(HOSTILE_DEFINITION)}"@en ;
    skos:inScheme scheme:intervention ;
    skos:broader intervention:type-t ;
    hg:lifecycleStage hg:StageEducation ;
    hg:preventionLevel hg:PrimaryPrevention .

source:hostile
    a hg:EvidenceSource ;
    dcterms:title "title {_lit(HOSTILE_LABEL)}"@en ;
    dcterms:publisher "publisher [p](http://evil.example/p)" ;
    dcterms:date "2024"^^xsd:gYear ;
    schema:url "javascript:alert(5)" ;
    hg:sourceKind hg:Report .

claim:hostile
    a hg:Claim ;
    rdf:subject technology:tech-x ;
    rdf:predicate hg:enables ;
    rdf:object harm:hostile ;
    hg:citation [ a hg:Citation ; hg:source source:hostile ; hg:locator "locator ![l](http://evil.example/l.png)" ] ;
    hg:evidenceKind hg:ExpertOpinion ;
    hg:direction hg:Supports ;
    hg:confidence hg:LowConfidence ;
    hg:confidenceRationale "rationale [r](http://evil.example/r) $y$"@en ;
    dcterms:created "2026-11-24"^^xsd:date .

claim:hostile-addresses
    a hg:Claim ;
    rdf:subject intervention:hostile ;
    rdf:predicate hg:addresses ;
    rdf:object harm:hostile ;
    hg:citation [ a hg:Citation ; hg:source source:hostile ; hg:locator "locator ![l](http://evil.example/l.png)" ] ;
    hg:evidenceKind hg:ExpertOpinion ;
    hg:direction hg:Supports ;
    hg:confidence hg:LowConfidence ;
    hg:confidenceRationale "rationale [r](http://evil.example/r) $y$"@en ;
    dcterms:created "2026-11-24"^^xsd:date .
"""

# The shapes refuse a javascript: address, so `build` and `site` refuse HOSTILE as a whole;
# every other hostile string conforms and must reach their pages as text.
HOSTILE_CONFORMING = HOSTILE.replace('"javascript:alert(5)"', '"https://example.org/report"')

#: Text that must never become (part of) an IRI: each one breaks an IRI's syntax, climbs out of
#: its folder, names another scheme, or breaks the slug rule (lower-case ASCII letters, digits
#: and hyphens, starting with a letter or a digit, at most 80 characters). The importers must
#: refuse a cell holding any of them, on its row, with a one-line message.
HOSTILE_IRI_CELLS = (
    "a<b",
    "a>b",
    'a"b',
    "a b",
    "../../harm/dotdot",
    "./dot",
    "javascript:alert(1)",
    "line\nbreak",
    "a" * 81,
    "a" * 5000,
    "non-ascii-é",
    "中文",
    "Upper-Case",
    "-leading-hyphen",
    "under_score",
    "a%2Fb",
    "a#b",
    "a?b=1",
    "a\\b",
    "{a}",
)
