"""Every file and folder harmgraph writes has the modes any other program's would: 0644 and
0755 under the usual umask 022, so a web server running as another user can read them
(issue 19: the site was 0700 and exports 0600, from tempfile's defaults, and a web server
answered "Permission denied"). Under a stricter umask they are as private as it says.
tests/test_apache.py serves a site as another user."""

from __future__ import annotations

import stat
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import MINI, ROOT

EXAMPLE = ROOT / "examples" / "claims.csv"


def _run(*args: str, umask: int = 0o022) -> subprocess.CompletedProcess:
    done = subprocess.run(
        [sys.executable, "-m", "harmgraph", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
        umask=umask,
    )
    assert done.returncode == 0, done.stderr
    return done


def _modes(folder: Path) -> dict[str, int]:
    """The permission bits of a folder and of everything in it, by relative path."""
    paths = [folder, *folder.rglob("*")]
    return {str(p.relative_to(folder)): stat.S_IMODE(p.stat().st_mode) for p in paths}


def _assert_readable_by_others(folder: Path) -> None:
    modes = _modes(folder)
    assert len(modes) > 3
    for path, mode in modes.items():
        expected = 0o755 if (folder / path).is_dir() else 0o644
        assert mode == expected, f"{path}: {oct(mode)}"


def test_a_site_is_readable_by_others(tmp_path):
    """Regression: the site's folder was 0700 (tempfile.mkdtemp)."""
    out = tmp_path / "site"
    _run("--data", str(MINI), "site", "--out", str(out))
    _assert_readable_by_others(out)
    assert (out / "w3id" / ".htaccess").is_file()


def test_a_site_written_over_a_previous_one_is_readable_by_others(tmp_path):
    out = tmp_path / "site"
    _run("--data", str(MINI), "site", "--out", str(out))
    _run("--data", str(MINI), "site", "--out", str(out))
    _assert_readable_by_others(out)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_a_build_is_readable_by_others(tmp_path):
    out = tmp_path / "build"
    _run("--data", str(MINI), "build", "--out", str(out))
    _assert_readable_by_others(out)


@pytest.mark.parametrize(
    "command",
    [
        ("export", "--format", "turtle", "-o", "{out}"),
        ("export", "--format", "jsonld", "--output", "{out}"),
        ("import", str(EXAMPLE), "--date", "2026-01-01", "--out", "{out}"),
        ("synth", "--triples", "2000", "--seed", "1", "--output", "{out}"),
    ],
    ids=["export", "export-jsonld", "import", "synth"],
)
def test_files_written_with_an_output_option_are_readable_by_others(tmp_path, command):
    """Regression: `export -o` wrote 0600 (tempfile.mkstemp), and so did import and synth."""
    out = tmp_path / "written.nt"
    args = [a.format(out=out) for a in command]
    _run(*(["--data", str(MINI)] if command[0] == "export" else []), *args)
    written = [p for p in tmp_path.iterdir()]
    assert out in written
    for path in written:
        assert stat.S_IMODE(path.stat().st_mode) == 0o644, path.name


def test_a_stricter_umask_is_honoured(tmp_path):
    """The modes are the umask's, as for any program: a user who keeps files private gets
    private files, and no other user can read them."""
    out = tmp_path / "private.ttl"
    _run("--data", str(MINI), "export", "--format", "turtle", "-o", str(out), umask=0o077)
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    site = tmp_path / "site"
    _run("--data", str(MINI), "site", "--out", str(site), umask=0o027)
    modes = _modes(site)
    assert modes["."] == 0o750 and modes["index.html"] == 0o640
