"""A static, offline site of the graph: one page per entity at the path of its IRI.

``harmgraph site --out DIR`` writes, for every harm, technology, actor, intervention, source,
claim, gap and review, ``id/<kind>/<slug>.html`` with the entity's own statements beside it as
``.ttl``, ``.jsonld``, ``.rdf`` and ``.nt`` (linked with ``<link rel="alternate">``), and the
same for every other IRI of the graph's namespace, such as the agents and the concept schemes
(:mod:`harmgraph.publish.resources`); an IRI whose slug does not follow the one slug rule gets
a page named after its hash instead (:func:`harmgraph.model.slugs.page_slug`). It also writes a
list page per kind,
``id/<kind>.html``, a gaps page, and an index with a search box that runs in the browser.
Every page is rendered by Jinja2 with autoescaping, so data reaches the page as text; nothing
is loaded from another host.

Pages are written one at a time, so memory holds the graph and one page, never the site. The
site is built in a folder beside ``DIR`` and moved into place when complete, so a failure
leaves ``DIR`` as it was.

Examples
--------
>>> page_path("https://w3id.org/harmgraph/id/harm/normalisation", "harm")
'id/harm/normalisation'
>>> page_path("https://example.org/x?y", "harm").startswith("id/harm/x_")
True
"""

from __future__ import annotations

import functools
import json
import os
import re
import shutil
from collections.abc import Iterable
from pathlib import Path

import jinja2
from markupsafe import Markup

from harmgraph.analysis.entity import claim_row, describe_entity
from harmgraph.analysis.gaps import GAP_KINDS, GAP_MEANINGS, find_gaps
from harmgraph.errors import UsageError
from harmgraph.model.evidence import Evidence, read_evidence
from harmgraph.model.slugs import list_page, page_slug
from harmgraph.publish.escaping import primary_url, safe_url
from harmgraph.publish.ontology_docs import write_ontology_docs
from harmgraph.publish.prisma import prisma_svg
from harmgraph.publish.resources import (
    data_alternates,
    kind_headings,
    kind_of,
    namespace_iris,
    ontology_anchor,
    resource_context,
    short_name,
    write_data,
)
from harmgraph.publish.site_pages import (
    gap_view,
    write_downloads,
    write_map,
    write_priorities,
    write_reviews,
)
from harmgraph.publish.templates import SITE_KINDS, TEMPLATES, environment
from harmgraph.publish.w3id import PLACEHOLDER_BASE, check_base_url, write_w3id
from harmgraph.rdf.export import new_folder
from harmgraph.rdf.load import LoadedGraph
from harmgraph.version import __version__

HEADING = dict(SITE_KINDS)
SINGULAR = {
    "harm": "Harm",
    "technology": "Technology",
    "actor": "Actor",
    "intervention": "Intervention",
    "source": "Source",
    "claim": "Claim",
    "gap": "Stated gap",
    "review": "Review",
}
#: Written into every site, so a later run may replace the folder and nothing else.
MARKER = ".harmgraph-site"


def page_path(iri: str, kind: str) -> str:
    """The site path of an entity, without extension: ``id/<kind>/<slug>`` (see
    :func:`harmgraph.model.slugs.page_slug`)."""
    return f"id/{kind}/{page_slug(iri, kind)}"


