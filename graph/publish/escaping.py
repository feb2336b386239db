"""Text from the data, made safe for the places it is shown: Markdown, Plotly and links.

Labels, definitions, titles, locators and rationales are data, and data may be hostile: a
label can hold Markdown images and links, HTML, a ``javascript:`` address or LaTeX. Each
function here returns text that the target shows exactly as written and never renders.

Examples
--------
>>> print(markdown_text("![x](http://e/i.png) $x$"))
\\!\\[x\\]\\(http\\:\\/\\/e\\/i\\.png\\) \\$x\\$
>>> plot_text('<a href="x">$1</a>')
'&lt;a href="x"&gt;&#36;1&lt;/a&gt;'
>>> safe_url("javascript:alert(1)"), safe_url("https://doi.org/10.1/x")
('', 'https://doi.org/10.1/x')
"""

from __future__ import annotations

import html
import re

from harmgraph.model.addresses import is_primary

# CommonMark lets any ASCII punctuation character be backslash-escaped, and an escaped
# character is always shown as itself: no emphasis, link, image, HTML, autolink, emoji code,
# Streamlit colour directive or LaTeX can be made from escaped text.
_ASCII_PUNCTUATION = re.compile(r"[!-/:-@\[-`{-~]")


def markdown_text(text: object) -> str:
    """Text for any element that renders Markdown (titles, captions, markdown, alerts):
    every punctuation character is escaped, and whitespace runs (line breaks included, which
    could start a list or a code block) become one space."""
    return _ASCII_PUNCTUATION.sub(lambda m: "\\" + m.group(0), " ".join(str(text).split()))


def plot_text(text: object) -> str:
    """Text for a Plotly label or hover: Plotly renders a subset of HTML (links included) and
    LaTeX between dollar signs, so both are escaped as character references."""
    return html.escape(str(text), quote=False).replace("$", "&#36;")


def safe_url(url: str) -> str:
    """``url`` if it is an http(s) address with no space, quote, bracket or backslash, else ''."""
    return url if re.fullmatch(r"https?://[^\s<>\"'()\[\]\\`]+", url or "") else ""


def primary_url(url: str) -> str:
    """``url`` when it may be a link: a safe http(s) address that is a primary one (a DOI, an
    arXiv abstract page or an issuer's own page, not a mirror, aggregator or proxy); else ''.
    A copy is shown as text, never as a link.

    >>> primary_url("https://doi.org/10.1/x"), primary_url("https://docslib.org/doc/1")
    ('https://doi.org/10.1/x', '')
    """
    target = safe_url(url)
    return target if target and is_primary(target) else ""


def html_text(text: object) -> str:
    """Text for HTML: escaped, whitespace runs made one space. HTML is not Markdown, so no
    link, image, emphasis or LaTeX can come out of it (st.html renders no Markdown).

    >>> html_text("[x](http://e/) <b>\\n$y$")
    '[x](http://e/) &lt;b&gt; $y$'
    """
    return html.escape(" ".join(str(text).split()), quote=True)


def html_link(label: object, url: str) -> str:
    """An external link from data: only a primary http(s) address (see :func:`primary_url`)
    becomes a link, opened in a new tab; anything else is the label as plain text.

    >>> html_link("<b>paper</b>", "javascript:alert(1)")
    '&lt;b&gt;paper&lt;/b&gt;'
    """
    target = primary_url(url)
    if not target:
        return html_text(label)
    return (
        f'<a href="{html.escape(target, quote=True)}" target="_blank" '
        f'rel="noopener noreferrer">{html_text(label)}</a>'
    )


def html_entity_link(label: object, entity_id: str) -> str:
    """A link to the app's own page for ``entity_id`` (``kind/slug``): the id is cut to
    characters that appear in slugs, so the link can only lead to this app.

    >>> html_entity_link("x", "harm/a?b=//evil")
    '<a href="/entity?id=harm/ab//evil" target="_self">x</a>'
    """
    slug = re.sub(r"[^A-Za-z0-9/_.-]", "", entity_id).lstrip("/")
    return f'<a href="/entity?id={slug}" target="_self">{html_text(label)}</a>'
