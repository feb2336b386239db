"""The docs cannot drift from the code: every generated part of README.md and docs/*.md (the CLI
reference, example outputs, counts, benchmark tables) is what the code and the results files give
today, and every harmgraph command line, make target and file the pages name exists.

The generated parts are cog blocks that call docs/docgen.py; ``make docs`` rewrites them and
``cog --check`` here fails when one would change.
"""

from __future__ import annotations

import doctest
import io
import re
import shlex
import subprocess
import sys
from pathlib import Path

import click
import pytest
from cogapp import Cog

from conftest import ROOT, load_docgen
from harmgraph.cli import cli

PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
GENERATED = [page for page in PAGES if "[[[cog" in page.read_text(encoding="utf-8")]


def cog_check(*pages: Path) -> subprocess.CompletedProcess:
    """``cog --check`` on ``pages``, with docs/ on the path for the blocks' ``import docgen``.

    cog runs in this process (its own ``Cog().main``, as its command does), so the check costs
    no start-up of Python, cog and harmgraph per page."""
    out, err = io.StringIO(), io.StringIO()
    cog = Cog()
    cog.set_output(stdout=out, stderr=err)
    argv = ["cog", "--check", "--diff", "-I", str(ROOT / "docs")]
    argv += ["--check-fail-msg", "run `make docs`", *map(str, pages)]
    code = cog.main(argv)
    return subprocess.CompletedProcess(argv, code, out.getvalue(), err.getvalue())


def test_docgen_examples_run():
    """docs/docgen.py is outside the doctest paths of pytest's configuration: run them here."""
    result = doctest.testmod(load_docgen())
    assert result.attempted >= 2 and result.failed == 0, result


def test_the_pages_that_must_be_generated_are():
    names = {page.name for page in GENERATED}
    assert {"README.md", "cli.md", "scale.md", "knowledge-base.md"} <= names, names


@pytest.mark.parametrize("page", GENERATED, ids=lambda page: page.name)
def test_generated_parts_are_what_the_code_prints_today(page):
    done = cog_check(page)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_check_fails_when_the_cli_reference_drifts(tmp_path):
    text = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    page = tmp_path / "cli.md"
    page.write_text(text, encoding="utf-8")
    assert cog_check(page).returncode == 0, "a faithful copy must pass"
    drifted = text.replace("Print at most this many rows", "Print at most this many lines", 1)
    assert drifted != text
    page.write_text(drifted, encoding="utf-8")
    done = cog_check(page)
    assert done.returncode != 0
    assert "run `make docs`" in done.stdout + done.stderr
    assert "-  --max-rows INTEGER RANGE   Print at most this many lines" in done.stdout


