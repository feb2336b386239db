"""Contracts: names in code equal names in the ontology; the app stays a thin shell;
the README documents every command; the knowledge base holds no placeholder text."""

from __future__ import annotations

import ast
import re
import subprocess
import sys

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


def test_every_command_is_in_help_and_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    help_text = run_cli("--help").stdout
    for command in COMMANDS:
        assert re.search(rf"^\s+{command}\s", help_text, re.MULTILINE), command
        assert f"harmgraph {command}" in readme, f"README lacks 'harmgraph {command}'"
        options = re.findall(r"(--[a-z-]+)", run_cli(command, "--help").stdout)
        for option in set(options) - {"--help"}:
            assert option in readme, f"README lacks {command} {option}"


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
    names = {p.name for p in (ROOT / "graph" / "kb").glob("*.ttl")}
    assert names == {
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
