"""Contracts: names in code equal names in the ontology; the app stays a thin shell;
the CLI reference in docs/ documents every command and option, and every link in the README and
docs resolves; the knowledge base holds no placeholder text."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest
import rdflib
from rdflib.namespace import OWL, RDF

from conftest import ROOT, run_cli
from harmgraph.rdf.namespaces import HG, HG_IRI

COMMANDS = [
    "build",
    "validate",
    "export",
    "query",
    "stats",
    "app",
    "matrix",
    "gaps",
    "priorities",
    "path",
    "neighbours",
    "centrality",
]


def ontology_terms() -> set[str]:
    graph = rdflib.Graph().parse(ROOT / "ontology" / "harmgraph.ttl")
    return {str(s)[len(HG_IRI) :] for s in graph.subjects() if str(s).startswith(HG_IRI)}


def test_namespace_terms_equal_ontology_terms():
    code_terms = {name for name in HG.__annotations__}
    assert code_terms == ontology_terms()


def test_required_classes_exist():
    graph = rdflib.Graph().parse(ROOT / "ontology" / "harmgraph.ttl")
    classes = {str(s)[len(HG_IRI) :] for s in graph.subjects(RDF.type, OWL.Class)}
    assert {
        "Harm",
        "Technology",
        "Actor",
        "Intervention",
        "EvidenceSource",
        "Claim",
        "Gap",
    } <= classes


def test_ontology_header_has_version_and_licence():
    graph = rdflib.Graph().parse(ROOT / "ontology" / "harmgraph.ttl")
    onto = rdflib.URIRef("https://w3id.org/harmgraph/ontology")
    assert graph.value(onto, OWL.versionIRI) is not None
    assert graph.value(onto, OWL.versionInfo) is not None
    assert graph.value(onto, rdflib.URIRef("http://purl.org/dc/terms/license")) is not None


def test_app_imports_neither_rdflib_nor_pyoxigraph():
    for path in (ROOT / "app").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                assert not name.startswith(("rdflib", "pyoxigraph")), f"{path} imports {name}"


def test_only_store_imports_pyoxigraph():
    paths = sorted((ROOT / "graph").rglob("*.py"))
    assert ROOT / "graph" / "rdf" / "store.py" in paths
    for path in paths:
        if path != ROOT / "graph" / "rdf" / "store.py":
            assert "import pyoxigraph" not in path.read_text(encoding="utf-8"), path


def cli_reference_sections() -> dict[str, str]:
    """docs/cli.md's generated reference, one section per ``## harmgraph [COMMAND]`` heading."""
    text = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8").split("\n## Reference\n", 1)[1]
    parts = re.split(r"^## (harmgraph(?: [a-z-]+)?)$", text, flags=re.MULTILINE)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


def test_every_command_and_option_is_in_the_cli_reference():
    """docs/cli.md is generated from --help (tests/test_docs.py checks it is fresh); this checks
    that it holds a section for every command the group has, with every option in it."""
    import click

    from harmgraph.cli import cli

    sections = cli_reference_sections()
    commands = cli.list_commands(click.Context(cli))
    assert set(COMMANDS) <= set(commands)
    help_text = run_cli("--help").stdout
    for name, command in [("", cli), *((name, cli.get_command(None, name)) for name in commands)]:
        heading = f"harmgraph {name}".strip()
        if name:
            assert re.search(rf"^\s+{name}\s", help_text, re.MULTILINE), name
        assert heading in sections, f"docs/cli.md lacks a section for '{heading}'"
        for param in command.params:
            for option in [*param.opts, *param.secondary_opts]:
                if option.startswith("-"):
                    assert option in sections[heading], f"docs/cli.md lacks {heading} {option}"


DOC_PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
# What a forge does not render as text: code blocks and HTML comments (the cog blocks' code).
HIDDEN = re.compile(r"^```.*?^```|<!--.*?-->", re.DOTALL | re.MULTILINE)
LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)\)")