def test_an_example_that_exits_unexpectedly_is_never_written(tmp_path):
    page = tmp_path / "page.md"
    page.write_text(
        '<!-- [[[cog import docgen; cog.out(docgen.example("gaps --kind nothing")) ]]] -->\n'
        "<!-- [[[end]]] -->\n",
        encoding="utf-8",
    )
    done = subprocess.run(
        [sys.executable, "-m", "cogapp", "-r", "-I", str(ROOT / "docs"), str(page)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode != 0
    assert "`harmgraph gaps --kind nothing` exited 2, not 0" in done.stderr + done.stdout
    assert "```" not in page.read_text(encoding="utf-8")


def test_make_help_puts_in_the_port():
    done = subprocess.run(
        ["make", "--no-print-directory", "-s", "help", "PORT=8765"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env={"PATH": "/usr/bin:/bin"},
    )
    assert done.returncode == 0, done.stderr
    assert "$(" not in done.stdout
    assert "127.0.0.1:8765" in done.stdout


# What the pages show as commands: code blocks and inline code.
FENCE = re.compile(r"^```.*?^```", re.S | re.M)
INLINE = re.compile(r"`([^`\n]+)`")
STOP = {"|", ">", ">>", "&&", ";", "&", "<"}


def shown_lines(text: str) -> list[str]:
    """Every line of a code block, and every inline code span."""
    lines = [line.strip() for block in FENCE.findall(text) for line in block.splitlines()]
    return lines + INLINE.findall(FENCE.sub("", text))


def option_names(command: click.Command) -> dict[str, bool]:
    """Each option name of ``command``, and whether it takes a value."""
    names = {"--help": False}
    for param in command.params:
        if isinstance(param, click.Option):
            for name in [*param.opts, *param.secondary_opts]:
                names[name] = not (param.is_flag or param.count)
    return names


def words_click_does_not_know(line: str) -> list[str]:
    """The commands and options of a ``harmgraph ...`` line that the CLI does not have."""
    lexer = shlex.shlex(line, posix=True, punctuation_chars=True)
    lexer.whitespace_split = True
    tokens = []
    for token in lexer:
        if token in STOP:
            break
        tokens.append(token)
    unknown, group_options, index = [], option_names(cli), 1
    while index < len(tokens) and tokens[index].startswith("-"):
        name = tokens[index].split("=", 1)[0]
        if name not in group_options:
            unknown.append(name)
        index += 2 if group_options.get(name) and "=" not in tokens[index] else 1
    if index >= len(tokens) or tokens[index].isupper():  # `harmgraph --help`, `COMMAND`
        return unknown
    command = cli.get_command(click.Context(cli), tokens[index])
    if command is None:
        return [*unknown, tokens[index]]
    options = option_names(command)
    for token in tokens[index + 1 :]:
        if re.match(r"--?[A-Za-z]", token) and token.split("=", 1)[0] not in options:
            unknown.append(token.split("=", 1)[0])
    return unknown


def test_every_command_line_shown_is_one_harmgraph_has():
    seen, wrong = 0, []
    for page in PAGES:
        for line in shown_lines(page.read_text(encoding="utf-8")):
            line = line.removeprefix("$ ")
            if line.startswith("harmgraph "):
                seen += 1
                wrong += [f"{page.name}: {line}: {w}" for w in words_click_does_not_know(line)]
    assert seen > 50, seen
    assert not wrong, "\n".join(wrong)


def test_the_command_line_check_can_fail():
    assert words_click_does_not_know("harmgraph --data x gaps --kinds contested") == ["--kinds"]
    assert "--datas" in words_click_does_not_know("harmgraph --datas x stats")
    assert words_click_does_not_know("harmgraph gap | head") == ["gap"]
    assert words_click_does_not_know("harmgraph --data x.ttl gaps --kind contested > g") == []


def make_targets() -> set[str]:
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    return set(re.findall(r"^([a-z][a-z-]*):", text, re.M))


def test_every_make_target_named_exists():
    targets, named = make_targets(), set()
    for page in PAGES:
        for line in shown_lines(page.read_text(encoding="utf-8")):
            named |= set(re.findall(r"^make ([a-z][a-z-]*)", line.removeprefix("$ ")))
    assert {"app", "test", "docs", "bench"} <= named, named
    assert named <= targets, named - targets


def test_validation_page_says_what_the_shacl_guarantee_is():
    """The compiled engine's promise is pySHACL 0.40's answer or a refusal, not SHACL's: the
    page says so, with the pin as pyproject.toml gives it, and names every W3C SHACL Core
    entry both engines get wrong (the strict xfails of tests/test_shacl_w3c.py)."""
    docgen = load_docgen()
    text = (ROOT / "docs" / "validation.md").read_text(encoding="utf-8")
    assert "pySHACL 0.40's answer, or a refusal" in text
    assert f"`{docgen.requirement('pyshacl')}`" in text
    known = docgen.shacl_known_failures()
    assert known.count("\n") >= 2 and known in text
    for name in re.findall(r"`(core/[^`]+)`", known):
        assert f"`{name}`" in text, name


# --- A newcomer's first hour (issue 19) ---

COG_REGION = re.compile(r"\[\[\[cog.*?\[\[\[end\]\]\]", re.S)
#: What a hand-written ``sh`` block may run: commands to type, never their output.
COMMAND_WORDS = ("harmgraph", "make", "oxigraph", "pip", "source", "rsync", "git", "python")


def hand_written_blocks(text: str) -> list[tuple[str, str]]:
    """(language, body) of every fenced block outside the generated (cog) parts."""
    outside = COG_REGION.sub("", text)
    return [
        (m.group(1), m.group(2)) for m in re.finditer(r"^```(\w*)\n(.*?)^```", outside, re.S | re.M)
    ]


def hand_written_outputs(text: str) -> list[str]:
    """The hand-written blocks that show output: anything but commands to type (``sh``), a
    diagram (``mermaid``) or the layout tree of development.md."""
    found = []
    for language, body in hand_written_blocks(text):
        lines = [line for line in body.splitlines() if line.strip()]
        if language == "mermaid" or (language == "text" and lines[0].startswith("ontology/")):
            continue
        if language == "sh" and all(
            line.startswith(COMMAND_WORDS) or line.startswith("#") for line in lines
        ):
            continue
        found.append(body)
    return found


def test_every_example_output_is_generated():
    """Regression: hand-written outputs drifted from the code (a gaps explanation matching no
    review, a query rule line, a parse error). Every output shown is written by `make docs`
    and checked by cog; hand-written blocks hold only commands to type or diagrams."""
    found = {page.name: hand_written_outputs(page.read_text("utf-8")) for page in PAGES}
    assert not {name: blocks for name, blocks in found.items() if blocks}
    assert sum(len(hand_written_blocks(page.read_text("utf-8"))) for page in PAGES) > 5


def test_the_hand_written_output_check_can_fail():
    page = "```sh\nharmgraph stats\n```\n```text\n$ harmgraph stats\nharms  23\n```\n"
    assert hand_written_outputs(page) == ["$ harmgraph stats\nharms  23\n"]
    assert hand_written_outputs("```sh\nharmgraph gaps\nkind  subject\n```\n")
    generated = "<!-- [[[cog x ]]] -->\n```text\n$ harmgraph stats\n```\n<!-- [[[end]]] -->\n"
    assert hand_written_outputs(generated) == []


def test_the_readme_tells_a_newcomer_how_to_start_use_and_stop():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start = readme[readme.index("## Two commands") : readme.index("## For researchers")]
    for needed in (
        "`.venv/bin/harmgraph`",
        "`source .venv/bin/activate`",
        "Ctrl-C",
        "`make app PORT=8600`",
        "package index",
        "`make app` installs only what the app needs",
    ):
        assert needed in start, needed
    # The first run's time comes from the results file that `make bench-first-run` writes,
    # through a cog block, never typed by hand.
    docgen = load_docgen()
    figure = docgen.first_run()
    assert re.fullmatch(r"about \d+ minutes? on \d+ cores", figure)
    assert figure in start and figure not in COG_REGION.sub("", start)
    assert "docgen.first_run()" in start
    run = docgen.results("first-run.json")
    assert run["test_extras_installed"] is False and run["stopped_by_ctrl_c"] is True


def test_the_readme_adds_data_to_the_bundled_graph_the_installed_way():
    """The README's own-data example works from an installed wheel: no `--data graph/kb`."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "harmgraph --with-bundled --data my-claims.ttl gaps" in readme
    assert "--data graph/kb" not in readme
