"""Speed as a user meets it: whole ``harmgraph`` processes, timed from outside, against
baselines run the same way in the same run.

    python bench/whole_process.py [--sizes 200000,1000000] [--repeat 3]
                                  [--out bench/whole-process-results.json]

Every measurement is a fresh child process: interpreter start-up, imports, load, compute and
output all count. Wall time is the clock around the child; peak memory is the child's own
maximum resident set, as the kernel reports it to ``os.wait4`` for that one child. Runs are
interleaved (ours, baseline, ours, ...) and the median is kept, so a busy machine slows both
sides alike. The rows:

- start-up: ``harmgraph --version`` minus a bare ``python -c pass``;
- ``harmgraph --data FILE gaps --format json`` against ``rdflib.Graph().parse(FILE)`` alone,
  time and peak memory, at each size;
- ``harmgraph --data FILE stats`` against pyoxigraph's own ``bulk_load`` of the same file in a
  bare script: harmgraph's overhead over its store.

It also profiles the gaps command in one more fresh process (imports, load, reading the
evidence, finding the gaps, encoding the JSON) next to the floor, pyoxigraph loading the file,
and times the evidence queries twice, their rows made Python strings and serialised by
pyoxigraph's own TSV writer instead, so that a missed target shows where the time goes.
``bench/docs_parts.py`` renders the targets table (these rows, plus the load and JSON-LD rows
of ``bench/results.json`` and the app's first page from ``bench/app-results-100k.json``) into
docs/scale.md (``make docs``); this script prints it.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
PYTHON = sys.executable
#: The console script installed beside this interpreter: what a user types.
HARMGRAPH = str(Path(PYTHON).parent / "harmgraph")

RDFLIB_PARSE = "import sys, rdflib; rdflib.Graph().parse(sys.argv[1], format='nt')"
OXIGRAPH_BULK_LOAD = (
    "import sys, pyoxigraph as ox; "
    "ox.Store().bulk_load(path=sys.argv[1], format=ox.RdfFormat.N_TRIPLES)"
)


def run_once(command: list[str]) -> tuple[float, float]:
    """Run ``command`` to the end; return its wall seconds and peak RSS in MB."""
    with tempfile.TemporaryFile() as errors:
        start = time.perf_counter()
        child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=errors, cwd=ROOT)
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)
        if child.returncode != 0:
            errors.seek(0)
            tail = errors.read()[-2000:].decode("utf-8", "replace")
            raise SystemExit(f"{' '.join(command)} failed (exit {child.returncode}):\n{tail}")
    return seconds, usage.ru_maxrss / 1024  # Linux reports kilobytes


def compare(commands: dict[str, list[str]], repeat: int) -> dict[str, dict[str, float]]:
    """Run each command ``repeat`` times, interleaved; the median seconds and peak MB of each."""
    samples: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
    for _ in range(repeat):
        for name, command in commands.items():
            samples[name].append(run_once(command))
    return {
        name: {
            "seconds": round(statistics.median(s for s, _ in runs), 3),
            "peak_mb": round(statistics.median(m for _, m in runs), 1),
            "runs": len(runs),
        }
        for name, runs in samples.items()
    }


def synthesise(size: int, folder: Path) -> tuple[Path, int]:
    """Write a synthetic graph of about ``size`` triples; return it and its triple count."""
    path = folder / f"synth-{size}.nt"
    done = subprocess.run(
        [HARMGRAPH, "synth", "--triples", str(size), "--seed", "1", "--output", str(path)],
        check=True,
        capture_output=True,
        text=True,
    )
    return path, json.loads(done.stdout)["triples_written"]


def profile_gaps(path: Path) -> dict[str, float]:
    """Where one whole ``gaps --format json`` goes, step by step, in a fresh process."""
    code = """
import json, sys, time
from pathlib import Path
start = time.perf_counter()
from harmgraph.cli import cli
from harmgraph.cli.analysis import dump_json
from harmgraph.model.evidence import read_evidence
from harmgraph.analysis.gaps import find_gaps
from harmgraph.rdf.load import load_graph
steps = {"imports": time.perf_counter() - start}
def step(name, action):
    start = time.perf_counter()
    value = action()
    steps[name] = time.perf_counter() - start
    return value
