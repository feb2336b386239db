"""The slug rule: the last part of an instance IRI ``https://w3id.org/harmgraph/id/<kind>/<slug>``.

A slug is lower-case ASCII letters, digits and hyphens, starts with a letter or a digit, and is
at most 60 characters long (:data:`SLUG`). The importers read every slug a cell names with
:func:`slug_in`, which refuses anything else, and derive slugs with :func:`slugify` and
:func:`hashed_slug`.

Two other readers of slugs still accept more, and each keeps its own behaviour until they are
unified with this rule; both take their patterns from here, so the differences are in one place:

- the static site gives an entity a page named after its slug when the slug matches
  :data:`PAGE_SLUG` (upper case, ``.``, ``_`` and ``~`` allowed, any length) and does not end in
  a data-file suffix, and a name hashed from the IRI otherwise (:func:`page_slug`);
- the w3id ``.htaccess`` redirects every slug that matches :data:`REDIRECT_SLUG`, which does not
  even require the first character to be a letter or digit.

Examples
--------
>>> is_slug("hash-matching"), is_slug("Hash_Matching"), is_slug("-x")
(True, False, False)
>>> slug_of("intervention/hash-matching", "intervention")
'hash-matching'
>>> slug_in("intervention/hash-matching", "intervention"), slug_in("hash-matching", "harm")
('hash-matching', 'hash-matching')
>>> slug_in("../../harm/dotdot", "intervention") is None
True
>>> slugify("Internet Watch Foundation (IWF)")
'internet-watch-foundation-iwf'
>>> page_slug("https://w3id.org/harmgraph/id/harm/Odd_Name", "harm")
'Odd_Name'
>>> page_slug("https://example.org/x?y", "harm").startswith("x-")
True
"""

from __future__ import annotations

import hashlib
import re

from harmgraph.rdf.namespaces import ID_IRI

#: The rule every new slug follows.
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,59}$")
#: The rule in words, for messages.
SLUG_RULE = (
    "lower-case ASCII letters, digits and hyphens, starting with a letter or a digit, "
    "at most 60 characters"
)
#: The characters the site and the w3id redirects accept in a slug (RFC 3986's unreserved set).
PAGE_SLUG_CHARACTERS = "A-Za-z0-9._~-"
#: A slug the site gives a page of its own name.
PAGE_SLUG = re.compile(rf"[A-Za-z0-9][{PAGE_SLUG_CHARACTERS}]*")
#: The slug part of the w3id redirect rule for an entity (an Apache regular expression).
REDIRECT_SLUG = rf"[{PAGE_SLUG_CHARACTERS}]+"
#: Suffixes of the files written beside each page, which a page's own name must not end with.
DATA_SUFFIXES = (".ttl", ".jsonld", ".html")


def is_slug(text: str) -> bool:
    """Whether ``text`` follows the slug rule."""
    return SLUG.fullmatch(text) is not None


def slug_of(value: str, kind: str) -> str:
    """The slug in ``kind/slug``, a full IRI or a bare slug (not checked against the rule)."""
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
    with a slug matching :data:`PAGE_SLUG` (so w3id redirects map straight onto it), else a
    name hashed from the IRI (an odd IRI can never name a file outside its folder)."""
    prefix = f"{ID_IRI}{kind}/"
    slug = iri[len(prefix) :] if iri.startswith(prefix) else ""
    if not PAGE_SLUG.fullmatch(slug) or slug.endswith(DATA_SUFFIXES):
        slug = "x-" + hashlib.sha256(iri.encode("utf-8")).hexdigest()[:24]
    return slug