def anchors(page: Path) -> set[str]:
    """The anchors a forge makes for the headings of ``page`` (GitHub's rule)."""
    found: set[str] = set()
    for heading in re.findall(r"^#+ (.+)$", HIDDEN.sub("", page.read_text("utf-8")), re.M):
        text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading).replace("`", "").lower()
        slug = re.sub(r"[^\w\- ]", "", text).replace(" ", "-")
        anchor, number = slug, 0
        while anchor in found:
            number += 1
            anchor = f"{slug}-{number}"
        found.add(anchor)
    return found


def test_the_readme_links_to_every_docs_page():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    linked = {target.split("#")[0] for target in LINK.findall(HIDDEN.sub("", readme))}
    pages = {f"docs/{page.name}" for page in (ROOT / "docs").glob("*.md")}
    assert {"docs/index.md", "docs/cli.md", "docs/scale.md"} <= pages
    assert pages <= linked, f"the README does not link to {sorted(pages - linked)}"


def test_every_relative_link_in_the_readme_and_docs_resolves():
    broken = []
    for page in DOC_PAGES:
        for target in LINK.findall(HIDDEN.sub("", page.read_text(encoding="utf-8"))):
            if re.match(r"[a-z]+:", target):  # https:, mailto:
                continue
            path, _, anchor = target.partition("#")
            resolved = (page.parent / path).resolve() if path else page
            if not resolved.exists():
                broken.append(f"{page.name}: {target}: no such file")
            elif anchor and resolved.suffix == ".md" and anchor not in anchors(resolved):
                broken.append(f"{page.name}: {target}: no such heading")
    assert not broken, "\n".join(broken)


def test_every_file_the_docs_name_exists():
    """A path in inline code (`graph/kb/harms.ttl`, `bench/results.json`) names a real file, so
    a moved or renamed file cannot leave the docs pointing at nothing."""
    named = re.compile(r"`((?:graph|bench|tests|ontology|app|docs|examples|\.ci)/[\w./-]*)`")
    missing = []
    for page in DOC_PAGES:
        for path in named.findall(HIDDEN.sub("", page.read_text(encoding="utf-8"))):
            if not path.endswith(".html") and not (ROOT / path).exists():
                missing.append(f"{page.name}: {path}")
    assert not missing, "\n".join(missing)


def test_the_link_checks_can_fail(tmp_path):
    page = tmp_path / "page.md"
    page.write_text("# A `page` title\n\n## Twice\n\n## Twice\n", encoding="utf-8")
    assert anchors(page) == {"a-page-title", "twice", "twice-1"}
    assert LINK.findall("see [it](other.md#part) and ![img](x.png)") == ["other.md#part", "x.png"]
    assert LINK.findall(HIDDEN.sub("", "```\n[a](b.md)\n```\n<!-- [c](d.md) -->")) == []


def test_help_documents_exit_codes():
    for command in [None, *COMMANDS]:
        args = [command, "--help"] if command else ["--help"]
        text = run_cli(*args).stdout
        assert "Exit codes" in text and "usage or input error" in text


PLACEHOLDERS = re.compile(
    r"\b(lorem|ipsum|TODO|TBD|FIXME|example\.org|placeholder)\b", re.IGNORECASE
)


def test_knowledge_base_has_no_placeholder_text():
    for path in (ROOT / "graph" / "kb").glob("*.ttl"):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            assert not PLACEHOLDERS.search(line), f"{path.name}:{number}: {line.strip()}"


def test_kb_files_are_split_by_kind():
    """One file per kind, and one per review imported from a screening log (each with its log
    in graph/kb/screening-logs/, which it must reproduce: tests/test_screening_import.py)."""
    kb = ROOT / "graph" / "kb"
    names = {p.name for p in kb.glob("*.ttl")}
    logs = {p.stem for p in (kb / "screening-logs").glob("*.csv")}
    assert {n for n in names if n.startswith("review-")} == {f"review-{s}.ttl" for s in logs}
    assert {n for n in names if not n.startswith("review-")} == {
        f"{k}.ttl"
        for k in (
            "harms",
            "technologies",
            "actors",
            "interventions",
            "sources",
            "claims",
            "gaps",
            "reviews",
        )
    }


