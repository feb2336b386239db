"""The redirects w3id.org needs: a ``.htaccess`` that sends each harmgraph IRI to its page or
data file in the published site, by content negotiation, and the README w3id.org asks for.

Each function writes into a site folder that :func:`harmgraph.publish.site.write_site` is
building; see there for the layout.

How the negotiation works. w3id.org runs Apache, and a project's only say in it is its
folder's ``.htaccess``: the rules there must choose the representation themselves, because the
site they send clients to may be any static host (which negotiates nothing). mod_rewrite cannot
compare q-values, so the rules do it in four steps, all in the ``.htaccess``:

1. for each media type served (:data:`MEDIA_TYPES`), find the quality the ``Accept`` header
   gives it, from the most specific range that names it (``text/turtle``, then ``text/*``,
   then ``*/*``), and keep it in an environment variable (``HG_Q_TTL=0900``);
2. pad each to four digits, so that comparing them as strings compares the numbers;
3. pick the type with the highest quality above zero; on a tie the first in
   :data:`MEDIA_TYPES` wins, and with no acceptable type at all, the page (``HG_EXT``);
4. redirect (303 See Other) to the file with that extension.

:func:`negotiate` is the same choice in Python: the tests hold the rules, read by a model of
mod_rewrite and by a real Apache, to it. Every answer carries ``Vary: Accept`` (mod_headers):
mod_rewrite adds its own ``Vary`` only to answers that are not redirects.

Examples
--------
>>> negotiate("text/turtle;q=0.9, text/html;q=0.1")
'ttl'
>>> negotiate("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")
'html'
>>> negotiate("application/*;q=0.5, application/n-triples"), negotiate(None)
('nt', 'html')
"""

from __future__ import annotations

import posixpath
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from harmgraph.errors import UsageError
from harmgraph.model.slugs import SLUG_PATTERN
from harmgraph.publish.ontology_docs import ontology_header
from harmgraph.rdf.namespaces import ID_IRI

#: Where w3id.org sends requests when the site's own address is not given.
PLACEHOLDER_BASE = "https://harmgraph.example.org/"
#: The IRIs' own namespace: the folder registered at w3id.org.
NAMESPACE = ID_IRI.removesuffix("id/")
#: What each page and data file is served as, by extension, in the order that breaks ties
#: (the page first: a client that accepts anything gets what a person can read).
MEDIA_TYPES = {
    "html": "text/html",
    "ttl": "text/turtle",
    "jsonld": "application/ld+json",
    "rdf": "application/rdf+xml",
    "nt": "application/n-triples",
}
#: The mark in w3id/README.md where the maintainers' contact must be written.
CONTACT_PLACEHOLDER = "TO BE FILLED IN BEFORE REGISTERING"

# A media range in an Accept header and its parameters, as the rules read them: the range
# after a comma (or at the start), parameters that are not q, then an optional q parameter.
_OTHER_PARAMS = r"(?:;(?!\s*q=)[^;,]*)*"
_QVALUE = r"(?:(0)(?:\.([0-9]{0,3}))?|(1)(?:\.0{0,3})?)"
_QVALUE_PY = re.compile(r"\s*q=(0(?:\.[0-9]{0,3})?|1(?:\.0{0,3})?)\s*", re.IGNORECASE)
_BASE_PATH = re.compile(r"[A-Za-z0-9._~/-]*")


