"""What the cog blocks in README.md and docs/*.md call to write their generated parts.

``make docs`` runs ``cog -r -I docs README.md docs/*.md``; ``tests/test_docs.py`` runs
``cog --check`` on the same files, so CI fails when a generated part (the CLI reference, an
example's output, a benchmark table) differs from what the code and the results files give
today. A block looks like this in Markdown (the comments do not show on a forge or on PyPI)::

    <!-- [[[cog cog.out(docgen.example("gaps --kind contested", lines=5)) ]]] -->
    ...generated...
    <!-- [[[end]]] -->

Only ``harmgraph.cli`` and files found by name are used here, never a module inside
``harmgraph``, so the docs survive the package being rearranged.

Examples
--------
>>> print(cut("one\\ntwo\\nthree", lines=2))
one
two
...
>>> cut("abcdefghij", width=8)
'abcde...'
"""

from __future__ import annotations

import ast
import contextlib
import importlib.util
import io
import json
import os
import re
import shlex
import subprocess
import tempfile
import tomllib
import traceback
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"

# The folders an example may name by a relative path (`--data graph/kb`, `examples/claims.csv`):
# each example runs in a fresh temporary folder that links to them, so what it writes (`build/`,
# `my-claims.ttl`) never lands in the checkout.
LINKED = ("graph", "examples", "ontology")

# What a user sees on a terminal of 80 columns or more (click wraps help at 78), with stdout and
# stderr in the order they were written.
ENV = {"COLUMNS": "80", "LINES": "24", "PYTHONUNBUFFERED": "1"}


def cut(text: str, lines: int | None = None, width: int | None = None) -> str:
    """``text`` cut to ``lines`` lines (then ``...``) of at most ``width`` characters."""
    rows = text.splitlines()
    if lines is not None and len(rows) > lines:
        rows = [*rows[:lines], "..."]
    if width is not None:
        rows = [row if len(row) <= width else row[: width - 3] + "..." for row in rows]
    return "\n".join(rows)


@contextlib.contextmanager
def workdir(files: dict[str, str] | None = None) -> Iterator[Path]:
    """A temporary working folder with the checkout's data folders linked in and ``files``."""
    before = Path.cwd()
    with tempfile.TemporaryDirectory(prefix="harmgraph-docs-") as folder:
        here = Path(folder)
        for name in LINKED:
            (here / name).symlink_to(ROOT / name, target_is_directory=True)
        for name, content in (files or {}).items():
            (here / name).parent.mkdir(parents=True, exist_ok=True)
            (here / name).write_text(content, encoding="utf-8")
        os.chdir(here)
        try:
            yield here
        finally:
            os.chdir(before)


def run(args: str, exit_code: int = 0) -> str:
    """What ``harmgraph ARGS`` prints (stdout and stderr, as a terminal shows them).

    Runs the real ``harmgraph`` command line, in this process (click's ``CliRunner``, with the
    program name and terminal width a user has), in the current folder: a process per example
    cost most of the time ``make docs`` and its check take. A different exit code than
    ``exit_code`` stops the generation: an example that fails unexpectedly must never become
    documentation.
    """
    from click.testing import CliRunner

    from harmgraph.cli import cli

    # On a terminal click wraps help at min(COLUMNS, 80) - 2, so 78 for ENV's 80 columns; its
    # runner forces 80 instead, unless the context is given a width.
    result = CliRunner().invoke(
        cli,
        shlex.split(args),
        prog_name="harmgraph",
        env=ENV,
        catch_exceptions=True,
        terminal_width=78,
    )
    code = result.exit_code if isinstance(result.exit_code, int) else 1
    # stdout and stderr in the order they were written (click's runner keeps both, and mixed).
    printed = result.output
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        printed += "".join(traceback.format_exception(result.exception))
    if code != exit_code:
        msg = f"`harmgraph {args}` exited {code}, not {exit_code}:\n{printed}"
        raise RuntimeError(msg)
    return printed.rstrip("\n")


def example(
    *commands: str,
    lines: int | None = None,
    width: int | None = None,
    exit_code: int = 0,
    files: dict[str, str] | None = None,
) -> str:
    """A ``text`` block: each ``$ harmgraph COMMAND`` and what it prints, cut to size.

    Every command runs in one temporary folder (``files`` written into it first); only the
    last one's output is cut, and only the last may exit with ``exit_code``.
    """
    parts = []
    with workdir(files):
        for index, args in enumerate(commands):
            last = index == len(commands) - 1
            output = run(args, exit_code if last else 0)
            if last:
                output = cut(output, lines, width)
            parts.append(f"$ harmgraph {args}" + (f"\n{output}" if output else ""))
    return "```text\n" + "\n".join(parts) + "\n```\n"


def file_block(path: str, language: str) -> str:
    """A fenced block holding a file of the repository as it is (an example input)."""
    text = (ROOT / path).read_text(encoding="utf-8")
    return f"```{language}\n{text.rstrip()}\n```\n"


def output(args: str, exit_code: int = 0) -> str:
    """What ``harmgraph ARGS`` prints, run in a fresh working folder, ending in a newline.

    For output that is text of the page itself (``--format markdown``), or that a block counts
    or quotes from (``--format json``).
    """
    with workdir():
        return run(args, exit_code) + "\n"


def commands() -> list[str]:
    """The names of every ``harmgraph`` command, as the click group lists them."""
    import click

    from harmgraph.cli import cli

    return sorted(cli.list_commands(click.Context(cli)))


