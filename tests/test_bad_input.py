"""Every file in tests/bad/ gives a clear one-line error through the real CLI: exit 1 (the data
does not conform) or 2 (unreadable input), naming the file and line or the entity, with no
traceback; and a build that fails leaves the previous build exactly as it was.

The command line runs in the test's process (``run_cli``); one unreadable file and one that
does not conform also run in a ``harmgraph`` process of their own, so what a user's shell sees
(the exit status, stderr, no traceback) is checked on a real process as well.

No test here asserts how long it took (timing lives in bench/, as ratios): a busy machine must
not fail them. The subprocess's own timeout only stops a runaway."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import ROOT, run_cli

BAD = ROOT / "tests" / "bad"
KB = ROOT / "graph" / "kb"

# file: (exit code, what the message must contain besides the file name)
EXPECTED = {
    "binary.ttl": (2, "not UTF-8"),
    "broader-cycle.ttl": (1, "cycle"),
    "claim-unknown-source.ttl": (1, "id/claim/x"),
    "claim-without-citation.ttl": (1, "id/claim/no-citation"),
    "claims.csv": (2, "unknown file extension '.csv'"),
    "doi-wrong-shape.ttl": (1, "bare DOI"),
    "empty.ttl": (2, "the file is empty"),
    "html-page.rdf": (2, "not valid xml"),
    "imports-other-ontology-version.ttl": (2, "imports the harmgraph ontology"),
    "iri-with-spaces.nt": (2, "iri-with-spaces.nt:1"),
    "iri-with-spaces.ttl": (2, "iri-with-spaces.ttl:15"),
    "jsonld-in-turtle-file.ttl": (2, "jsonld-in-turtle-file.ttl:1"),
    "latin1.ttl": (2, "not valid UTF-8"),
    "malformed-turtle.ttl": (2, "malformed-turtle.ttl:16"),
    "malformed.jsonld": (2, "not valid jsonld"),
    "mismatched-tags.rdf": (2, "mismatched-tags.rdf:3"),
    "missing-dot.nt": (2, "missing-dot.nt:2"),
    "relation-without-claim.ttl": (1, "id/technology/voice-cloning"),
    "source-without-year.ttl": (1, "id/source/no-year"),
    "truncated-turtle.ttl": (2, "truncated-turtle.ttl:17"),
    "truncated.jsonld": (2, "not valid jsonld"),
    "truncated.nt": (2, "truncated.nt:2"),
    "truncated.rdf": (2, "truncated.rdf:4"),
    "truncated.trig": (2, "truncated.trig:3"),
    "turtle-in-ntriples-file.nt": (2, "turtle-in-ntriples-file.nt:1"),
    "two-preferred-labels.ttl": (1, "id/harm/normalisation"),
    "typo-in-iri.ttl": (1, "childrn-and-young-people"),
    "undefined-prefix.ttl": (2, "undefined-prefix.ttl:1"),
    "utf16.ttl": (2, "not UTF-8"),
}


def test_every_bad_file_has_an_expectation():
    assert sorted(p.name for p in BAD.iterdir()) == sorted(EXPECTED)
    assert len(EXPECTED) >= 25


@pytest.mark.parametrize(
    ("name", "process"),
    [(name, False) for name in sorted(EXPECTED)]
    + [("truncated-turtle.ttl", True), ("two-preferred-labels.ttl", True)],
    ids=lambda value: {True: "own-process", False: "in-process"}.get(value, value),
)
def test_bad_file_gives_a_clear_error(name, process):
    code, fragment = EXPECTED[name]
    result = run_cli("--data", str(KB), "--data", str(BAD / name), "validate", process=process)
    output = result.stdout + result.stderr
    assert result.returncode == code, output
    assert fragment in output, output
    assert "Traceback" not in output
    if code == 2:
        assert str(BAD / name) in result.stderr and len(result.stderr.strip().splitlines()) == 1
    else:
        assert f"{BAD / name}:" in result.stdout, "a violation names the file and line it is in"


def test_a_50_megabyte_literal(tmp_path: Path):
    path = tmp_path / "one-literal.ttl"
    path.write_bytes(b'"' + b"a" * 50_000_000)
    result = run_cli("--data", str(path), "validate")
    assert result.returncode == 2 and str(path) in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    "name", ["truncated-turtle.ttl", "relation-without-claim.ttl", "utf16.ttl"]
)
def test_failed_build_leaves_the_previous_build(tmp_path: Path, bundled_build: Path, name):
    out = tmp_path / "build"
    shutil.copytree(bundled_build, out)  # the previous build: `harmgraph build`'s own files
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    result = run_cli("--data", str(KB), "--data", str(BAD / name), "build", "--out", str(out))
    assert result.returncode in (1, 2)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