def negotiate(accept: str | None) -> str:
    """The extension of the file the redirects choose for an ``Accept`` header: the media type
    of :data:`MEDIA_TYPES` with the highest quality above zero (RFC 9110, section 12.5.1),
    its quality taken from the most specific range naming it; on a tie the earlier one, and
    the page when nothing served is acceptable.

    Parameters other than q are ignored (``text/html;level=1`` counts as ``text/html``). A
    range whose first q is not a valid q-value (0 to 1, at most three decimals) is ignored,
    and when a range is named twice, what the rules choose is not defined.

    >>> negotiate("text/*;q=0.3, text/html;q=0.2"), negotiate("text/turtle;q=0, */*;q=0.1")
    ('ttl', 'html')
    """
    quality: dict[str, int] = {}
    for part in (accept or "").split(","):
        name, *params = part.split(";")
        q = 1000
        for param in params:
            if re.match(r"\s*q=", param, re.IGNORECASE):
                valid = _QVALUE_PY.fullmatch(param)
                q = round(float(valid.group(1)) * 1000) if valid else -1
                break
        if q >= 0 and name.strip():
            quality.setdefault(name.strip().lower(), q)
    best, chosen = 0, "html"
    for ext, media in MEDIA_TYPES.items():
        major = media.split("/")[0]
        for name in (media, f"{major}/*", "*/*"):
            if name in quality:
                if quality[name] > best:
                    best, chosen = quality[name], ext
                break
    return chosen


def check_base_url(base: str) -> str:
    """``base`` with a trailing slash, when it is an address the site may be published at:
    http(s), a host, and a path of letters, digits and ``._~/-`` only (the rules copy it into
    their targets, where ``$`` or ``%`` would be read as a back-reference); and not inside
    the IRIs' own namespace, where every redirect would lead back into the redirects (a
    loop). Else :class:`UsageError`, before anything is written.

    >>> check_base_url("https://example.org/harmgraph")
    'https://example.org/harmgraph/'
    >>> check_base_url("HTTP://W3ID.org/HarmGraph/id")  # doctest: +IGNORE_EXCEPTION_DETAIL
    Traceback (most recent call last):
    harmgraph.errors.UsageError: --base-url ...
    """
    parts = urlsplit(base.strip())
    if (
        parts.scheme.lower() not in ("http", "https")
        or not parts.hostname
        or parts.query
        or parts.fragment
        or not _BASE_PATH.fullmatch(parts.path)
    ):
        msg = (
            f"--base-url {base!r}: give an http(s) address whose path has only letters, digits "
            "and ._~/- such as https://example.org/harmgraph/"
        )
        raise UsageError(msg)
    namespace = urlsplit(NAMESPACE)
    path = posixpath.normpath("/" + unquote(parts.path).lstrip("/")).lower().rstrip("/") + "/"
    if parts.hostname.rstrip(".").lower() == namespace.hostname and path.startswith(
        namespace.path.lower()
    ):
        msg = (
            f"--base-url {base}: that is inside the IRIs' own namespace {NAMESPACE}, so every "
            "redirect would lead back into the redirects; give the address where the site "
            "itself is published, such as https://example.org/harmgraph/"
        )
        raise UsageError(msg)
    return base.strip() if base.strip().endswith("/") else base.strip() + "/"


def _range(media: str) -> str:
    """``media`` as a pattern for the start of a media range (``*`` and ``+`` escaped)."""
    return r"(?:^|,)\s*" + re.sub(r"([*+.])", r"\\\1", media) + r"\s*"


def _variable(ext: str) -> str:
    return f"HG_Q_{ext.upper()}"


