"""How long ``harmgraph site`` takes, as a ratio against ``harmgraph export --format turtle``.

    python bench/site_build.py FILE.nt --out bench/site-results.json [--repeat 3]
    python bench/site_build.py --from-json bench/site-results.json

Times whole processes on the same file, in the same run, each ``--repeat`` times (the best
run counts): ``export --format turtle`` (load the graph and write it once: the baseline),
``validate`` (load and check the shapes, which ``site`` also does first) and ``site`` (load,
validate, then write every page and data file, the map, the priorities, the downloads and the
ontology documentation). Peak memory is each process's own maximum resident set size. Writes
the results to ``--out`` and prints them as Markdown (``markdown``), as docs/scale.md shows them
(``make docs`` renders them from the results file). Every process it starts has ended when it
returns.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# The peak memory of one child: run it under a small wrapper that reports its own children's
# maximum resident set size, so each figure belongs to one process.
_WRAPPER = """
import resource, subprocess, sys, time
start = time.perf_counter()
subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
seconds = time.perf_counter() - start
print(seconds, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def measure(*args: str) -> dict[str, float]:
    """Seconds and peak resident memory (MiB) of one whole ``harmgraph`` process."""
    done = subprocess.run(
        [sys.executable, "-c", _WRAPPER, sys.executable, "-m", "harmgraph", *args],
        check=True,
        capture_output=True,
        text=True,
        timeout=3600,
    )
    seconds, kib = done.stdout.split()
    return {"seconds": round(float(seconds), 3), "peak_mib": round(int(kib) / 1024, 1)}


def best(runs: list[dict[str, float]]) -> dict[str, float]:
    return min(runs, key=lambda r: r["seconds"])


def bench(data: Path, repeat: int) -> dict:
    with tempfile.TemporaryDirectory(prefix="harmgraph-site-bench-") as folder:
        steps: dict[str, list[dict[str, float]]] = {"export": [], "validate": [], "site": []}
        for index in range(repeat):
            out = Path(folder) / f"site-{index}"
            steps["export"].append(
                measure(
                    "--data",
                    str(data),
                    "export",
                    "--format",
                    "turtle",
                    "--output",
                    str(Path(folder) / "out.ttl"),
                )
            )
            steps["validate"].append(measure("--data", str(data), "validate"))
            steps["site"].append(measure("--data", str(data), "site", "--out", str(out)))
        files = sum(1 for p in (Path(folder) / "site-0").rglob("*") if p.is_file())
        size = sum(p.stat().st_size for p in (Path(folder) / "site-0").rglob("*") if p.is_file())
    result = {name: best(runs) for name, runs in steps.items()}
    triples = sum(1 for line in data.open("rb") if line.strip() and not line.startswith(b"#"))
    return {
        "file": data.name,
        "triples": triples,
        "repeat": repeat,
        "machine": f"{os.cpu_count()} cores, Python {platform.python_version()}",
        "steps": result,
        "site_files": files,
        "site_mib": round(size / 2**20, 1),
        "site_vs_export": round(result["site"]["seconds"] / result["export"]["seconds"], 1),
        "site_vs_validate": round(result["site"]["seconds"] / result["validate"]["seconds"], 1),
        "memory_vs_export": round(result["site"]["peak_mib"] / result["export"]["peak_mib"], 2),
    }


def markdown(report: dict) -> str:
    steps = report["steps"]
    rows = [
        f"`make bench-site` on {report['file']} ({report['triples']:,} triples, "
        f"{report['machine']}; whole processes, best of {report['repeat']}):",
        "",
        "| command | seconds | peak memory (MiB) |",
        "|---|---|---|",
        f"| `export --format turtle` (the baseline) | {steps['export']['seconds']} "
        f"| {steps['export']['peak_mib']} |",
        f"| `validate` (which `site` runs first) | {steps['validate']['seconds']} "
        f"| {steps['validate']['peak_mib']} |",
        f"| `site` ({report['site_files']:,} files, {report['site_mib']} MiB) "
        f"| {steps['site']['seconds']} | {steps['site']['peak_mib']} |",
        "",
        f"The site takes {report['site_vs_export']}× the time of a Turtle export of the same "
        f"graph ({report['site_vs_validate']}× a validation) and "
        f"{report['memory_vs_export']}× its peak memory: it writes a page and its data files "
        "per IRI, one at a time, so memory holds the graph and one page, not the site.",
    ]
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", type=Path, nargs="?")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "site-results.json")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--from-json", type=Path, help="render these results; measure nothing")
    args = parser.parse_args()
    if args.from_json:
        report = json.loads(args.from_json.read_text(encoding="utf-8"))
    elif args.data:
        report = bench(args.data, args.repeat)
        args.out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    else:
        parser.error("give the N-Triples file to measure, or --from-json")
    print(markdown(report))


if __name__ == "__main__":
    main()
