"""What ``--store`` saves a user: whole ``harmgraph stats`` commands, timed from outside.

    python bench/store_reuse.py FILE.nt --out bench/store-results.json

Times three whole processes on the same file, in the same run: ``stats`` in memory (parse
everything), ``stats --store DIR`` the first time (parse and build the on-disk store), and
the same again (reuse the store without parsing). Writes the seconds to ``--out``; docs/scale.md
quotes them through ``make docs``. Every process it starts has ended when it returns.
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
from pathlib import Path


def run(*args: str) -> float:
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "harmgraph", *args], check=True, capture_output=True, timeout=3600
    )
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", type=Path, help="an N-Triples file (harmgraph synth makes one)")
    parser.add_argument("--out", type=Path, required=True, help="the results file to write")
    args = parser.parse_args()
    data = ["--data", str(args.file)]
    with tempfile.TemporaryDirectory() as folder:
        store = ["--store", str(Path(folder) / "store")]
        report = {
            "machine": {
                "cpus": os.cpu_count(),
                "python": platform.python_version(),
                "system": platform.platform(),
            },
            "file": args.file.name,
            "in_memory_seconds": run(*data, "stats"),
            "store_build_seconds": run(*data, *store, "stats"),
            "store_reuse_seconds": run(*data, *store, "stats"),
        }
    args.out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