class _Pages:
    """Where each IRI's page is, and links to it from a page at some depth."""

    def __init__(self, evidence: Evidence, graph: LoadedGraph) -> None:
        self.evidence = evidence
        self.paths: dict[str, str] = {}
        for entity in evidence.entities.values():
            if entity.kind in HEADING:
                self.paths[entity.iri] = page_path(entity.iri, entity.kind)
        self.claims = {claim.iri: claim for claim in evidence.claims}
        for iri in self.claims:
            self.paths[iri] = page_path(iri, "claim")
        #: Every other IRI of the namespace (agents, concept schemes, kinds of your own).
        self.others = [iri for iri in namespace_iris(graph) if iri not in self.paths]
        for iri in self.others:
            self.paths[iri] = page_path(iri, kind_of(iri))
        #: The label of each page written so far, for links from the pages written later.
        self.labels: dict[str, str] = {}

    def link(self, iri: str | None, root: str, label: str | None = None) -> dict[str, str]:
        """``{label, href}`` for an entity; href is empty when it has no page."""
        if not iri:
            return {"label": label or "", "href": ""}
        path = self.paths.get(iri)
        return {
            "label": label if label is not None else self.evidence.label(iri),
            "href": f"{root}{path}.html" if path else "",
        }

    def any_link(self, iri: str, root: str) -> dict[str, str]:
        """``{label, href}`` for any IRI: a page of the site, an anchor on one (a review's
        ``#record-1``, an ``hg:`` term on the ontology's reference page), an http(s) address,
        or text."""
        document, _, fragment = iri.partition("#")
        if document in self.paths:
            label = self.labels.get(document) or self.evidence.label(document)
            return {
                "label": f"{label} › {fragment}" if fragment else label,
                "href": f"{root}{self.paths[document]}.html" + (f"#{fragment}" if fragment else ""),
            }
        anchor = ontology_anchor(iri)
        if anchor:
            value = self.evidence.value_labels.get(iri.rsplit("#", 1)[-1])
            return {"label": value or short_name(iri), "href": root + anchor}
        return {"label": short_name(iri), "href": safe_url(iri)}


def write_site(graph: LoadedGraph, out: Path, base_url: str | None = None) -> dict[str, int]:
    """Write the site into ``out`` and return how many pages of each kind it holds.

    ``out`` must be missing, empty, or a site this function wrote before (it holds the
    marker file); anything else is refused with :class:`UsageError`. ``base_url`` is where
    the site will be published: ``w3id/.htaccess`` sends the graph's IRIs there.
    """
    if base_url is not None:
        base_url = check_base_url(base_url)
    out = Path(out)
    if out.exists() and not (out / MARKER).exists() and any(out.iterdir()):
        raise UsageError(
            f"{out}: the folder exists and is not a harmgraph site; give a new or empty folder"
        )
    staging = new_folder(out.parent, f".{out.name}-")
    old: Path | None = None
    try:
        counts = _write(graph, staging, base_url or PLACEHOLDER_BASE)
        (staging / MARKER).write_text(f"harmgraph {__version__}\n", encoding="utf-8")
        if out.exists():
            old = new_folder(out.parent, f".{out.name}-old-")
            os.replace(out, old / out.name)
        os.replace(staging, out)
    except BaseException:
        # An interrupt (or a failure) between the two renames would leave no site at all: the
        # previous one goes back. The folders say where things are, not a flag, because an
        # interrupt can come between a rename and the line after it.
        if old is not None and (old / out.name).exists() and not out.exists():
            os.replace(old / out.name, out)
        shutil.rmtree(staging, ignore_errors=True)
        if old is not None and not (old / out.name).exists():
            shutil.rmtree(old, ignore_errors=True)
        raise
    if old is not None:
        shutil.rmtree(old)
    return counts