def help_text(*command: str) -> str:
    """``harmgraph [COMMAND] --help``, as a terminal of 80 columns shows it."""
    with workdir():
        return run(shlex.join([*command, "--help"]))


def cli_reference() -> str:
    """One section per command: its ``--help``, with a table of contents first."""
    names = commands()
    toc = ", ".join(f"[{name}](#harmgraph-{name})" for name in names)
    parts = [
        f"Commands: {toc}.\n",
        "## harmgraph\n",
        f"```text\n$ harmgraph --help\n{help_text()}\n```\n",
    ]
    for name in names:
        parts += [
            f"## harmgraph {name}\n",
            f"```text\n$ harmgraph {name} --help\n{help_text(name)}\n```\n",
        ]
    return "\n".join(parts)


def make_help() -> str:
    """``make help`` in the checkout, as a ``text`` block."""
    # Without the make and PORT settings of a calling make, so the defaults show.
    env = {k: v for k, v in os.environ.items() if not k.startswith("MAKE") and k != "PORT"}
    done = subprocess.run(
        ["make", "--no-print-directory", "-s", "help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    return f"```text\n$ make help\n{done.stdout.rstrip()}\n```\n"


def python_example(code: str) -> str:
    """A ``python`` block: ``code`` as written, run, with what it prints as comments after it."""
    out = io.StringIO()
    with workdir(), contextlib.redirect_stdout(out):
        exec(compile(code, "<docs example>", "exec"), {"__name__": "__docs__"})  # noqa: S102
    printed = "".join(f"# {line}\n" if line else "#\n" for line in out.getvalue().splitlines())
    return f"```python\n{code.strip()}\n{printed}```\n"


def queries(pattern: str = "cq-*.rq") -> list[Path]:
    """The competency-question files shipped with the package, wherever they live in it."""
    return sorted((ROOT / "graph").rglob(pattern), key=lambda p: p.name)


def query_file(prefix: str) -> str:
    """The checkout-relative path of the one query file whose name starts with ``prefix``."""
    (path,) = queries(f"{prefix}*.rq")
    return path.relative_to(ROOT).as_posix()


def competency_questions() -> str:
    """A numbered list: each question (the file's first comment line) and its file."""
    rows = []
    for number, path in enumerate(queries(), start=1):
        question = path.read_text(encoding="utf-8").splitlines()[0].lstrip("# ").strip()
        where = path.relative_to(ROOT).as_posix()
        rows.append(f"{number}. {question} ([`{path.name}`](../{where}))")
    return "\n".join(rows) + "\n"


def bench_module(name: str) -> ModuleType:
    """``bench/NAME.py``, loaded from its file (bench/ is not a package)."""
    spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCH / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def results(name: str, folder: Path = BENCH) -> dict:
    """One results file that a bench command writes."""
    return json.loads((folder / name).read_text(encoding="utf-8"))


def bench_part(part: str, folder: Path = BENCH) -> str:
    """One measured part of docs/scale.md, rendered from the results files in ``folder`` only.

    ``bench``: ``make bench``'s tables (``results.json``); ``profile``: the load profile, JSON-LD
    split and ``--store`` timings; ``targets``: every speed target as a ratio; ``site``:
    ``make bench-site``; ``app``: ``make bench-app``.
    """
    if part == "bench":
        text = bench_module("run").markdown(results("results.json", folder))
    elif part == "site":
        text = bench_module("site_build").markdown(results("site-results.json", folder))
    else:
        parts = bench_module("docs_parts")
        if part == "profile":
            text = parts.profile_markdown(
                results("profile-results.json", folder), results("store-results.json", folder)
            )
        elif part == "app":
            text = parts.app_markdown(
                results("app-results.json", folder), results("app-results-100k.json", folder)
            )
        elif part == "targets":
            text = parts.targets_markdown(
                results("whole-process-results.json", folder),
                results("results.json", folder),
                results("app-results-100k.json", folder),
            )
        else:
            msg = f"no bench part {part!r}: bench, profile, targets, site or app"
            raise ValueError(msg)
    return text.rstrip("\n") + "\n"


def first_run(folder: Path = BENCH) -> str:
    """How long a newcomer's first ``make app`` takes (``about 4 minutes on 2 cores``), from
    ``bench/first-run.json``, which ``make bench-first-run`` writes."""
    return bench_module("first_run").sentence(results("first-run.json", folder))


def gap_strength(kind: str) -> str:
    """The strength in words of the first gap of ``kind`` whose review has one, as
    ``harmgraph gaps --format json`` gives it (an example that is always a real one)."""
    found = json.loads(output(f"gaps --kind {kind} --format json"))
    return next(g["strength"] for g in found if g["review"])


def requirement(name: str) -> str:
    """The requirement on ``name`` in pyproject.toml's dependencies (``pyshacl>=0.40,<0.41``)."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    (found,) = [r for r in project["dependencies"] if re.match(rf"{name}\b", r)]
    return found


def shacl_known_failures() -> str:
    """The W3C SHACL Core entries that both engines get wrong, one Markdown item each with its
    reason: the ``XFAIL`` table of tests/test_shacl_w3c.py (strict xfails), read from the file
    (importing it would parse the whole suite)."""
    tree = ast.parse((ROOT / "tests" / "test_shacl_w3c.py").read_text(encoding="utf-8"))
    (table,) = [
        node.value
        for node in tree.body
        if isinstance(node, ast.Assign)
        and [getattr(t, "id", "") for t in node.targets] == ["XFAIL"]
    ]
    entries = ast.literal_eval(table)
    return "".join(f"- `{name}`: {reason}.\n" for name, reason in sorted(entries.items()))
