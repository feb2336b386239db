"""The site's pages beyond the entities: the map, the priorities, the downloads, and the
``.htaccess`` that w3id.org needs to send each IRI to its page or data file.

Each function writes its page into a site folder that :func:`harmgraph.publish.site.write_site` is
building; see there for the layout.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import jinja2

from harmgraph.analysis.priorities import DEFAULT_WEIGHTS, criteria, rank_rows
from harmgraph.model.slugs import REDIRECT_SLUG
from harmgraph.publish.matrix_html import _json_for_script, matrix_html
from harmgraph.publish.release import build_release
from harmgraph.rdf.export import DISTRIBUTIONS
from harmgraph.rdf.load import LoadedGraph

#: What each priority criterion measures, in words, for the page.
CRITERIA_TEXT = {
    "severity": "the highest severity of the harms concerned",
    "reach": "how many actor roles those harms affect",
    "enablers": "how many technology categories enable them",
    "weakness": "how weak the strongest evidence behind the link is",
    "stated": "whether a source states the need",
}
#: Where w3id.org sends requests when the site's own address is not given.
PLACEHOLDER_BASE = "https://harmgraph.example.org/"


def write_map(graph: LoadedGraph, out: Path, href: Callable[[str], str]) -> None:
    """``map.html``: the evidence-gap map, linking claims, sources and reviews to their pages."""
    (out / "map.html").write_text(matrix_html(graph, href=href, nav_root=""), encoding="utf-8")


def write_priorities(
    env: jinja2.Environment,
    common: dict,
    graph: LoadedGraph,
    out: Path,
    link: Callable[..., dict[str, str]],
) -> None:
    """``priorities.html`` at the default weights, and the data its script re-ranks with."""
    raw = criteria(graph)
    ranked = rank_rows(raw)
    # rank_priorities keeps criteria's order in its rows' identities: match them by gap.
    index_of = {(r["kind"], r["subject"], r["object"]): i for i, r in enumerate(raw)}
    rows = [
        {
            "index": index_of[(r["kind"], r["subject"], r["object"])],
            "rank": r["rank"],
            "score": r["score"],
            "kind": r["kind"],
            "subject": link(r["subject"], "", r["subject_label"]),
            "object": link(r["object"], "", r["object_label"]) if r["object"] else None,
            "explanation": r["explanation"],
            "criteria": r["criteria"],
        }
        for r in ranked
    ]
    data = {
        "names": list(DEFAULT_WEIGHTS),
        "defaults": DEFAULT_WEIGHTS,
        "rows": [
            {
                "kind": r["kind"],
                "label": str(r["subject_label"]).lower(),
                "object": r["object"],
                "raw": r["raw"],
            }
            for r in raw
        ],
    }
    (out / "priorities.js").write_bytes((_templates() / "priorities.js").read_bytes())
    (out / "priorities.html").write_text(
        env.get_template("priorities.html").render(
            **common,
            root="",
            title="Priorities",
            rows=rows,
            weights=list(DEFAULT_WEIGHTS.items()),
            criteria_text=list(CRITERIA_TEXT.items()),
            data=_json_for_script(data),
        ),
        encoding="utf-8",
    )


def _templates():  # noqa: ANN202 - an importlib Traversable
    from harmgraph.publish.site import TEMPLATES

    return TEMPLATES


def write_downloads(env: jinja2.Environment, common: dict, graph: LoadedGraph, out: Path) -> None:
    """``downloads/`` (every distribution and ``void.ttl``, as ``harmgraph build`` writes
    them) and ``downloads.html`` listing them."""
    paths = build_release(graph, out / "downloads")
    media = {f"harmgraph.{p.suffix[1:]}": t for p, t in _media(paths).items()}
    files = [
        {
            "name": path.name,
            "href": f"downloads/{path.name}",
            "format": media.get(path.name, "VoID and DCAT description (Turtle)"),
            "size": f"{path.stat().st_size:,} bytes",
        }
        for path in paths
    ]
    (out / "downloads.html").write_text(
        env.get_template("downloads.html").render(
            **common, root="", title="Downloads", files=files
        ),
        encoding="utf-8",
    )


def _media(paths: list[Path]) -> dict[Path, str]:
    from harmgraph.rdf.store import FORMATS

    by_suffix = {FORMATS[fmt][1]: DISTRIBUTIONS[fmt] for fmt in DISTRIBUTIONS}
    return {p: by_suffix[p.suffix[1:]] for p in paths if p.suffix[1:] in by_suffix}


def htaccess(base: str, version: str = "") -> str:
    """The ``.htaccess`` for w3id.org's ``harmgraph/`` folder: every IRI is sent (303 See
    Other) to its page for ``text/html``, its ``.ttl`` for ``text/turtle`` and its
    ``.jsonld`` for ``application/ld+json``; a browser, or a client that asks for nothing in
    particular, gets the page. ``version`` is the ontology's ``owl:versionInfo``: its version
    IRI is sent to the ontology this site documents.

    >>> rules = htaccess("https://example.org/hg/").splitlines()
    >>> entity = [r for r in rules if r.startswith("RewriteRule ^id/([a-z-]+)/(")]
    >>> entity[1]
    'RewriteRule ^id/([a-z-]+)/([A-Za-z0-9._~-]+)$ https://example.org/hg/id/$1/$2.ttl [R=303,L]'
    """
    base = base if base.endswith("/") else base + "/"
    lines = [
        "# w3id.org redirects for harmgraph, written by `harmgraph site`.",
        f"# They send https://w3id.org/harmgraph/... to the site published at {base}",
        "# Content negotiation: text/html -> the page, text/turtle -> .ttl,",
        "# application/ld+json -> .jsonld; anything else -> the page.",
        "Options +FollowSymLinks",
        "RewriteEngine on",
        "",
    ]
    targets = [
        (
            "the ontology namespace (and its hash terms)",
            r"^ontology$",
            "ontology/",
            ("reference.html", "harmgraph.ttl", "harmgraph.jsonld"),
        ),
        (
            f"version {version} of the ontology",
            f"^ontology/{re.escape(version)}$",
            "ontology/",
            ("reference.html", "harmgraph.ttl", "harmgraph.jsonld"),
        ),
        ("the shapes", r"^shapes$", "ontology/", ("shapes.html", "shapes.ttl", "shapes.ttl")),
        (
            "the concept schemes",
            r"^id/scheme/([a-z-]+)$",
            "ontology/",
            ("schemes.html#scheme-$1", "harmgraph.ttl", "harmgraph.jsonld"),
        ),
        (
            "every entity",
            rf"^id/([a-z-]+)/({REDIRECT_SLUG})$",
            "id/$1/",
            ("$2.html", "$2.ttl", "$2.jsonld"),
        ),
    ]
    for comment, pattern, folder, (page, turtle, jsonld) in targets:
        if not version and "version" in comment:
            continue
        # NE keeps a "#" in a target as a fragment instead of escaping it.
        flags = "[R=303,NE,L]" if "#" in page else "[R=303,L]"
        lines += [
            f"# {comment}",
            "RewriteCond %{HTTP_ACCEPT} text/html",
            f"RewriteRule {pattern} {base}{folder}{page} {flags}",
            "RewriteCond %{HTTP_ACCEPT} text/turtle",
            f"RewriteRule {pattern} {base}{folder}{turtle} [R=303,L]",
            r"RewriteCond %{HTTP_ACCEPT} application/ld\+json",
            f"RewriteRule {pattern} {base}{folder}{jsonld} [R=303,L]",
            f"RewriteRule {pattern} {base}{folder}{page} {flags}",
            "",
        ]
    lines += [
        "# the lists of each kind, and the home page",
        f"RewriteRule ^id/([a-z-]+)/?$ {base}id/$1/index.html [R=303,L]",
        f"RewriteRule ^$ {base}index.html [R=303,L]",
        "",
    ]
    return "\n".join(lines)


def write_w3id(out: Path, base: str) -> None:
    """``w3id/.htaccess`` and the README w3id.org asks for beside it."""
    from harmgraph.publish.ontology_docs import ontology_header

    folder = out / "w3id"
    folder.mkdir(parents=True, exist_ok=True)
    version = ontology_header()["version"]
    (folder / ".htaccess").write_text(htaccess(base, version), encoding="utf-8")
    (folder / "README.md").write_text(
        "# harmgraph\n\n"
        "Permanent identifiers for harmgraph, an open knowledge graph of the harms of "
        "AI-generated child sexual abuse material and the evidence behind each link.\n\n"
        f"The redirects send `https://w3id.org/harmgraph/` to {base}\n\n"
        "Contact: the harmgraph maintainers, through the project's issue tracker.\n",
        encoding="utf-8",
    )
