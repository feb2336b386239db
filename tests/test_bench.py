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
    made = run_cli("synth", "--triples", "1000", "--seed", "1", "-o", str(synth))
    assert made.returncode == 0, made.stderr
    planted = sum(json.loads(made.stdout)["expected_gaps"].values())
    # The three workers run at once (each in its own process, as `make bench` runs them).
    running = {
        worker: subprocess.Popen(
            [sys.executable, str(ROOT / "bench" / "run.py"), "--worker", worker]
            + ["--file", str(synth), "--cap", "300"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for worker in ("harmgraph", "rdflib", "floor")
    }
    answers = {}
    try:
        for worker, process in running.items():
            out, err = process.communicate(timeout=300)  # only stops a runaway
            assert process.returncode == 0, (worker, err[-2000:])
            answers[worker] = json.loads(out)["cells_and_gaps"]
    finally:
        for process in running.values():
            if process.poll() is None:
                process.kill()
                process.wait()
    assert {worker: gaps for worker, (_, gaps) in answers.items()} == {
        "harmgraph": planted,
        "rdflib": planted,
        "floor": planted,
    }
    assert len({cells for cells, _ in answers.values()}) == 1, answers