def negotiation_rules() -> list[str]:
    """The rules that leave the chosen extension in ``HG_EXT`` (see the module's docstring)."""
    lines = [
        "# Content negotiation, with q-values: HG_EXT is set to the extension of the media",
        "# type the Accept header prefers (html, ttl, jsonld, rdf or nt; html when it names",
        "# none of them). Step 1: the quality of each type served, from */*, then from",
        "# text/* or application/*, then from the type itself (the most specific range wins).",
        "RewriteRule ^ - [E=HG_BEST:0000,E=HG_EXT:html]",
    ]
    majors = sorted({media.split("/")[0] for media in MEDIA_TYPES.values()}, reverse=True)
    ranges = [("*/*", list(MEDIA_TYPES))]
    ranges += [
        (f"{major}/*", [e for e, m in MEDIA_TYPES.items() if m.startswith(major + "/")])
        for major in majors
    ]
    ranges += [(media, [ext]) for ext, media in MEDIA_TYPES.items()]
    for media, exts in ranges:
        start = _range(media)
        without_q = ",".join(f"E={_variable(e)}:1" for e in exts)
        with_q = ",".join(f"E={_variable(e)}:%1%2%3" for e in exts)
        lines += [
            f"RewriteCond %{{HTTP:Accept}} {start}{_OTHER_PARAMS}(?:,|$) [NC]",
            f"RewriteRule ^ - [{without_q}]",
            f"RewriteCond %{{HTTP:Accept}} {start}{_OTHER_PARAMS};\\s*q={_QVALUE}"
            r"\s*(?:[;,]|$) [NC]",
            f"RewriteRule ^ - [{with_q}]",
        ]
    lines.append("# Step 2: each quality as four digits (0.9 is 0900, 1 is 1000).")
    for ext in MEDIA_TYPES:
        lines += [
            f"RewriteCond %{{ENV:{_variable(ext)}}}000 ^([0-9]{{4}})",
            f"RewriteRule ^ - [E={_variable(ext)}:%1]",
        ]
    lines.append("# Step 3: the highest quality above zero; on a tie, the type listed first.")
    for ext in MEDIA_TYPES:
        lines += [
            f"RewriteCond expr \"reqenv('{_variable(ext)}') > reqenv('HG_BEST')\"",
            f"RewriteRule ^ - [E=HG_BEST:%{{ENV:{_variable(ext)}}},E=HG_EXT:{ext}]",
        ]
    return lines


def htaccess(base: str, version: str = "") -> str:
    """The ``.htaccess`` for w3id.org's ``harmgraph/`` folder: every IRI is sent (303 See
    Other) to the page or data file the client's ``Accept`` header prefers (see
    :func:`negotiate`): an entity to ``id/<kind>/<slug>.<ext>``, the ontology (and its version
    IRI, whose version is ``version``) to its reference page or ``harmgraph.<ext>``, the shapes
    to ``shapes.<ext>``. An entity is matched by the one slug rule itself
    (:data:`harmgraph.model.slugs.SLUG_PATTERN`): only paths without a dot, so no rule can
    match the file it sends to, and an IRI that does not follow the rule has a page named
    after its hash and no redirect.

    >>> rules = htaccess("https://example.org/hg/").splitlines()
    >>> [r for r in rules if r.startswith("RewriteRule ^id/([a-z-]+)/(")][0].split(" ")[1:3]
    ['^id/([a-z-]+)/([a-z0-9][a-z0-9-]{0,79})$', 'https://example.org/hg/id/$1/$2.%{ENV:HG_EXT}']
    """
    base = base if base.endswith("/") else base + "/"
    ontology = r"^ontology/?$" if not version else rf"^ontology(/|/{re.escape(version)})?$"
    lines = [
        "# w3id.org redirects for harmgraph, written by `harmgraph site`; the contact is in",
        "# README.md beside this file.",
        f"# They send {NAMESPACE}... to the site published at {base}",
        "# by content negotiation: each IRI to its page (text/html) or to its data as Turtle,",
        "# JSON-LD, RDF/XML or N-Triples, as the Accept header prefers, q-values included.",
        "Options +FollowSymLinks",
        "RewriteEngine on",
        "<IfModule mod_headers.c>",
        "# Every answer depends on Accept; mod_rewrite's own Vary is dropped from redirects.",
        "Header always merge Vary Accept",
        "</IfModule>",
        "",
        *negotiation_rules(),
        "",
        "# Step 4: the redirects. No pattern matches a target: each target ends in a file's",
        "# extension, which no pattern allows (an entity's slug has no dot), so even a site",
        "# served from this folder itself could not send a client round in a loop.",
        "# every entity: id/<kind>/<slug>.html, .ttl, .jsonld, .rdf or .nt",
        rf"RewriteRule ^id/([a-z-]+)/({SLUG_PATTERN})$ {base}id/$1/$2.%{{ENV:HG_EXT}} [R=303,L]",
        "# the ontology namespace (and its hash terms)"
        + (f" and version {version}" if version else ""),
        "RewriteCond %{ENV:HG_EXT} =html",
        f"RewriteRule {ontology} {base}ontology/reference.html [R=303,L]",
        f"RewriteRule {ontology} {base}ontology/harmgraph.%{{ENV:HG_EXT}} [R=303,L]",
        "# the shapes",
        rf"RewriteRule ^shapes/?$ {base}ontology/shapes.%{{ENV:HG_EXT}} [R=303,L]",
        "# the list of each kind (beside the kind's folder, so no slug can take the name),",
        "# and the home page",
        f"RewriteRule ^id/([a-z-]+)/?$ {base}id/$1.html [R=303,L]",
        f"RewriteRule ^(id/?)?$ {base}index.html [R=303,L]",
        "",
    ]
    return "\n".join(lines)


