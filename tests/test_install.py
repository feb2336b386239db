"""Installs, not checkouts: the built wheel carries the ontology, the shapes and the app, and
an installed harmgraph finds them through the package from any folder. `harmgraph app` stops
cleanly on SIGTERM: the port is freed and no process of its tree is left."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import sysconfig
import time
import urllib.request
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT

# One test process runs this module, so the wheel is built and installed once.
pytestmark = pytest.mark.xdist_group("install")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def port_is_free(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) != 0


def descendants(pid: int) -> set[int]:
    """Every live process whose chain of parents leads to ``pid`` (read from /proc)."""
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    found, frontier = set(), {pid}
    while frontier:
        children = {child for child, parent in parents.items() if parent in frontier}
        frontier = children - found
        found |= children
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def wait_healthy(base: str, process: subprocess.Popen, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"the app exited early with {process.returncode}")
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise AssertionError("the app did not answer its health endpoint")


def stop_and_check(process: subprocess.Popen, port: int) -> None:
    """SIGTERM the app; then the port must be free and no process of its tree left."""
    tree = descendants(process.pid)
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(5)
    deadline = time.monotonic() + 60  # only a guard: the loop ends as soon as all is gone
    while time.monotonic() < deadline and (any(alive(p) for p in tree) or not port_is_free(port)):
        time.sleep(0.2)
    assert not [p for p in tree if alive(p)], "processes of the app's tree were left running"
    assert port_is_free(port), f"port {port} is still held after SIGTERM"


@pytest.fixture(scope="module")
def built_wheel(tmp_path_factory) -> tuple[Path, str]:
    """Build the wheel from a copy of the sources; return it and what the build printed."""
    work = tmp_path_factory.mktemp("wheel")
    source = work / "src"
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.split(b"\0")
    for name in filter(None, listed):
        path = ROOT / name.decode()
        if path.is_file():
            (source / name.decode()).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, source / name.decode())
    dist = work / "dist"
    done = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q"]
        + ["-w", str(dist), str(source)],
        check=True,
        capture_output=True,
        text=True,
    )
    return next(dist.glob("harmgraph-*.whl")), done.stdout + done.stderr


@pytest.fixture(scope="module")
def installed(built_wheel, tmp_path_factory) -> Path:
    """Install the wheel (not editable) into a fresh virtual environment, and return that
    environment's bin folder.

    The environment finds harmgraph's dependencies in the test environment through a .pth
    file, because this machine has no network to download them again; harmgraph itself comes
    only from the wheel."""
    wheel = built_wheel[0]
    work = tmp_path_factory.mktemp("install")
    venv = work / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    site = next((venv / "lib").glob("python*/site-packages"))
    (site / "harmgraph-test-deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python"), "install"]
        + ["--no-deps", "--no-index", "-q", str(wheel)],
        check=True,
        capture_output=True,
    )
    return venv / "bin"


#: What setuptools prints for a packaging problem: a warning class (BuildBackendWarning,
#: SetuptoolsDeprecationWarning...), such as "Package 'harmgraph.publish.templates' is absent
#: from the `packages` configuration".
PACKAGING_WARNING = re.compile(r"\b[A-Z][A-Za-z]*Warning:.*")


def test_the_wheel_builds_without_a_packaging_warning(built_wheel):
    wheel, printed = built_wheel
    assert not PACKAGING_WARNING.findall(printed), printed
    names = zipfile.ZipFile(wheel).namelist()
    # The folders the warnings were about are shipped whole.
    for name in ("site.css", "map.js", "entity.html"):
        assert f"harmgraph/publish/templates/{name}" in names
    assert any(n.startswith("harmgraph/shacl/checks/") and n.endswith(".rq") for n in names)
    assert any(n.startswith("harmgraph/model/queries/cq-") for n in names)


def test_the_packaging_warning_check_can_fail():
    printed = (
        "  /x/setuptools/command/build_py.py:215: BuildBackendWarning: Package "
        "'harmgraph.publish.templates' is absent from the `packages` configuration.\n"
        "WARNING: Location 'file:///x' is ignored\n"
    )
    assert len(PACKAGING_WARNING.findall(printed)) == 1


def make_dry_run(target: str) -> str:
    """The commands ``make TARGET`` would run from scratch (``-n -B``: print, run nothing)."""
    done = subprocess.run(
        ["make", "--no-print-directory", "-n", "-B", target],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env={"PATH": os.environ["PATH"]},
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_make_app_installs_the_app_without_the_test_extras():
    app = make_dry_run("app")
    assert "pip install --quiet -e .\n" in app
    assert "[test]" not in app
    assert "harmgraph app --port 8501" in app
    # `make test` installs the package with the test extras, in one install (each install
    # compiles the whole environment's bytecode), and that brings the app's stamp up to date.
    test = make_dry_run("test")
    assert 'pip install --quiet -e ".[test]"' in test
    assert test.count("pip install --quiet -e") == 1, test
    assert "touch .venv/.installed-app .venv/.installed" in test


def run_installed(bin_dir: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    return subprocess.run(
        [str(bin_dir / "harmgraph"), *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=300,
    )


def test_wheel_carries_ontology_shapes_and_app(installed, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    where = subprocess.run(
        [str(installed / "python"), "-c", "import harmgraph; print(harmgraph.__file__)"],
        capture_output=True,
        text=True,
        cwd=elsewhere,
    ).stdout
    assert str(installed.parent) in where, f"harmgraph imported from {where}, not the wheel"
    stats = run_installed(installed, "stats", "--format", "json", cwd=elsewhere)
    assert stats.returncode == 0, stats.stderr
    assert '"harms"' in stats.stdout and "cannot be read" not in stats.stderr
    validate = run_installed(installed, "validate", cwd=elsewhere)
    assert validate.returncode == 0, validate.stdout + validate.stderr
    assert "conforms" in validate.stderr
    site = run_installed(installed, "site", "--out", str(elsewhere / "site"), cwd=elsewhere)
    assert site.returncode == 0, site.stderr
    assert (elsewhere / "site" / "id" / "harm" / "normalisation.html").is_file()
    assert (elsewhere / "site" / "site.css").is_file() and (
        elsewhere / "site" / "search.js"
    ).is_file()
    # The map, the priorities script and pyLODE's reference come from the installed package.
    assert "map-data" in (elsewhere / "site" / "map.html").read_text(encoding="utf-8")
    assert (elsewhere / "site" / "priorities.js").is_file()
    assert "pyLODE" in (elsewhere / "site" / "ontology" / "reference.html").read_text("utf-8")
    assert "RewriteRule" in (elsewhere / "site" / "w3id" / ".htaccess").read_text("utf-8")


def test_installed_wheel_adds_your_data_to_the_bundled_graph(installed, tmp_path):
    """Regression: from a wheel there is no graph/kb to name, and `--data mine.ttl` silently
    replaced the bundled graph. --with-bundled adds to it; --data alone warns."""
    shutil.copy(ROOT / "examples" / "claims.csv", tmp_path / "claims.csv")
    made = run_installed(
        installed, "import", "claims.csv", "--date", "2026-12-01", "--out", "mine.ttl", cwd=tmp_path
    )
    assert made.returncode == 0, made.stderr
    bundled = json.loads(run_installed(installed, "stats", "--format", "json", cwd=tmp_path).stdout)
    added = run_installed(
        installed, "--with-bundled", "--data", "mine.ttl", "stats", "--format", "json", cwd=tmp_path
    )
    assert added.returncode == 0 and "warning" not in added.stderr, added.stderr
    counts = json.loads(added.stdout)
    assert counts["claims"] == bundled["claims"] + 4 and counts["harms"] == bundled["harms"]
    alone = run_installed(installed, "--data", "mine.ttl", "gaps", cwd=tmp_path)
    assert "mine.ttl:11: warning: claim/import-" in alone.stderr
    assert "add --with-bundled" in alone.stderr.splitlines()[-1]


def test_installed_app_answers_and_stops_on_sigterm(installed, tmp_path):
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    process = subprocess.Popen(
        [str(installed / "harmgraph"), "app", "--port", str(port)],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_healthy(f"http://127.0.0.1:{port}", process)
    finally:
        stop_and_check(process, port)


def test_checkout_app_stops_on_sigterm(tmp_path):
    """The same from the checkout: `harmgraph app` becomes the server, so SIGTERM reaches it."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "harmgraph", "app", "--port", str(port)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_healthy(f"http://127.0.0.1:{port}", process)
    finally:
        stop_and_check(process, port)
