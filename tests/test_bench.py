"""The benchmark's three workers run and agree, so `make bench` cannot break unnoticed, and
every figure docs/scale.md shows comes from the results files the bench commands write.

Each worker (harmgraph, rdflib's SPARQL engine, a plain-Python floor) analyses the same small
synthetic graph; the number of gaps each finds must be the count the generator planted.
"""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import load_bench_run, load_docgen, run_cli

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


PARTS = ["bench", "profile", "targets", "site", "app"]


@pytest.mark.parametrize("part", PARTS)
def test_scale_page_figures_come_from_the_results_files(part):
    """The bench tables, load profile, --store timings, JSON-LD split, targets, site and app
    timings on docs/scale.md are rendered from bench/*.json (make docs), never typed."""
    text = (ROOT / "docs" / "scale.md").read_text(encoding="utf-8")
    assert load_docgen().bench_part(part) in text, f"the {part} part is stale: run make docs"


def test_a_changed_results_file_changes_the_scale_page(tmp_path):
    """The check above can fail: one figure changed in a copy of the results files no longer
    renders to what docs/scale.md shows."""
    docgen = load_docgen()
    for path in (ROOT / "bench").glob("*.json"):
        shutil.copy(path, tmp_path / path.name)
    results = json.loads((tmp_path / "results.json").read_text(encoding="utf-8"))
    size = max(results["sizes"], key=int)  # the targets table quotes the largest size's load
    results["sizes"][size]["runs"]["harmgraph"]["load"]["seconds"] += 1.23
    (tmp_path / "results.json").write_text(json.dumps(results), encoding="utf-8")
    text = (ROOT / "docs" / "scale.md").read_text(encoding="utf-8")
    assert docgen.bench_part("bench", ROOT / "bench") in text
    assert docgen.bench_part("bench", tmp_path) not in text
    assert docgen.bench_part("targets", tmp_path) not in text


def test_harmgraph_steps_are_the_mean_of_the_runs_before_and_after_the_baselines():
    bench = load_bench_run()
    assert bench.ORDER[0] == bench.ORDER[-1] == "harmgraph"
    assert set(bench.ORDER[1:-1]) == set(bench.WORKERS) - {"harmgraph"}
    first = {
        "load": {"seconds": 3.0, "capped": False},
        "rss_peak_mb": 900.0,
        "cells_and_gaps": [4, 7],
    }
    second = {
        "load": {"seconds": 4.5, "capped": True},
        "rss_peak_mb": 950.5,
        "cells_and_gaps": [4, 7],
    }
    assert bench.mean_run(first, second) == {
        "load": {"seconds": 3.75, "capped": True},
        "rss_peak_mb": 950.5,
        "cells_and_gaps": [4, 7],
    }
    # Two runs that found different answers are an error, not an average.
    with pytest.raises(SystemExit, match="cells_and_gaps"):
        bench.mean_run(first, dict(second, cells_and_gaps=[4, 8]))
