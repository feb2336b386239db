"""Keep the README's generated parts in step with the data.

Two kinds of generated part, each between HTML comments that a forge does not show:

- ``<!-- kb:start -->`` ... ``<!-- kb:end -->``: the summary of the bundled graph
  (``harmgraph stats --format markdown``);
- ``<!-- example[ lines=N][ width=W]: ARGS -->`` ... ``<!-- example:end -->``: a fenced block with
  ``$ harmgraph ARGS`` and what it prints on the bundled graph, cut to N lines of at most W
  characters.

``make readme`` rewrites them; a test fails when the README is stale, so every count and
example output in it is what the code prints today.

Examples
--------
>>> splice_section("a\\n<!-- kb:start -->\\nold\\n<!-- kb:end -->\\nb", "kb", "new")
'a\\n<!-- kb:start -->\\nnew\\n<!-- kb:end -->\\nb'
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

from click.testing import CliRunner

from harmgraph.analysis.summary import graph_summary_markdown
from harmgraph.cli import cli
from harmgraph.rdf.load import load_graph

_EXAMPLE = re.compile(
    r"(<!-- example(?P<opts>(?: \w+=\d+)*): (?P<args>.+?) -->\n)"
    r"(?P<body>.*?)(<!-- example:end -->)",
    re.S,
)


def splice_section(text: str, marker: str, body: str) -> str:
    """Replace what stands between ``<!-- marker:start -->`` and ``<!-- marker:end -->``."""
    start, end = f"<!-- {marker}:start -->", f"<!-- {marker}:end -->"
    if start not in text or end not in text:
        raise ValueError(f"the markers {start} and {end} are missing")
    head, rest = text.split(start, 1)
    _, tail = rest.split(end, 1)
    return f"{head}{start}\n{body.rstrip()}\n{end}{tail}"


def run_example(args: str, lines: int | None = None, width: int | None = None) -> str:
    """Return ``$ harmgraph ARGS`` and its output on the bundled graph, cut to size.

    >>> print(run_example("stats --format json", lines=3))  # doctest: +ELLIPSIS
    $ harmgraph stats --format json
    {
      "triples": ...
    ...
    """
    result = CliRunner().invoke(cli, shlex.split(args), catch_exceptions=False)
    output = result.output.rstrip("\n").splitlines()
    if lines is not None and len(output) > lines:
        output = [*output[:lines], "..."]
    if width is not None:
        output = [line if len(line) <= width else line[: width - 3] + "..." for line in output]
    return "\n".join([f"$ harmgraph {args}", *output])


def render(text: str) -> str:
    """Return ``text`` with every generated part rewritten from the bundled graph."""

    def example(match: re.Match) -> str:
        opts = dict(pair.split("=") for pair in match["opts"].split())
        output = run_example(
            match["args"],
            lines=int(opts["lines"]) if "lines" in opts else None,
            width=int(opts["width"]) if "width" in opts else None,
        )
        return f"{match[1]}```text\n{output}\n```\n{match[5]}"

    text = splice_section(text, "kb", graph_summary_markdown(load_graph()))
    return _EXAMPLE.sub(example, text)


def refresh(path: Path = Path("README.md")) -> bool:
    """Rewrite the generated parts of ``path``; return whether anything changed."""
    before = path.read_text(encoding="utf-8")
    after = render(before)
    if after != before:
        path.write_text(after, encoding="utf-8")
    return after != before
