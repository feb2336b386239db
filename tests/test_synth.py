"""Synthetic data: conforms to the shapes, and the gap engine finds exactly the gaps the
generator made."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from conftest import run_cli
from harmgraph import find_gaps, load_graph, validate_graph
from harmgraph.analysis.synth import synthesise


@pytest.mark.parametrize("seed", [0, 7])
def test_generated_gaps_are_found_exactly(tmp_path, seed):
    text, expected = synthesise(20_000, seed=seed)
    path = tmp_path / "synth.nt"
    path.write_text(text, encoding="utf-8")
    graph = load_graph([path])
    assert validate_graph(graph).conforms
    found = Counter(g["kind"] for g in find_gaps(graph))
    assert found == Counter({k: v for k, v in expected.items() if v})
    assert 15_000 < graph.store.count("data") < 25_000


def test_same_seed_same_output():
    assert synthesise(5_000, seed=3) == synthesise(5_000, seed=3)
    assert synthesise(5_000, seed=3)[0] != synthesise(5_000, seed=4)[0]


def test_cli_synth_writes_graph_and_expectations(tmp_path):
    out = tmp_path / "s.ttl"
    result = run_cli("synth", "--triples", "5000", "--seed", "2", "--output", str(out))
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert json.loads((tmp_path / "s.ttl.expected.json").read_text()) == summary
    gaps = json.loads(run_cli("--data", str(out), "gaps", "--format", "json").stdout)
    assert Counter(g["kind"] for g in gaps) == Counter(
        {k: v for k, v in summary["expected_gaps"].items() if v}
    )