def test_founding_paper_is_a_source_with_claims():
    from harmgraph import load_graph

    rows = load_graph().store.query(
        "SELECT (COUNT(?c) AS ?n) WHERE { ?s a hg:EvidenceSource ; schema:url ?u . "
        "FILTER(CONTAINS(?u, '2510.02978')) ?c hg:citation/hg:source ?s }"
    )
    assert int(rows[0]["n"]) >= 9


def test_external_iris_exist_in_their_vocabularies():
    """Every IRI from DPV, AIRO, SEPIO or ECO used by the build is in the verified list,
    which records the vocabulary file and version each was read from."""
    verified = set()
    listing = ROOT / "ontology" / "external-terms.tsv"
    for line in listing.read_text(encoding="utf-8").splitlines()[1:]:
        if line.strip():
            verified.add(line.split("\t")[0])
    used = set()
    text = run_cli("export", "--format", "ntriples").stdout
    for iri in re.findall(r"<([^>]+)>", text):
        if iri.startswith(
            (
                "https://w3id.org/dpv",
                "https://w3id.org/airo",
                "https://w3id.org/vair",
                "http://purl.obolibrary.org/obo/",
            )
        ):
            used.add(iri)
    assert used <= verified, sorted(used - verified)


def test_style_module_sizes():
    for path in (ROOT / "graph").rglob("*.py"):
        assert len(path.read_text(encoding="utf-8").splitlines()) < 450, path


def test_one_csv_writer():
    """Every CSV harmgraph writes (CLI, app downloads, import reports) comes from one writer."""
    for path in [*(ROOT / "graph").rglob("*.py"), *(ROOT / "app").rglob("*.py")]:
        if path.name != "tables.py":
            assert "csv.writer(" not in path.read_text(encoding="utf-8"), path


def test_browser_tests_fail_in_ci_without_chromium(tmp_path):
    """In CI a missing Chromium must fail the run, never skip the browser tests."""
    import os
    import subprocess
    import sys

    env = dict(os.environ, CI="true", PATH=str(tmp_path))
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "--collect-only",
            str(ROOT / "tests" / "test_browser.py"),
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
    )
    assert result.returncode != 0
    assert "no chromium is on PATH" in result.stdout + result.stderr


@pytest.mark.xdist_group("grouping-probe")
def test_xdist_groups_keep_a_module_on_one_test_process(request):
    """`make test` runs with --dist loadgroup so that each grouped module (the app and its
    browser, Apache, the endpoint, the installs) starts its servers and builds on one test
    process, once. pytest-xdist marks a grouped test by adding ``@group`` to its node ID; where
    that no longer takes (pytest 9.2 with pytest-xdist 3.8), the groups are silently split and
    every module fixture runs once per process."""
    if not getattr(request.config.option, "loadgroup", False):
        pytest.skip("not run by pytest-xdist with --dist loadgroup (make test is)")
    assert request.node.nodeid.endswith("@grouping-probe"), request.node.nodeid


#: What `harmgraph --version` and every `--help` must start without (issue 14): each costs
#: tens to hundreds of milliseconds of imports, and none is needed to parse options.
HEAVY_MODULES = {"rdflib", "pyoxigraph", "pyshacl", "networkx", "jinja2", "streamlit", "plotly"}


def imported_modules(*args: str) -> set[str]:
    """The top-level names of every module a fresh `python -m harmgraph ARGS` imported,
    read from the interpreter's own import log (-X importtime), not from a clock."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "harmgraph", *args],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    names = set()
    for line in done.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            names.add(line.rsplit("|", 1)[1].strip().split(".")[0])
    assert "harmgraph" in names  # the log was read: harmgraph itself is in it
    return names


@pytest.mark.parametrize(
    "args",
    [["--version"], ["--help"], *([command, "--help"] for command in [*COMMANDS, "import"])],
    ids=" ".join,
)
def test_version_and_help_import_nothing_heavy(args):
    assert imported_modules(*args) & HEAVY_MODULES == set()


def test_the_import_log_sees_heavy_modules_when_a_command_uses_them():
    # The check above is falsifiable: a command that loads and validates the graph does
    # import the store and rdflib.
    assert {"rdflib", "pyoxigraph"} <= imported_modules("validate")
