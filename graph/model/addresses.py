"""Primary addresses: a source's DOI, its arXiv abstract page, or its issuer's own page.

Never a mirror, aggregator, proxy, search-engine cache, preview build, content farm or
AI-summary site. The hosts and markers that give such copies away are kept in
``non-primary-hosts.txt`` beside this module, one pattern per line with its category and reason;
this module matches addresses against them and applies the DOI and arXiv rules:

- a source with a DOI (``bibo:doi``, the bare ``10.NNNN/...``) uses ``https://doi.org/<doi>``
  (an arXiv DOI may use the arXiv abstract page instead);
- an address on arXiv is ``https://arxiv.org/abs/<id>``, with an optional version;
- a ``doi.org`` address needs the matching ``bibo:doi``.

A source whose primary address could not be reached keeps the copy that verified it, and says so
in ``hg:primaryNotReached``. A screening record keeps the address where its item was found; the
site and the app show a non-primary address as text, never as a link (:func:`is_primary`).

Examples
--------
>>> is_primary("https://doi.org/10.1016/j.chiabu.2018.03.031")
True
>>> non_primary("https://docslib.org/doc/123/paper")
['docslib.org']
>>> is_primary("https://x.y.workers.dev/https/www.example.org/a")
False
>>> source_problems("https://arxiv.org/html/2505.03859v1", doi="", not_reached=False)
['an arXiv paper uses https://arxiv.org/abs/<id>']
"""

from __future__ import annotations

import fnmatch
import re
from functools import cache, lru_cache
from importlib import resources
from urllib.parse import urlsplit

ARXIV = re.compile(r"https://arxiv\.org/abs/(\d{4}\.\d{4,5})(v\d+)?")
DOI = re.compile(r"10\.\d{4,9}/\S+")


@cache
def patterns() -> tuple[tuple[str, str], ...]:
    """The non-primary patterns, each with its ``category: why``."""
    text = (resources.files("harmgraph.model") / "non-primary-hosts.txt").read_text("utf-8")
    rows = []
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        pattern, _, why = line.partition("  # ")
        rows.append((pattern.strip(), why.strip()))
    return tuple(rows)


def matches(url: str, pattern: str) -> bool:
    """Whether ``url`` matches one pattern of the list (see the list's header for the forms)."""
    parts = _split(url)
    return parts is None or _matches(parts, pattern)


def non_primary(url: str) -> list[str]:
    """The patterns ``url`` matches (empty for an address that may be primary)."""
    return list(_non_primary(url))


@lru_cache(maxsize=1 << 16)
def _non_primary(url: str) -> tuple[str, ...]:
    # Kept per address: the site asks about each source's address once per page that shows it,
    # and every question runs the whole list (a third of `harmgraph site`'s time before).
    parts = _split(url)
    return tuple(p for p, _ in patterns() if parts is None or _matches(parts, p))


def _split(url: str) -> tuple[str, str, str] | None:
    """``url``'s host, path, and path with query; None for an address too broken to split,
    which is no primary address either."""
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").rstrip(".").lower()
    except ValueError:
        return None
    return host, parts.path, parts.path + ("?" + parts.query if parts.query else "")


def _matches(parts: tuple[str, str, str], pattern: str) -> bool:
    host, path, rest = parts
    if pattern.startswith("/") or "=" in pattern:
        return pattern in rest
    if "/" in pattern:
        pattern_host, _, prefix = pattern.partition("/")
        on_host = host == pattern_host or host.endswith("." + pattern_host)
        return on_host and path.startswith("/" + prefix)
    if "*" in pattern or "[" in pattern:
        return fnmatch.fnmatchcase(host, pattern)
    return host == pattern or host.endswith("." + pattern)


def is_primary(url: str) -> bool:
    """Whether ``url`` may be shown as a link: an http(s) address that matches no pattern and
    keeps to the arXiv rule."""
    if not url.startswith(("https://", "http://")):
        return False
    host = (urlsplit(url).hostname or "").lower()
    if (host == "arxiv.org" or host.endswith(".arxiv.org")) and not ARXIV.fullmatch(url):
        return False
    return not non_primary(url)


def source_problems(url: str, doi: str, not_reached: bool) -> list[str]:
    """What is wrong with a source's address under the DOI, arXiv and host rules; a copy is
    allowed only when ``not_reached`` (the source records that the primary was not reached)."""
    problems = []
    host = (urlsplit(url).hostname or "").lower() if url else ""
    if (host == "arxiv.org" or host.endswith(".arxiv.org")) and not ARXIV.fullmatch(url):
        problems.append("an arXiv paper uses https://arxiv.org/abs/<id>")
    if host == "doi.org" and url != f"https://doi.org/{doi}":
        problems.append("a doi.org address needs the matching bibo:doi")
    if doi:
        if not DOI.fullmatch(doi):
            problems.append("bibo:doi is the bare DOI, 10.NNNN/...")
        arxiv = re.fullmatch(r"10\.48550/arXiv\.(\S+)", doi)
        on_arxiv = ARXIV.fullmatch(url)
        same_paper = bool(arxiv and on_arxiv and on_arxiv.group(1) == arxiv.group(1))
        # No address at all is fine: the DOI is the address.
        if url and url != f"https://doi.org/{doi}" and not same_paper:
            problems.append("a source with a DOI uses https://doi.org/<doi>")
    hits = non_primary(url) if url else []
    if hits and not not_reached:
        problems.append(
            f"the address is a copy ({', '.join(hits)}): use the issuer's own page, or record "
            "hg:primaryNotReached saying the primary address was not reached"
        )
    return problems
