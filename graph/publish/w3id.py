"""The redirects w3id.org needs: a ``.htaccess`` that sends each harmgraph IRI to its page or
data file in the published site, by content negotiation, and the README w3id.org asks for.

Each function writes into a site folder that :func:`harmgraph.publish.site.write_site` is
building; see there for the layout.
"""

from __future__ import annotations

import re
from pathlib import Path

from harmgraph.model.slugs import SLUG_PATTERN
from harmgraph.publish.ontology_docs import ontology_header

#: Where w3id.org sends requests when the site's own address is not given.
PLACEHOLDER_BASE = "https://harmgraph.example.org/"


def htaccess(base: str, version: str = "") -> str:
    """The ``.htaccess`` for w3id.org's ``harmgraph/`` folder: every IRI is sent (303 See
    Other) to its page for ``text/html``, its ``.ttl`` for ``text/turtle`` and its
    ``.jsonld`` for ``application/ld+json``; a browser, or a client that asks for nothing in
    particular, gets the page. An entity is matched by the one slug rule itself
    (:data:`harmgraph.model.slugs.SLUG_PATTERN`), exactly the slugs the site names pages
    after; an IRI that does not follow it has a page named after its hash and no redirect.
    ``version`` is the ontology's ``owl:versionInfo``: its version IRI is sent to the ontology
    this site documents.

    >>> rules = htaccess("https://example.org/hg/").splitlines()
    >>> entity = [r for r in rules if r.startswith("RewriteRule ^id/([a-z-]+)/(")]
    >>> entity[1].split(" ")[1:3]
    ['^id/([a-z-]+)/([a-z0-9][a-z0-9-]{0,79})$', 'https://example.org/hg/id/$1/$2.ttl']
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
            rf"^id/([a-z-]+)/({SLUG_PATTERN})$",
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
        "# the lists of each kind (beside the kind's folder, so no slug can take the name),",
        "# and the home page",
        f"RewriteRule ^id/([a-z-]+)/?$ {base}id/$1.html [R=303,L]",
        f"RewriteRule ^$ {base}index.html [R=303,L]",
        "",
    ]
    return "\n".join(lines)


def write_w3id(out: Path, base: str) -> None:
    """``w3id/.htaccess`` and the README w3id.org asks for beside it."""
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