def _write(graph: LoadedGraph, out: Path, base_url: str) -> dict[str, int]:
    evidence = read_evidence(graph)
    pages = _Pages(evidence, graph)
    env = environment()
    common = {"kinds": SITE_KINDS, "version": __version__, "alternates": []}
    for name in ("site.css", "search.js"):
        (out / name).write_bytes((TEMPLATES / name).read_bytes())
    counts = {kind: 0 for kind, _ in SITE_KINDS}
    listing: dict[str, list[dict[str, str]]] = {kind: [] for kind, _ in SITE_KINDS}
    entity_template = env.get_template("entity.html")
    others = set(pages.others)
    # The entities first, then the other IRIs, whose pages list the entities referring to them.
    order = sorted(pages.paths.items(), key=lambda item: (item[0] in others, item[1]))
    for iri, path in order:
        kind = path.split("/")[1]
        root = "../../"
        slug = path.rsplit("/", 1)[1]
        target = out / path
        target.parent.mkdir(parents=True, exist_ok=True)
        context = {**common, "root": root, "slug": slug, "alternates": data_alternates(slug)}
        if iri in others:
            about = resource_context(graph, iri, kind, functools.partial(pages.any_link, root=root))
            html = env.get_template("resource.html").render(
                **context, **about, title=about["label"]
            )
            label = str(about["label"])
        elif kind == "claim":
            claim = _claim_context(evidence, pages, iri, root)
            html = env.get_template("claim.html").render(
                **context, title=_statement(claim), claim=claim
            )
            label = _statement(claim)
        else:
            page = describe_entity(graph, iri)
            html = entity_template.render(
                **context, **_entity_context(pages, page, root), title=page["label"]
            )
            label = str(page["label"])
        (out / f"{path}.html").write_text(html, encoding="utf-8")
        write_data(graph, iri, out / path)
        pages.labels[iri] = label
        counts[kind] = counts.get(kind, 0) + 1
        listing.setdefault(kind, []).append(
            {
                "href": f"{kind}/{slug}.html",
                "label": label,
                "path": path,
                # Search finds an entity by its alternative labels too ("sextortion").
                "alt_labels": evidence.alt_labels.get(iri, []),
            }
        )
    _write_lists(env, common, out, listing)
    gaps = find_gaps(graph)
    _write_gaps(env, common, out, pages, gaps)
    _write_index(env, common, out, listing, counts, len(gaps))
    write_map(graph, out, lambda iri: pages.link(iri, "")["href"] or safe_url(iri))
    write_priorities(env, common, graph, out, pages.link)
    write_reviews(env, common, graph, out, pages.link)
    write_downloads(env, common, graph, out)
    write_ontology_docs(env, common, out, pages.link)
    write_w3id(out, base_url)
    return counts


def _entity_context(pages: _Pages, page: dict, root: str) -> dict:
    source = page["source"] or {}
    details = [
        ("Stage", page["stage"]),
        ("Prevention level", page["prevention_level"]),
        ("Jurisdiction", page["jurisdiction"]),
        ("Severity", page["severity"] or ""),
        ("Authors", "; ".join(source.get("authors", []))),
        ("Publisher", source.get("publisher", "")),
        ("Year", source.get("year", "")),
        ("Kind of source", source.get("kind", "")),
        ("Part of", source.get("part_of", "")),
        ("DOI", source.get("doi", "")),
    ]
    review = page["review"] or {}
    return {
        "page": page,
        "heading": SINGULAR[page["kind"]],
        "details": [(name, value) for name, value in details if value],
        "source_link": primary_url(str(page["link"] or "")),
        "source_copy": "" if primary_url(str(page["link"] or "")) else str(page["link"] or ""),
        "broader": [pages.link(b["iri"], root) for b in page["broader"]],
        "narrower": [pages.link(n["iri"], root) for n in page["narrower"]],
        "claims": [_claim_cells(pages, c, root) for c in page["claims"]],
        "citing": [_claim_cells(pages, c, root) for c in page["claims_citing"]],
        "gaps": [gap_view(g, pages.link, root) for g in page["gaps"]],
        "addresses": [
            {
                **line,
                "harm": pages.link(line["harm"], root, line["harm_label"]),
                "strongest": _claim_cells(pages, line["strongest"], root),
            }
            for line in page["addresses"]
        ],
        "review": review,
        "review_harms": [pages.link(h["iri"], root) for h in review.get("harms", [])],
        "review_interventions": [
            pages.link(i["iri"], root) for i in review.get("interventions", [])
        ],
        "review_records": [
            {
                **r,
                "link": safe_url(r["url"]) if r["primary"] else "",
                "address": "" if r["primary"] else r["url"],
                "report_of_anchor": r["report_of"].startswith("record-"),
                "source": pages.link(r["source"], root) if r["source"] else None,
            }
            for r in review.get("records", [])
        ],
        "review_agent": pages.link(review.get("agent"), root, review.get("agent_label")),
        "second_agent": pages.link(
            (review.get("second_screening") or {}).get("agent"),
            root,
            (review.get("second_screening") or {}).get("agent_label") or "the second screener",
        ),
        "prisma_svg": Markup(prisma_svg(review["flow"])) if review else "",
        "covered_by": [pages.link(r["iri"], root, r["label"]) for r in page["covered_by"]],
    }


