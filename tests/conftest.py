"""Shared fixtures: the mini graph, a way to add bad Turtle to it, the real CLI, and the
bundled graph's site and release files, each written once per run and shared by the test
processes.

The suite runs in parallel (pytest-xdist, one process per core): every fixture writes under
its own ``tmp_path`` or ``tmp_path_factory`` folder, never to a fixed path, and chooses free
ports, so processes never share a port, and share a file only when it is made once behind a
lock and then only read (:func:`made_once`)."""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent
MINI = ROOT / "tests" / "data" / "mini"
PREFIXES = (MINI / "mini.ttl").read_text(encoding="utf-8").split("\n\n")[0] + "\n\n"


def run_cli(
    *args: str, cwd: Path | None = None, timeout: float = 120, process: bool = False
) -> subprocess.CompletedProcess:
    """Run the real ``harmgraph`` command line and return what it printed and its exit code.

    By default in this process (:func:`cli_in_process`, run in ``cwd``): a Python start-up per
    run made the many small runs most of the suite's time. ``process=True`` runs it as
    ``python -m harmgraph`` in a subprocess, stopped after ``timeout`` seconds, for the tests
    that need a process of their own (its start-up, its exit, what a fresh process sees)."""
    if process:
        return subprocess.run(
            [sys.executable, "-m", "harmgraph", *args],
            capture_output=True,
            text=True,
            cwd=cwd or ROOT,
            timeout=timeout,
        )
    before = Path.cwd()
    os.chdir(cwd or ROOT)
    try:
        return cli_in_process(*args)
    finally:
        os.chdir(before)


def cli_in_process(*args: str) -> subprocess.CompletedProcess:
    """Run the real ``harmgraph`` command line in this process (click's CliRunner), for the
    many small runs that a subprocess per run would make slow. A Python traceback is written
    to stderr exactly as the command would print it, so tests that forbid one still can, and
    line ends are read as a subprocess in text mode reads them."""
    import traceback

    from click.testing import CliRunner

    from harmgraph.cli import cli

    # A subprocess's help is wrapped at 78 columns (click's width for the 80 columns it assumes
    # with no terminal); click's runner forces 80 unless the context is given a width.
    result = CliRunner().invoke(
        cli, list(args), prog_name="harmgraph", catch_exceptions=True, terminal_width=78
    )
    stderr = result.stderr
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        stderr += "Traceback (most recent call last):\n" + "".join(
            traceback.format_exception(result.exception)
        )
    code = result.exit_code if isinstance(result.exit_code, int) else 1
    stdout, stderr = (text.replace("\r\n", "\n") for text in (result.stdout, stderr))
    return subprocess.CompletedProcess(["harmgraph", *args], code, stdout, stderr)


def canonical(ntriples: bytes | str, fmt: str = "ntriples") -> set[str]:
    """A graph's triples with blank nodes relabelled canonically (RDFC-1.0, by pyoxigraph), so
    two graphs are the same graph exactly when these sets are equal. rdflib's isomorphism
    check is too slow for the thousands of blank nodes in the knowledge base's reviews.
    ``fmt`` is ``ntriples`` or ``turtle``."""
    import pyoxigraph as ox

    data = ntriples.encode("utf-8") if isinstance(ntriples, str) else ntriples
    rdf_format = {"ntriples": ox.RdfFormat.N_TRIPLES, "turtle": ox.RdfFormat.TURTLE}[fmt]
    dataset = ox.Dataset(
        ox.Quad(t.subject, t.predicate, t.object) for t in ox.parse(data, format=rdf_format)
    )
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return {str(quad) for quad in dataset}


def same_graph(a, b) -> bool:  # noqa: ANN001 - rdflib graphs or N-Triples
    """Whether two rdflib graphs (or N-Triples texts) are the same graph."""
    as_nt = [x if isinstance(x, (bytes, str)) else x.serialize(format="nt") for x in (a, b)]
    return canonical(as_nt[0]) == canonical(as_nt[1])


def stop(process: subprocess.Popen) -> None:
    """Stop a server a test started: SIGTERM, then SIGKILL if it has not ended in 10 s."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)


def made_once(
    tmp_path_factory: pytest.TempPathFactory, name: str, make: Callable[[Path], None]
) -> Path:
    """``tmp/<name>``, made by ``make(path)`` once for the whole run: the first test process
    to ask makes it while the others wait on a lock, then all of them read it. Under
    pytest-xdist every worker's temporary folder sits in the run's own folder, which is where
    this one is made; a run without workers makes it in its own folder."""
    base = tmp_path_factory.getbasetemp()
    root = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    target, done = root / name, root / f"{name}.done"
    with (root / f"{name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if not done.exists():
            # A try that failed half-way is made again from nothing.
            shutil.rmtree(target, ignore_errors=True)
            make(target)
            done.touch()
    return target


@pytest.fixture(scope="session")
def bundled_site(tmp_path_factory) -> Path:
    """The static site of the bundled knowledge base, written once per run by the real CLI
    (``harmgraph site``). Tests only read it."""

    def make(out: Path) -> None:
        done = run_cli("site", "--out", str(out), timeout=300)
        assert done.returncode == 0, done.stderr

    return made_once(tmp_path_factory, "bundled-site", make)


@pytest.fixture(scope="session")
def bundled_build(tmp_path_factory) -> Path:
    """The release files of the bundled knowledge base, written once per run by the real CLI
    (``harmgraph build``). Tests only read it: copy it to change it."""

    def make(out: Path) -> None:
        done = run_cli("build", "--out", str(out), timeout=300)
        assert done.returncode == 0, done.stderr

    return made_once(tmp_path_factory, "bundled-build", make)


@pytest.fixture
def mini_with(tmp_path: Path):
    """Return a function that writes the mini graph plus ``extra`` Turtle into tmp_path."""

    def write(extra: str, name: str = "extra.ttl") -> Path:
        folder = tmp_path / "data"
        folder.mkdir(exist_ok=True)
        (folder / "mini.ttl").write_text((MINI / "mini.ttl").read_text(encoding="utf-8"))
        (folder / name).write_text(PREFIXES + extra, encoding="utf-8")
        return folder

    return write


def _load_script(name: str, path: Path) -> ModuleType:
    """A Python file outside the package, loaded as module ``name`` (not added to sys.path)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def load_docgen() -> ModuleType:
    """``docs/docgen.py``, which writes the generated parts of README.md and docs/*.md."""
    return _load_script("docgen", ROOT / "docs" / "docgen.py")


def load_bench_run() -> ModuleType:
    """``bench/run.py``, the bench against rdflib and the plain-Python floor."""
    return _load_script("bench_run", ROOT / "bench" / "run.py")
