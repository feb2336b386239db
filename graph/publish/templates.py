"""The templates of the site and the map: where they are, the Jinja2 environment that renders
them, the kinds of entity that get pages (the navigation), and data made safe to sit inside a
``<script>`` element.

Examples
--------
>>> json_for_script({"label": "</script><b>&"})
'{"label":"\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e\\\\u0026"}'
>>> environment().get_template("list.html") is not None
True
"""

from __future__ import annotations

import json
from importlib import resources

import jinja2

#: The page templates, the stylesheets and the scripts, shipped in the package.
TEMPLATES = resources.files("harmgraph.publish") / "templates"

#: The kinds that get pages, with their headings, in the order of the navigation.
SITE_KINDS = (
    ("harm", "Harms"),
    ("technology", "Technologies"),
    ("actor", "Actors"),
    ("intervention", "Interventions"),
    ("source", "Sources"),
    ("claim", "Claims"),
    ("gap", "Stated gaps"),
    ("review", "Reviews"),
)


def environment() -> jinja2.Environment:
    """The Jinja2 environment of the site and the map: autoescaping, strict about names."""
    return jinja2.Environment(
        loader=jinja2.FunctionLoader(lambda name: (TEMPLATES / name).read_text(encoding="utf-8")),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )


def json_for_script(data: object) -> str:
    """JSON that cannot end the script element it sits in, nor be read as HTML."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for raw, escaped in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(raw, escaped)
    return text
