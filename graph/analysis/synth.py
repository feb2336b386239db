"""Synthetic harmgraph data at any size, with a known number of gaps of each kind.

The generator keeps the curated graph's proportions (about 1 harm : 0.6 technologies :
0.9 actors : 2 interventions : 3 sources : 10 claims : 1 stated gap), gives labels and
definitions realistic lengths, and builds the claims so that the number of gaps of each
kind is known in advance:

- whole harm families (a facet and its narrower harms) are left unaddressed:
  ``no-intervention``; a narrower harm with no claim of its own is ``broader-only`` when a
  claim names its facet, and a harm whose interventions rest only on legal text or opinion is
  ``no-evaluated-intervention``;
- interventions fall into three groups: evidence of effect only from legal text,
  opinion or monitoring (``unevaluated-intervention``), from evaluations but no review
  (``unsynthesised``), or with a systematic review (no gap);
- each intervention-harm link is strong (two sources, moderate or high), weak (one
  low-confidence claim from one source: ``weak-evidence``) or contested (one supporting
  and one disputing claim: ``contested``);
- every stated gap is a ``research-need``;
- every harm facet but a tenth of them has a review (a rapid web scan) with one search aimed at
  the facet and each intervention type, so the absence gaps above name their searches, an
  intervention type with no claim on a facet is an ``empty-cell`` (at the grains of types x
  facets and types x harms, where the facet is also a column), and every absence gap in an
  unreviewed facet is ``not-reviewed`` instead.

Examples
--------
>>> text, expected = synthesise(3000, seed=1)
>>> expected["research-need"] > 0 and text.count(" .\\n") >= 2500
True
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from harmgraph.rdf.namespaces import HG_IRI, ID_IRI

_WORDS = (
    "online exposure harm risk material platform image model child survivor offender report "
    "detection review policy law service school parent moderation synthetic generated abuse "
    "extortion grooming pathway barrier escalation protective factor identification triage "
    "hotline classifier provenance watermark dataset training release hosting distribution "
    "education awareness prevention treatment helpline deterrence warning regulation duty"
).split()
_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_SKOS = "http://www.w3.org/2004/02/skos/core#"
_DCT = "http://purl.org/dc/terms/"
_XSD = "http://www.w3.org/2001/XMLSchema#"
_STAGES = (
    "StageDataTraining",
    "StageModelRelease",
    "StageDeploymentHosting",
    "StageDistributionPlatform",
    "StageOffenderPrevention",
    "StageVictimSupport",
    "StageLawPolicy",
    "StageEducation",
)
_LEVELS = ("PrimaryPrevention", "SecondaryPrevention", "TertiaryPrevention")
#: Triples the generator writes per unit of the scale (one harm, its share of everything).
_TRIPLES_PER_UNIT = 490


@dataclass
class _Writer:
    lines: list[str]
    rng: random.Random

    def iri(self, kind: str, slug: str) -> str:
        return f"<{ID_IRI}{kind}/{slug}>"

    def add(self, s: str, p: str, o: str) -> None:
        self.lines.append(f"{s} {p} {o} .\n")

    def text(self, words: int) -> str:
        return " ".join(self.rng.choice(_WORDS) for _ in range(words))

    def literal(self, text: str, lang: str | None = "en") -> str:
        return f'"{text}"@{lang}' if lang else f'"{text}"'

    def concept(self, node: str, cls: str, scheme: str, broader: str | None) -> None:
        self.add(node, f"<{_RDF}type>", f"<{HG_IRI}{cls}>")
        self.add(node, f"<{_RDF}type>", f"<{_SKOS}Concept>")
        self.add(node, f"<{_SKOS}prefLabel>", self.literal(self.text(self.rng.randint(3, 8))))
        self.add(node, f"<{_SKOS}definition>", self.literal(self.text(self.rng.randint(15, 30))))
        self.add(node, f"<{_SKOS}inScheme>", f"<{ID_IRI}scheme/{scheme}>")
        if broader:
            self.add(node, f"<{_SKOS}broader>", broader)
        else:
            self.add(node, f"<{_SKOS}topConceptOf>", f"<{ID_IRI}scheme/{scheme}>")


def synthesise(triples: int, seed: int = 0) -> tuple[str, dict[str, int]]:
    """Return N-Triples of about ``triples`` triples and the gap counts by kind."""
    rng = random.Random(seed)
    units = max(1, triples // _TRIPLES_PER_UNIT)
    w = _Writer([], rng)
    counts = {
        "harms": units * 2,
        "technologies": max(2, units * 6 // 5),
        "actors": max(2, units * 9 // 5),
        "interventions": units * 4,
        "sources": units * 6,
        "gaps": units * 2,
    }
    facets = max(2, counts["harms"] // 5)
    harms = [w.iri("harm", f"h{i}") for i in range(counts["harms"])]
    family = {}
    for i, harm in enumerate(harms):
        facet = i % facets
        family[harm] = facet
        w.concept(harm, "Harm", "harm", None if i < facets else harms[facet])
    unaddressed_facets = set(range(max(1, facets // 10)))
    # Facets nobody has reviewed: addressed, so that their gaps become coverage gaps.
    unreviewed_facets = set(range(len(unaddressed_facets), 2 * len(unaddressed_facets)))
    addressed = [h for h in harms if family[h] not in unaddressed_facets]
    technologies = [w.iri("technology", f"t{i}") for i in range(counts["technologies"])]
    actors = [w.iri("actor", f"a{i}") for i in range(counts["actors"])]
    for node in technologies:
        w.concept(node, "Technology", "technology", None)
    for node in actors:
        w.concept(node, "Actor", "actor", None)
    types = [w.iri("intervention", f"type{i}") for i in range(8)]
    for node in types:
        w.concept(node, "Intervention", "intervention", None)
    interventions = [w.iri("intervention", f"i{i}") for i in range(counts["interventions"])]
    type_of = {}
    for node in interventions:
        type_of[node] = rng.choice(types)
        w.concept(node, "Intervention", "intervention", type_of[node])
        w.add(node, f"<{HG_IRI}lifecycleStage>", f"<{HG_IRI}{rng.choice(_STAGES)}>")
        w.add(node, f"<{HG_IRI}preventionLevel>", f"<{HG_IRI}{rng.choice(_LEVELS)}>")
    sources = [w.iri("source", f"s{i}") for i in range(counts["sources"])]
    for i, node in enumerate(sources):
        w.add(node, f"<{_RDF}type>", f"<{HG_IRI}EvidenceSource>")
        w.add(node, f"<{_DCT}title>", w.literal(w.text(rng.randint(6, 16))))
        w.add(node, f"<{_DCT}creator>", w.literal(w.text(2).title(), None))
        w.add(node, f"<{_DCT}date>", f'"{rng.randint(2005, 2026)}"^^<{_XSD}gYear>')
        w.add(
            node,
            "<http://purl.org/ontology/bibo/doi>",
            w.literal(f"10.5555/synth.{seed}.{i}", None),
        )
        w.add(
            node,
            f"<{HG_IRI}sourceKind>",
            f"<{HG_IRI}{rng.choice(('PeerReviewedArticle', 'Report'))}>",
        )
        w.add(
            node,
            f"<{HG_IRI}jurisdiction>",
            w.literal(rng.choice(("GB", "US", "EU", "AU", "international")), None),
        )
    state = {"claim": 0}
    links: list[tuple[str, str, str, str]] = []

    def claim(
        subject: str,
        relation: str,
        obj: str,
        kind: str,
        direction: str,
        confidence: str,
        source: str,
    ) -> None:
        node = w.iri("claim", f"c{state['claim']}")
        citation = f"_:cite{state['claim']}"
        state["claim"] += 1
        w.add(node, f"<{_RDF}type>", f"<{HG_IRI}Claim>")
        w.add(node, f"<{_RDF}subject>", subject)
        w.add(node, f"<{_RDF}predicate>", f"<{HG_IRI}{relation}>")
        w.add(node, f"<{_RDF}object>", obj)
        w.add(node, f"<{HG_IRI}citation>", citation)
        w.add(citation, f"<{_RDF}type>", f"<{HG_IRI}Citation>")
        w.add(citation, f"<{HG_IRI}source>", source)
        w.add(citation, f"<{HG_IRI}locator>", w.literal(f"p. {rng.randint(1, 300)}", None))
        if relation == "addresses":
            links.append((subject, obj, direction, kind))
        w.add(node, f"<{HG_IRI}evidenceKind>", f"<{HG_IRI}{kind}>")
        w.add(node, f"<{HG_IRI}direction>", f"<{HG_IRI}{direction}>")
        w.add(node, f"<{HG_IRI}confidence>", f"<{HG_IRI}{confidence}>")
        w.add(node, f"<{HG_IRI}confidenceRationale>", w.literal(w.text(rng.randint(8, 16))))
        w.add(node, f"<{_DCT}created>", f'"2026-11-24"^^<{_XSD}date>')

    covered: set[str] = set()
    expected = {
        "no-intervention": 0,
        "broader-only": 0,
        "no-evaluated-intervention": 0,
        "empty-cell": 0,
        "unevaluated-intervention": 0,
        "unsynthesised": 0,
        "weak-evidence": 0,
        "contested": 0,
        "research-need": counts["gaps"],
        "not-reviewed": 0,
    }

    def absence(kind: str, facet: int) -> None:
        """Count a gap that says evidence is missing: a coverage gap where nobody looked."""
        expected["not-reviewed" if facet in unreviewed_facets else kind] += 1

    filled: dict[int, set[str]] = {}
    for i, node in enumerate(interventions):
        group = ("unevaluated", "unsynthesised", "reviewed")[i % 3]
        targets = rng.sample(addressed, 2)
        reviewed = any(family[h] not in unreviewed_facets for h in targets)
        if group != "reviewed":
            kind = "unevaluated-intervention" if group == "unevaluated" else "unsynthesised"
            expected[kind if reviewed else "not-reviewed"] += 1
        for harm in targets:
            covered.add(harm)
            kinds = {
                "unevaluated": ("LegalText", "ExpertOpinion"),
                "unsynthesised": ("EvaluationTrial", "EmpiricalQuantitative"),
                "reviewed": ("SystematicReview", "EvaluationTrial"),
            }[group]
            style = rng.random()
            first, second = rng.sample(sources, 2)
            filled.setdefault(family[harm], set()).add(type_of[node])
            if style < 0.15:
                expected["contested"] += 1
                claim(node, "addresses", harm, kinds[0], "Supports", "ModerateConfidence", first)
                claim(node, "addresses", harm, kinds[1], "Disputes", "LowConfidence", second)
            elif style < 0.45:
                absence("weak-evidence", family[harm])
                claim(node, "addresses", harm, kinds[0], "Supports", "LowConfidence", first)
                if group != "unevaluated":  # a second low claim from the same source keeps it weak
                    claim(node, "addresses", harm, kinds[1], "Supports", "LowConfidence", first)
            else:
                claim(node, "addresses", harm, kinds[0], "Supports", "HighConfidence", first)
                claim(node, "addresses", harm, kinds[1], "Supports", "ModerateConfidence", second)
        claim(
            node,
            "implementedBy",
            rng.choice(actors),
            "MonitoringData",
            "Supports",
            "ModerateConfidence",
            rng.choice(sources),
        )
        claim(
            node,
            "targets",
            rng.choice(technologies),
            "ExpertOpinion",
            "Supports",
            "LowConfidence",
            rng.choice(sources),
        )
    _expect_harms_and_cells(
        expected, harms, facets, family, links, types, type_of, unreviewed_facets
    )
    for facet in range(facets):
        if facet in unreviewed_facets:
            continue
        node = w.iri("review", f"r{facet}")
        w.add(node, f"<{_RDF}type>", f"<{HG_IRI}Review>")
        w.add(node, f"<{_SKOS}prefLabel>", w.literal(w.text(rng.randint(4, 9))))
        date = f'"2026-11-{rng.randint(10, 28)}"^^<{_XSD}date>'
        w.add(node, f"<{HG_IRI}reviewType>", f"<{HG_IRI}RapidWebScan>")
        w.add(node, f"<{HG_IRI}screenerCount>", f'"1"^^<{_XSD}integer>')
        w.add(node, f"<{HG_IRI}reviewedHarm>", harms[facet])
        w.add(node, f"<{_DCT}date>", date)
        w.add(node, "<http://www.w3.org/ns/prov#wasAssociatedWith>", f"<{ID_IRI}agent/synth>")
        base = node[1:-1]
        first_query = ""
        for k, kind in enumerate(types):
            search = f"<{base}#search-{k + 1}>"
            w.add(node, f"<{HG_IRI}method>", search)
            w.add(search, f"<{_RDF}type>", f"<{HG_IRI}KeywordSearch>")
            # Only the first query draws words, so that the random stream (and so the rest of
            # the graph) is the same as before searches were aimed at each type.
            query = w.text(5) if k == 0 else f"{first_query} type {k}"
            first_query = query if k == 0 else first_query
            w.add(search, f"<{HG_IRI}searchQuery>", w.literal(query, None))
            w.add(search, f"<{HG_IRI}searchedIn>", w.literal("a synthetic index", None))
            w.add(search, f"<{HG_IRI}placeKind>", f"<{HG_IRI}WebIndex>")
            w.add(search, f"<{_DCT}date>", date)
            w.add(search, f"<{HG_IRI}resultLimit>", f'"8"^^<{_XSD}integer>')
            w.add(search, f"<{HG_IRI}resultsReturned>", f'"{2 if k == 0 else 0}"^^<{_XSD}integer>')
            w.add(search, f"<{HG_IRI}aimedAt>", harms[facet])
            w.add(search, f"<{HG_IRI}aimedAt>", kind)
            w.add(search, f"<{HG_IRI}sought>", f"<{HG_IRI}SoughtInterventions>")
        for n, (decision, extra) in enumerate(
            (("Included", rng.choice(sources)), ("Excluded", "")), start=1
        ):
            record = f"<{base}#record-{n}>"
            w.add(node, f"<{HG_IRI}screened>", record)
            w.add(record, f"<{_RDF}type>", f"<{HG_IRI}ScreeningRecord>")
            w.add(record, f"<{HG_IRI}foundBy>", f"<{base}#search-1>")
            w.add(record, f"<{HG_IRI}decision>", f"<{HG_IRI}{decision}>")
            if extra:
                w.add(record, f"<{HG_IRI}includedSource>", extra)
            else:
                w.add(record, f"<{HG_IRI}exclusionReason>", f"<{HG_IRI}OffTopic>")
                w.add(record, f"<{_DCT}title>", w.literal(w.text(6), None))
                w.add(
                    record,
                    "<https://schema.org/url>",
                    w.literal(f"https://example.org/{facet}", None),
                )
    for node in technologies:
        for harm in rng.sample(harms, min(3, len(harms))):
            claim(
                node,
                "enables",
                harm,
                "MonitoringData",
                "Supports",
                "ModerateConfidence",
                rng.choice(sources),
            )
    for harm in harms:
        claim(
            harm,
            "affects",
            rng.choice(actors),
            "EmpiricalQuantitative",
            "Supports",
            "ModerateConfidence",
            rng.choice(sources),
        )
    for i in range(counts["gaps"]):
        node = w.iri("gap", f"g{i}")
        w.add(node, f"<{_RDF}type>", f"<{HG_IRI}Gap>")
        w.add(node, f"<{_SKOS}prefLabel>", w.literal(w.text(rng.randint(4, 9))))
        w.add(node, f"<{_DCT}description>", w.literal(w.text(rng.randint(15, 30))))
        w.add(node, f"<{HG_IRI}concerns>", rng.choice(harms + interventions))
        w.add(node, f"<{HG_IRI}source>", rng.choice(sources))
    return "".join(w.lines), expected


_EVALUATED = frozenset(
    {"EvaluationTrial", "EmpiricalQuantitative", "EmpiricalQualitative", "SystematicReview"}
)


def _expect_harms_and_cells(
    expected: dict[str, int],
    harms: list[str],
    facets: int,
    family: dict[str, int],
    links: list[tuple[str, str, str, str]],
    types: list[str],
    type_of: dict[str, str],
    unreviewed: set[int],
) -> None:
    """Count the harm-level gaps and the empty cells from what the generator wrote, by the
    definitions (not by the gap engine): a facet's review searches it for every type."""
    own: dict[str, list[str]] = {}
    for _, harm, direction, kind in links:
        if direction != "Disputes":
            own.setdefault(harm, []).append(kind)
    for i, harm in enumerate(harms):
        facet = family[harm]
        kinds = own.get(harm, [])
        if i < facets:  # a facet: its narrower harms' claims are its own too
            kinds = kinds + [
                k for h in harms[facets:] if family[h] == facet for k in own.get(h, [])
            ]
        broader = own.get(harms[facet], []) if i >= facets else []
        if kinds:
            if _EVALUATED & set(kinds):
                continue
            kind = "no-evaluated-intervention"
        elif broader:
            kind = "broader-only"
        else:
            kind = "no-intervention"
        expected["not-reviewed" if facet in unreviewed else kind] += 1
    filled: dict[int, set[str]] = {}
    for intervention, harm, _, _ in links:
        filled.setdefault(family[harm], set()).add(type_of[intervention])
    for facet in range(facets):
        if facet not in unreviewed:
            # Types x facets, and types x harms where the facet is a column of its own.
            expected["empty-cell"] += 2 * (len(types) - len(filled.get(facet, set())))
