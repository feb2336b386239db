"""Unreadable, unparseable and unknown files give exit 2 with the file (and line) named."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import run_cli

CASES = [
    ("broken.ttl", b"@prefix ex: <https://e/> .\nex:a ex:b ex:c .\nex:d ex:e \n", "broken.ttl:4"),
    (
        "broken.nt",
        b"<https://e/a> <https://e/b> <https://e/c> .\n<https://e/a> <https://e/b> .\n",
        "broken.nt:2",
    ),
    ("broken.jsonld", b'{"@id": "https://e/a", "https://e/b": ', "broken.jsonld"),
    (
        "broken.rdf",
        b'<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
        b"<rdf:Description>\n",
        "broken.rdf",
    ),
    ("undefined-prefix.ttl", b"nope:a nope:b nope:c .\n", "undefined-prefix.ttl:1"),
    ("empty.ttl", b"", "the file is empty"),
    ("utf16.ttl", "<https://e/a> <https://e/b> 'c' .".encode("utf-16"), "not UTF-8"),
    ("binary.ttl", bytes(range(256)) * 4, "not UTF-8"),
    ("data.csv", b"a,b,c\n", "unknown file extension '.csv'"),
]


@pytest.mark.parametrize(("name", "content", "expected"), CASES, ids=[c[0] for c in CASES])
def test_bad_file_exit_2_names_file(tmp_path: Path, name: str, content: bytes, expected: str):
    path = tmp_path / name
    path.write_bytes(content)
    result = run_cli("validate", str(path))
    assert result.returncode == 2, result.stdout + result.stderr
    assert str(path) in result.stderr
    assert expected in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_missing_file_exit_2(tmp_path: Path):
    result = run_cli("--data", str(tmp_path / "nope.ttl"), "stats")
    assert result.returncode == 2
    assert "no such file or directory" in result.stderr


def test_directory_without_rdf_exit_2(tmp_path: Path):
    result = run_cli("--data", str(tmp_path), "stats")
    assert result.returncode == 2
    assert "holds no RDF files" in result.stderr