graph = step("load", lambda: load_graph([Path(sys.argv[1])]))
step("read_evidence", lambda: read_evidence(graph))
found = step("find_gaps", lambda: find_gaps(graph))
step("encode_json", lambda: dump_json(found))
import pyoxigraph as ox
step("floor_pyoxigraph_load",
     lambda: ox.Store().load(path=sys.argv[1], format=ox.RdfFormat.N_TRIPLES))
from harmgraph.model.queries import read_query
queries = [read_query(name) for name in
           ("entities", "claims", "broader", "relations", "values", "gaps", "sources", "authors")]
step("evidence_queries_as_rows", lambda: [graph.store.query(q) for q in queries])
step("evidence_queries_serialised",
     lambda: [graph.store.query_results(q, "tsv") for q in queries])
print(json.dumps(steps))
"""
    done = subprocess.run(
        [PYTHON, "-c", code, str(path)], check=True, capture_output=True, text=True, cwd=ROOT
    )
    steps = json.loads(done.stdout.strip().splitlines()[-1])
    return {name: round(value, 3) for name, value in steps.items()}


def measure(sizes: list[int], repeat: int, repeat_large: int) -> dict:
    report: dict = {
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "system": platform.platform(),
        },
        "repeat": repeat,
    }
    startup = compare(
        {"harmgraph_version": [HARMGRAPH, "--version"], "bare_python": [PYTHON, "-c", "pass"]},
        max(repeat, 15),
    )
    report["startup"] = {
        **startup,
        "difference_seconds": round(
            startup["harmgraph_version"]["seconds"] - startup["bare_python"]["seconds"], 3
        ),
    }
    print(f"start-up: {report['startup']['difference_seconds']:.3f} s", file=sys.stderr)
    report["sizes"] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for size in sizes:
            path, triples = synthesise(size, Path(tmp))
            times = repeat if size < 500_000 else repeat_large
            gaps = compare(
                {
                    "harmgraph_gaps_json": [
                        HARMGRAPH,
                        "--data",
                        str(path),
                        "gaps",
                        "--format",
                        "json",
                    ],
                    "rdflib_parse": [PYTHON, "-c", RDFLIB_PARSE, str(path)],
                },
                times,
            )
            stats = compare(
                {
                    "harmgraph_stats": [HARMGRAPH, "--data", str(path), "stats"],
                    "pyoxigraph_bulk_load": [PYTHON, "-c", OXIGRAPH_BULK_LOAD, str(path)],
                },
                times,
            )
            ours, rdflib = gaps["harmgraph_gaps_json"], gaps["rdflib_parse"]
            entry = {
                "triples": triples,
                "runs": {**gaps, **stats},
                "gaps_vs_rdflib_parse_speed": round(rdflib["seconds"] / ours["seconds"], 2),
                "gaps_vs_rdflib_parse_memory": round(ours["peak_mb"] / rdflib["peak_mb"], 2),
                "stats_vs_pyoxigraph_bulk_load": round(
                    stats["harmgraph_stats"]["seconds"] / stats["pyoxigraph_bulk_load"]["seconds"],
                    2,
                ),
                "gaps_profile": profile_gaps(path),
            }
            report["sizes"][str(size)] = entry
            print(
                f"{size:>9,}: {json.dumps({k: v for k, v in entry.items() if k != 'runs'})}",
                file=sys.stderr,
            )
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="200000,1000000", help="triples, comma-separated")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each command (median)")
    parser.add_argument(
        "--repeat-large", type=int, default=1, help="runs of each command at 500k triples and up"
    )
    parser.add_argument("--out", type=Path, default=BENCH / "whole-process-results.json")
    args = parser.parse_args()
    report = measure([int(s) for s in args.sizes.split(",")], args.repeat, args.repeat_large)
    args.out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    from docs_parts import targets_markdown

    def load(name: str) -> dict:
        return json.loads((BENCH / name).read_text(encoding="utf-8"))

    print(targets_markdown(report, load("results.json"), load("app-results-100k.json")))
    print(f"\nwritten to {args.out}")


if __name__ == "__main__":
    main()