def readme(base: str) -> str:
    """The README w3id.org asks for beside the ``.htaccess``: what the identifiers are, where
    they lead, and who to contact (a marked placeholder: no maintainer is known to harmgraph;
    it must be filled in before the folder is registered)."""
    return (
        "# harmgraph\n\n"
        "Permanent identifiers for harmgraph, an open knowledge graph of the harms of "
        "AI-generated child sexual abuse material, the technologies that enable them, the "
        "actors, the interventions and the evidence behind each link.\n\n"
        f"The redirects send `{NAMESPACE}` to the site published at {base}:\n\n"
        f"- `{NAMESPACE}id/<kind>/<slug>` (every entity, agent and concept scheme) to "
        "`id/<kind>/<slug>.html`, or to its data as `.ttl`, `.jsonld`, `.rdf` or `.nt`;\n"
        f"- `{NAMESPACE}ontology` (and its terms, `…/ontology#Harm`) to the ontology's "
        "reference page or `harmgraph.ttl`, `.jsonld`, `.rdf`, `.nt`;\n"
        f"- `{NAMESPACE}shapes` to the SHACL shapes, as a page or as data;\n"
        f"- `{NAMESPACE}id/<kind>/` to the list of that kind, and `{NAMESPACE}` to the home "
        "page.\n\n"
        "Each redirect is a 303 See Other chosen by the request's `Accept` header, q-values "
        "included (`text/html`, `text/turtle`, `application/ld+json`, `application/rdf+xml`, "
        "`application/n-triples`; the page when none of them is acceptable), with "
        "`Vary: Accept`.\n\n"
        "## How the rules choose\n\n"
        "mod_rewrite compares strings, not q-values, and the site may be on a static host "
        "that negotiates nothing, so the `.htaccess` does the negotiation itself, with "
        "mod_rewrite alone (Apache 2.4): for each media type served, a `RewriteCond` reads "
        "the quality the `Accept` header gives it, from the most specific range that names "
        "it (the type, then `text/*` or `application/*`, then `*/*`), into an environment "
        "variable; each is padded to four digits; `RewriteCond expr` keeps the highest above "
        "zero (on a tie, the earlier of html, ttl, jsonld, rdf, nt); and one `RewriteRule` "
        "per kind of IRI redirects to the file with that extension. mod_rewrite adds `Vary` "
        "only to answers that are not redirects, so `Header always merge Vary Accept` adds "
        "it. Every target ends in a file's extension and no pattern takes one, so no "
        "redirect can lead back into these rules. harmgraph's tests run these rules in a "
        "real Apache.\n\n"
        "## Contact\n\n"
        f"**{CONTACT_PLACEHOLDER}.** w3id.org asks every project for the name and address of "
        "a maintainer who answers for these redirects. No maintainer is named yet: write "
        "one here before opening the pull request, and keep it current.\n\n"
        f"- Name: {CONTACT_PLACEHOLDER}\n"
        f"- E-mail: {CONTACT_PLACEHOLDER}\n"
        f"- GitHub account: {CONTACT_PLACEHOLDER}\n"
    )


def write_w3id(out: Path, base: str) -> None:
    """``w3id/.htaccess`` and the README w3id.org asks for beside it."""
    folder = out / "w3id"
    folder.mkdir(parents=True, exist_ok=True)
    version = ontology_header()["version"]
    (folder / ".htaccess").write_text(htaccess(base, version), encoding="utf-8")
    (folder / "README.md").write_text(readme(base), encoding="utf-8")
