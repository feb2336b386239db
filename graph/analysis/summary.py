"""A Markdown summary of what a graph holds, for the README and for release notes.

``harmgraph stats --format markdown`` prints it; a test checks that the README's
"What is in the graph" section is exactly this summary of the bundled graph, so the
counts there can never drift from the data.

Examples
--------
>>> from harmgraph.rdf.load import load_graph
>>> text = graph_summary_markdown(load_graph())
>>> text.startswith("This graph holds")
True
>>> "| harm facet | claims | sources | strongest evidence | severity |" in text
True
"""

from __future__ import annotations

from collections import Counter

from harmgraph.analysis.gaps import EVIDENCE_GAP_KINDS, find_gaps
from harmgraph.analysis.stats import facet_claims, graph_stats
from harmgraph.model.coverage import review_coverage
from harmgraph.model.evidence import CONFIDENCE_NAME, Claim, Evidence, read_evidence
from harmgraph.model.screening import screening_flow
from harmgraph.rdf.load import LoadedGraph

#: How much an evidence kind says about a link, for picking a facet's strongest evidence:
#: confidence first, then this rank, then the newest source.
KIND_RANK = {
    "SystematicReview": 6,
    "EvaluationTrial": 5,
    "EmpiricalQuantitative": 4,
    "MonitoringData": 3,
    "EmpiricalQualitative": 3,
    "LegalText": 2,
    "ExpertOpinion": 1,
}


def _tally(counter: Counter, labels: dict[str, str] | None = None) -> str:
    items = sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))
    return ", ".join(f"{(labels or {}).get(k, k)} {n}" for k, n in items)


def _strongest(claims: list[Claim], evidence: Evidence) -> str:
    if not claims:
        return "none"

    def strength(claim: Claim) -> tuple:
        newest = max((evidence.source_years.get(s, 0) for s in claim.sources), default=0)
        return (claim.confidence, KIND_RANK.get(claim.kind, 0), newest, claim.iri)

    best = max(claims, key=strength)
    source = sorted(best.sources)[0]
    year = evidence.source_years.get(source)
    title = evidence.label(source) + (f" ({year})" if year else "")
    direction = " (disputes the link)" if best.direction == "Disputes" else ""
    kind = evidence.label(best.kind).lower()
    return f"{CONFIDENCE_NAME[best.confidence]}, {kind}{direction}: {title}"


def graph_summary_markdown(graph: LoadedGraph) -> str:
    """Return counts, source and claim mixes, the facet table and the gap counts as Markdown."""
    evidence = read_evidence(graph)
    counts = graph_stats(graph)
    records = evidence.source_records
    lines = [
        # The same counts as `stats` and the app, in the same sense (stats.MEANINGS): a facet
        # is a harm and a type an intervention. "Verified" is said of no source: a source of
        # the user's own, or one checked on a copy, is not known to be.
        f"This graph holds **{counts['harms']} harms** "
        f"({counts['harm_facets']} of them facets), **{counts['technologies']} technology "
        f"categories**, **{counts['actors']} actor roles**, "
        f"**{counts['interventions']} interventions** "
        f"({counts['intervention_types']} of them intervention types), "
        f"**{counts['sources']} evidence sources**"
        + (
            f" ({counts['sources_on_copy']} of them checked on a copy, because the issuer's own "
            "page was not reached)"
            if counts["sources_on_copy"]
            else ""
        )
        + f", **{counts['claims']} claims** and **{counts['gaps']} research needs stated by "
        f"sources**: {counts['triples']:,} triples with the ontology.",
        "",
        "Sources by kind: "
        + _tally(Counter(r["kind"] for r in records), _lower_labels(evidence))
        + ".",
        "By jurisdiction (where one applies): "
        + _tally(Counter(r["jurisdiction"] for r in records if r["jurisdiction"]))
        + ".",
        "",
        "Claims by evidence kind: "
        + _tally(Counter(c.kind for c in evidence.claims), _lower_labels(evidence))
        + "; by confidence: "
        + ", ".join(
            f"{CONFIDENCE_NAME[rank]} {n}"
            for rank, n in sorted(
                Counter(c.confidence for c in evidence.claims).items(), reverse=True
            )
        )
        + ".",
        "",
        "| harm facet | claims | sources | strongest evidence | severity |",
        "|---|---|---|---|---|",
    ]
    facets = facet_claims(evidence)
    facets.sort(key=lambda f: (-len(f[1]), -len(f[2]), f[0].label))
    for facet, claims, sources in facets:
        severity = facet.severity if facet.severity is not None else "-"
        lines.append(
            f"| {facet.label} | {len(claims)} | {len(sources)} | "
            f"{_strongest(claims, evidence)} | {severity} |"
        )
    gap_counts = Counter(g["kind"] for g in find_gaps(graph))
    lines += [
        "",
        "The gap engine finds "
        + ", ".join(f"{gap_counts.get(kind, 0)} {kind}" for kind in EVIDENCE_GAP_KINDS)
        + " evidence gaps (every gap that says evidence is missing names the searches aimed at it "
        + "and how strong they were), "
        + "and "
        + f"{gap_counts.get('not-reviewed', 0)} not-reviewed coverage gaps (`harmgraph gaps`).",
    ]
    lines += review_lines(graph)
    return "\n".join(lines)


def review_lines(graph: LoadedGraph) -> list[str]:
    """Review coverage and the screening flow as Markdown (a Mermaid flowchart and a table)."""
    coverage = review_coverage(graph)
    flow = screening_flow(graph)
    if not flow["reviews"]:
        return ["", "No review is recorded yet, so every gap is a coverage gap (`not-reviewed`)."]
    share = coverage["searched_cells"] / coverage["cells"] if coverage["cells"] else 0
    lines = [
        "",
        f"**Reviews.** {flow['reviews']} documented reviews had searches aimed at "
        f"{coverage['searched_cells']} of the {coverage['cells']} cells of the evidence-gap map "
        f"(intervention types x harm facets), {share:.0%}, or at something broader that contains "
        f"them; {coverage['searched_exact']} at the cell itself, and "
        f"{coverage['listed_not_searched']} more are listed in a review's scope but no search "
        "was aimed at them. They screened "
        f"{flow['considered']:,} candidate records, excluded {flow['excluded']:,} with a reason "
        f"and included {flow['included']:,}, which are {flow['sources_included']} distinct sources "
        f"producing {flow['claims_produced']} claims:",
        "",
        "```mermaid",
        "flowchart LR",
        f'    considered["{flow["considered"]:,} records considered"]',
        f'    included["{flow["included"]:,} included"]',
        f'    sources["{flow["sources_included"]} distinct sources"]',
        f'    claims["{flow["claims_produced"]} claims"]',
        f'    excluded["{flow["excluded"]:,} excluded"]',
        "    considered --> included --> sources --> claims",
        "    considered --> excluded",
    ]
    for number, (reason, count) in enumerate(flow["excluded_by_reason"].items(), start=1):
        lines.append(f'    excluded --> r{number}["{reason}: {count:,}"]')
    lines += [
        "```",
        "",
        "| harm facet | reviews | intervention types searched |",
        "|---|---|---|",
    ]
    for facet in coverage["facets"]:
        lines.append(
            f"| {facet['label']} | {facet['reviews']} | "
            f"{facet['types_reviewed']} of {facet['types']} |"
        )
    return lines


def _lower_labels(evidence: Evidence) -> dict[str, str]:
    return {key: label.lower() for key, label in evidence.value_labels.items()}
