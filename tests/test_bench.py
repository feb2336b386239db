"""The benchmark's three workers run and agree, so `make bench` cannot break unnoticed.

Each worker (harmgraph, rdflib's SPARQL engine, a plain-Python floor) analyses the same small
synthetic graph; the number of gaps each finds must be the count the generator planted.
"""

import json
import subprocess
import sys
from pathlib import Path

from conftest import run_cli

ROOT = Path(__file__).resolve().parents[1]


def test_every_bench_worker_finds_the_planted_gaps(tmp_path):
    synth = tmp_path / "synth.nt"
    made = run_cli("synth", "--triples", "3000", "--seed", "1", "-o", str(synth))
    assert made.returncode == 0, made.stderr
    planted = sum(json.loads(made.stdout)["expected_gaps"].values())
    answers = {}
    for worker in ("harmgraph", "rdflib", "floor"):
        done = subprocess.run(
            [sys.executable, str(ROOT / "bench" / "run.py"), "--worker", worker]
            + ["--file", str(synth), "--cap", "300"],
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, (worker, done.stderr[-2000:])
        answers[worker] = json.loads(done.stdout)["cells_and_gaps"]
    assert {worker: gaps for worker, (_, gaps) in answers.items()} == {
        "harmgraph": planted,
        "rdflib": planted,
        "floor": planted,
    }
    assert len({cells for cells, _ in answers.values()}) == 1, answers