def _claim_cells(pages: _Pages, row: dict, root: str) -> dict:
    return {
        **row,
        "href": pages.link(row["claim"], root)["href"],
        "subject": pages.link(row["subject"], root, row["subject_label"]),
        "object": pages.link(row["object"], root, row["object_label"]),
        "relation": _relation(row["relation"]),
        "citations": [
            {**c, "source": pages.link(c["source"], root, c["title"])} for c in row["citations"]
        ],
    }


def _claim_context(evidence: Evidence, pages: _Pages, iri: str, root: str) -> dict:
    return _claim_cells(pages, claim_row(evidence, pages.claims[iri]), root)


def _statement(claim: dict) -> str:
    return f"{claim['subject']['label']} {claim['relation']} {claim['object']['label']}"


def _relation(name: str) -> str:
    """``implementedBy`` as ``implemented by``."""
    return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", name).lower()


def _write_lists(env: jinja2.Environment, common: dict, out: Path, listing: dict) -> None:
    template = env.get_template("list.html")
    headings = dict(SITE_KINDS)
    for kind, rows in listing.items():
        (out / "id" / kind).mkdir(parents=True, exist_ok=True)
        rows = sorted(rows, key=lambda r: r["label"].lower())
        title = headings.get(kind) or kind_headings(kind)[1]
        (out / list_page(kind)).write_text(
            template.render(**common, root="../", title=title, rows=rows), encoding="utf-8"
        )


def _write_gaps(
    env: jinja2.Environment, common: dict, out: Path, pages: _Pages, gaps: Iterable[dict]
) -> None:
    views = [gap_view(g, pages.link, "") for g in gaps]
    groups = [
        {
            "kind": kind,
            "meaning": GAP_MEANINGS[kind],
            "gaps": [v for v in views if v["kind"] == kind],
        }
        for kind in GAP_KINDS
    ]
    (out / "gaps.html").write_text(
        env.get_template("gaps.html").render(
            **common,
            root="",
            title="Gaps",
            count=len(views),
            groups=[g for g in groups if g["gaps"]],
        ),
        encoding="utf-8",
    )


def _write_index(
    env: jinja2.Environment,
    common: dict,
    out: Path,
    listing: dict,
    counts: dict[str, int],
    gap_count: int,
) -> None:
    # The search index is a script, not JSON fetched at run time: browsers refuse fetch()
    # from file://, and a script tag works from a downloads folder too. "<" is escaped so
    # no label can close the script element.
    with (out / "search-index.js").open("w", encoding="utf-8") as handle:
        handle.write("window.HARMGRAPH_INDEX = [\n")
        first = True
        for kind, rows in listing.items():
            for row in rows:
                what = SINGULAR.get(kind) or kind_headings(kind)[0]
                entry = json.dumps([row["path"] + ".html", what, row["label"], row["alt_labels"]])
                handle.write(("" if first else ",\n") + entry.replace("<", "\\u003c"))
                first = False
        handle.write("\n];\n")
    summary = ", ".join(f"{counts[kind]} {heading.lower()}" for kind, heading in SITE_KINDS)
    (out / "index.html").write_text(
        env.get_template("index.html").render(
            **common,
            root="",
            title="harmgraph",
            summary=f"This site holds {summary}.",
            counts=[(kind, heading, counts[kind]) for kind, heading in SITE_KINDS],
            gap_count=gap_count,
        ),
        encoding="utf-8",
    )
