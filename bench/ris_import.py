"""How long ``harmgraph import FILE.ris`` takes for 50,000 entries, as a ratio against rispy
merely reading them.

    python bench/ris_import.py --entries 50000 --out bench/ris-results.json [--repeat 3]
    python bench/ris_import.py --from-json bench/ris-results.json

Writes a made-up RIS file of ``--entries`` entries with rispy (titles, three authors, a year,
a DOI for most, an address for some; one entry in twenty a copy of an earlier one, its DOI in
upper case, so that de-duplication has work to do) and its sidecar, then times, in the same
run, each ``--repeat`` times (the best run counts):

- ``rispy``: ``rispy.loads`` of the whole file in this process (the baseline);
- ``records``: :func:`harmgraph.importing.ris_search.import_ris` in this process: reading the
  entries one by one with rispy, de-duplicating, building the review's triples and writing
  them as Turtle;
- ``import``: the whole ``harmgraph import FILE.ris --out review.ttl`` process, which also loads
  the bundled graph, validates the result with it and writes the file.

Writes the results to ``--out`` and prints them as Markdown (``markdown``), as docs/scale.md
shows them (``make docs`` renders them from the results file). Every process it starts has
ended when it returns.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from importlib.metadata import version
from pathlib import Path

import rispy

ROOT = Path(__file__).resolve().parent.parent
SIDECAR = """\
[review]
review = "bench-ris-review"
review_title = "A made-up review for the RIS benchmark"
review_type = "rapid-review"
date = "2026-11-02"
agent = "Benchmark"
harms = ["harm/normalisation"]

[search]
search = "bench"
query = "a made-up query"
searched_in = "A made-up bibliographic database"
place_kind = "bibliographic-database"
search_date = "2026-11-01"
result_limit = 100000
aimed_at = ["harm/normalisation", "any-intervention"]
sought = "interventions"
"""


def make_ris(entries: int) -> str:
    """``entries`` made-up RIS entries, one in twenty a copy of an earlier one."""
    out = []
    for n in range(1, entries + 1):
        if n % 20 == 0:
            copy = dict(out[n // 2 - 1])
            if "doi" in copy:
                copy["doi"] = copy["doi"].upper()
            out.append(copy)
            continue
        entry = {
            "type_of_reference": "JOUR" if n % 3 else "RPRT",
            "title": f"A made-up study of prevention programme number {n}",
            "authors": [f"Example, A{n}", f"Sample, B{n % 97}", f"Tester, C{n % 13}"],
            "year": str(2000 + n % 26),
        }
        if n % 5:
            entry["doi"] = f"10.5555/bench.{n}"
        if n % 4 == 0:
            entry["urls"] = [f"https://example.org/records/{n}"]
        out.append(entry)
    return rispy.dumps(out)


def best(seconds: list[float]) -> float:
    return round(min(seconds), 3)


def bench(entries: int, repeat: int) -> dict:
    # Here: the benchmark's own imports of harmgraph only when it runs.
    from harmgraph.importing.review_file import parse_sidecar, read_review_file
    from harmgraph.importing.ris_search import import_ris
    from harmgraph.rdf.load import load_graph

    text = make_ris(entries)
    data = text.encode("utf-8")
    sidecar = parse_sidecar(SIDECAR, "bench.ris.toml")
    graph = load_graph()
    times: dict[str, list[float]] = {"rispy": [], "records": [], "import": []}
    duplicates = 0
    with tempfile.TemporaryDirectory(prefix="harmgraph-ris-bench-") as folder:
        ris = Path(folder) / "bench.ris"
        ris.write_bytes(data)
        (Path(folder) / "bench.ris.toml").write_text(SIDECAR, encoding="utf-8")
        for index in range(repeat):
            start = time.perf_counter()
            read = rispy.loads(text)
            times["rispy"].append(time.perf_counter() - start)
            assert len(read) == entries
            start = time.perf_counter()
            result = import_ris(data, sidecar, graph, read_review_file(None, "bench-ris-review"))
            times["records"].append(time.perf_counter() - start)
            assert result.good == entries and not result.bad
            duplicates = result.duplicates
            out = Path(folder) / f"review-{index}.ttl"
            start = time.perf_counter()
            subprocess.run(
                [sys.executable, "-m", "harmgraph", "import", str(ris), "--out", str(out)],
                check=True,
                capture_output=True,
                timeout=3600,
            )
            times["import"].append(time.perf_counter() - start)
        turtle_mib = round(out.stat().st_size / 2**20, 1)
    steps = {name: best(values) for name, values in times.items()}
    return {
        "entries": entries,
        "duplicates": duplicates,
        "repeat": repeat,
        "machine": f"{_cores()} cores, Python {platform.python_version()}",
        "rispy_version": getattr(rispy, "__version__", "") or _version("rispy"),
        "seconds": steps,
        "turtle_mib": turtle_mib,
        "records_vs_rispy": round(steps["records"] / steps["rispy"], 1),
        "import_vs_rispy": round(steps["import"] / steps["rispy"], 1),
    }


def _cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()


def _version(name: str) -> str:
    return version(name)


def markdown(results: dict) -> str:
    """The results as docs/scale.md shows them."""
    s = results["seconds"]
    return (
        f"`make bench-ris` on {results['entries']:,} made-up RIS entries "
        f"({results['duplicates']:,} of them copies of earlier ones; {results['machine']}; "
        f"rispy {results['rispy_version']}; "
        f"best of {results['repeat']}):\n\n"
        "| step | seconds | ratio to rispy reading the file |\n"
        "|---|---|---|\n"
        f"| `rispy.loads` of the whole file (the baseline) | {s['rispy']} | 1.0 |\n"
        f"| reading each entry with rispy, de-duplicating, building and writing the review "
        f"({results['turtle_mib']} MiB of Turtle) | {s['records']} | "
        f"{results['records_vs_rispy']} |\n"
        f"| the whole `harmgraph import FILE.ris --out review.ttl` process (with loading the "
        f"bundled graph and validating the result with it) | {s['import']} | "
        f"{results['import_vs_rispy']} |\n"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--from-json", type=Path, default=None)
    args = parser.parse_args()
    if args.from_json:
        results = json.loads(args.from_json.read_text(encoding="utf-8"))
    else:
        results = bench(args.entries, args.repeat)
        if args.out:
            args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(markdown(results))


if __name__ == "__main__":
    main()
