"""Tables as text: the one CSV writer and the plain-text table every command prints.

Examples
--------
>>> print(csv_text(["a", "b"], [["1", 'say "hi", then go']]), end="")
a,b
1,"say ""hi"", then go"
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable


def csv_text(columns: list[str], rows: Iterable[Iterable[object]]) -> str:
    """RFC 4180 CSV (quotes doubled, fields with commas, quotes or line breaks quoted), with a
    header row and ``\\n`` line ends; every CSV harmgraph writes comes from here."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(rows)
    return buffer.getvalue()


def format_table(columns: list[str], rows: list[list[str]], width: int = 60) -> str:
    """Render rows as a plain-text table, cutting cells longer than ``width``.

    >>> print(format_table(["a", "b"], [["1", "two"]]))
    a  b
    -  ---
    1  two
    """
    cut = [[c if len(c) <= width else c[: width - 1] + "…" for c in row] for row in rows]
    sizes = [max([len(h)] + [len(r[i]) for r in cut]) for i, h in enumerate(columns)]
    lines = ["  ".join(h.ljust(sizes[i]) for i, h in enumerate(columns)).rstrip()]
    lines.append("  ".join("-" * sizes[i] for i in range(len(columns))))
    lines += ["  ".join(c.ljust(sizes[i]) for i, c in enumerate(r)).rstrip() for r in cut]
    return "\n".join(lines)
