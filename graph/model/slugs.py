"""The one slug rule: the last part of an instance IRI ``https://w3id.org/harmgraph/id/<kind>/<slug>``.

A slug is lower-case ASCII letters, digits and hyphens, starts with a letter or a digit, and is
at most 80 characters long (:data:`SLUG_PATTERN`; the slugs the importers make are at most 60,
and 80 admits the few longer IRIs minted before the rule, which are permanent). Every reader of
slugs holds them to it:

- the importers derive slugs with :func:`slugify` and :func:`hashed_slug`, and the claims
  importer reads every slug a cell names with :func:`slug_in`, which refuses anything else
  (:func:`slug_of`, which checks nothing, is left for the screening-log importer until it
  reads its cells with :func:`slug_in` too);
- the static site names an entity's page after its slug when the IRI is
  ``<id>/<kind>/<slug>`` and the slug follows the rule, and otherwise after a hash of the IRI
  that holds ``_``, which no slug does (:func:`page_slug`), so no other entity's page can
  have that name;
- the w3id ``.htaccess`` redirects exactly the slugs that follow the rule (its pattern is
  :data:`SLUG_PATTERN` itself), so an IRI that does not follow it is never sent to a page,
  and certainly not to a page of another entity's.

A kind's list of entities is :func:`list_page`, ``id/<kind>.html``, beside the kind's folder
rather than in it, so that no slug (``index`` included) can take its name.

Examples
--------
>>> is_slug("hash-matching"), is_slug("Hash_Matching"), is_slug("-x"), is_slug("a" * 81)
(True, False, False, False)
>>> slug_of("intervention/hash-matching", "intervention")
'hash-matching'
>>> slug_in("intervention/hash-matching", "intervention"), slug_in("hash-matching", "harm")
('hash-matching', 'hash-matching')
>>> slug_in("../../harm/dotdot", "intervention") is None
True
>>> slugify("Internet Watch Foundation (IWF)")
'internet-watch-foundation-iwf'
>>> page_slug("https://w3id.org/harmgraph/id/harm/index", "harm")
'index'
>>> page_slug("https://w3id.org/harmgraph/id/harm/Odd_Name", "harm").startswith("x_")
True
>>> list_page("harm")
'id/harm.html'
"""

from __future__ import annotations

import hashlib
import re

from harmgraph.rdf.namespaces import ID_IRI

#: The rule, as a regular expression that Python and Apache (PCRE) read alike: ASCII classes
#: and a bounded repeat, nothing else.
SLUG_PATTERN = r"[a-z0-9][a-z0-9-]{0,79}"
SLUG = re.compile(SLUG_PATTERN)
#: The rule in words, for messages.
SLUG_RULE = (
    "lower-case ASCII letters, digits and hyphens, starting with a letter or a digit, "
    "at most 80 characters"
)


def is_slug(text: str) -> bool:
    """Whether ``text`` follows the slug rule."""
    return SLUG.fullmatch(text) is not None


def slug_of(value: str, kind: str) -> str:
    """The slug in ``kind/slug``, a full IRI or a bare slug, not checked against the rule: read
    a cell with :func:`slug_in` instead."""
    value = value.strip()
    for prefix in (ID_IRI + kind + "/", kind + "/"):
        value = value.removeprefix(prefix)
    return value


def slug_in(value: str, kind: str) -> str | None:
    """The slug that ``value`` names, as ``kind/slug``, a bare slug or the full IRI, when the
    slug follows the rule; else None. Nothing else is read as a slug: not another kind's
    ``other/slug``, not a path with more segments, nothing with ``..``."""
    value = value.strip()
    for prefix in (ID_IRI + kind + "/", kind + "/", ""):
        if value.startswith(prefix) and is_slug(value[len(prefix) :]):
            return value[len(prefix) :]
    return None


def slugify(text: str, fallback: str = "agent") -> str:
    """A slug made from free text: runs of anything but letters and digits become one hyphen,
    cut to 60 characters (``fallback`` when nothing is left)."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or fallback


def hashed_slug(text: str) -> str:
    """A stable slug for something named by ``text`` alone (a row, a DOI): ``import-`` and
    twelve hex digits of its SHA-1."""
    return "import-" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]


def page_slug(iri: str, kind: str) -> str:
    """The name of an entity's page in the site: its slug when the IRI is ``<id>/<kind>/<slug>``
    and the slug follows the rule (so the w3id redirect for the IRI leads to it), else ``x_``
    and a hash of the IRI, a name that no slug can be, no redirect reaches, and no odd IRI can
    turn into a path outside its folder."""
    prefix = f"{ID_IRI}{kind}/"
    slug = iri[len(prefix) :] if iri.startswith(prefix) else ""
    if not is_slug(slug):
        slug = "x_" + hashlib.sha256(iri.encode("utf-8")).hexdigest()[:24]
    return slug


def list_page(kind: str) -> str:
    """The site path of the list of a kind's entities: beside the kind's folder of pages, not
    in it, so no slug can take its name."""
    return f"id/{kind}.html"
