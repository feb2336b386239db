"""The SPARQL queries harmgraph runs and ships, one ``.rq`` file each (package data).

The evidence and review readers run the plain ones by name (:func:`read_query`); the
``cq-*.rq`` files are the competency questions the graph is built to answer, which the app
offers as examples (:func:`example_queries`). This package imports nothing from harmgraph: the
files are read through :mod:`importlib.resources`, from a checkout or an installed wheel.

>>> "hg:Claim" in read_query("claims")
True
>>> questions = example_queries()
>>> questions[0][0].startswith("Which harms")
True
"""

from __future__ import annotations

from functools import cache
from importlib import resources

_FOLDER = resources.files(__name__)


@cache
def read_query(name: str) -> str:
    """Return the text of ``<name>.rq`` in this package."""
    return (_FOLDER / f"{name}.rq").read_text(encoding="utf-8")


def example_queries() -> list[tuple[str, str]]:
    """The competency questions shipped as ``cq-*.rq``: (question, query), in file order."""
    found = []
    for entry in sorted(_FOLDER.iterdir(), key=lambda e: e.name):
        if entry.name.startswith("cq-") and entry.name.endswith(".rq"):
            text = entry.read_text(encoding="utf-8")
            title = text.splitlines()[0].lstrip("# ").strip()
            found.append((title, text))
    return found
