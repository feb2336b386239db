"""How long a newcomer's first ``make app`` takes: from a fresh clone to the app answering.

    python bench/first_run.py --out bench/first-run.json
    python bench/first_run.py --from-json bench/first-run.json

Clones the checkout's committed ``HEAD`` into a temporary folder and runs ``make app PORT=N``
there (on a free port), as a newcomer would: a new virtual environment, every dependency
downloaded from the package index with pip's and uv's caches switched off (a newcomer has none)
and no local wheel folder, the graph validated and built, and the app started. It times the
moments the app's stamp appears (installed), ``build/harmgraph.trig`` appears (built) and the
app's health endpoint first answers (the app answers); then it stops the app with SIGINT
(Ctrl-C) and checks that the port is free again. Writes the results to ``--out`` and prints the
sentence README.md shows (``make docs`` renders it from the results file). Needs the network to
the package index; takes minutes. Every process it starts has ended when it returns, and the
clone is removed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

#: The longest a first run may take before the bench gives up (a stuck download).
GIVE_UP = 3600


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def answers(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as r:
            return r.status == 200
    except OSError:
        return False


def port_is_free(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) != 0


def newcomer_env() -> dict[str, str]:
    """This environment as a newcomer's: no pip or uv cache, no local wheels, no virtualenv active,
    and none of a calling make's settings."""
    drop = {"PIP_FIND_LINKS", "VIRTUAL_ENV", "PYTHONPATH", "PORT", "MAKEFLAGS", "MFLAGS"}
    env = {k: v for k, v in os.environ.items() if k not in drop and not k.startswith("MAKE")}
    env["PIP_NO_CACHE_DIR"] = "1"
    env["UV_NO_CACHE"] = "1"  # uv installs the packages (see the Makefile)
    return env


def first_run() -> dict:
    """Clone, run ``make app``, time it until the app answers, stop it with Ctrl-C."""
    commit = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.strip()
    with tempfile.TemporaryDirectory(prefix="harmgraph-first-run-") as folder:
        clone = Path(folder) / "harmgraph"
        subprocess.run(
            ["git", "clone", "--quiet", "--no-hardlinks", str(ROOT), str(clone)], check=True
        )
        port = free_port()
        log = (Path(folder) / "make-app.log").open("w")
        load_before = os.getloadavg()[0]
        start = time.monotonic()
        # A session of its own, so Ctrl-C can be sent to make and everything it started.
        make = subprocess.Popen(
            ["make", "--no-print-directory", "app", f"PORT={port}"],
            cwd=clone,
            env=newcomer_env(),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        moments: dict[str, float] = {}
        try:
            while "answered" not in moments:
                if make.poll() is not None:
                    log.close()
                    tail = (Path(folder) / "make-app.log").read_text()[-3000:]
                    msg = f"make app exited with {make.returncode} before the app answered:\n"
                    raise RuntimeError(msg + tail)
                elapsed = time.monotonic() - start
                if elapsed > GIVE_UP:
                    raise RuntimeError(f"the app did not answer within {GIVE_UP} s")
                if "installed" not in moments and (clone / ".venv" / ".installed-app").exists():
                    moments["installed"] = elapsed
                if "built" not in moments and (clone / "build" / "harmgraph.trig").exists():
                    moments["built"] = elapsed
                if answers(port):
                    moments["answered"] = elapsed
                time.sleep(0.5)
            test_extras = (clone / ".venv" / "bin" / "pytest").exists()
        finally:
            stopped = stop(make, port)
            log.close()
    return {
        "seconds_to_answer": round(moments["answered"], 1),
        # None when a step was over between two looks (it never is: each takes minutes).
        "seconds_to_install": round(moments["installed"], 1) if "installed" in moments else None,
        "seconds_to_build": round(moments["built"], 1) if "built" in moments else None,
        "test_extras_installed": test_extras,
        "stopped_by_ctrl_c": stopped,
        "cores": os.cpu_count(),
        "load_average_before": round(load_before, 2),
        "python": platform.python_version(),
        "pip_cache": "off (PIP_NO_CACHE_DIR=1), no local wheels",
        "commit": commit,
        "date": dt.date.today().isoformat(),
    }


def stop(make: subprocess.Popen, port: int) -> bool:
    """Ctrl-C (SIGINT) to make's session; True when it ended and freed the port by itself."""
    if make.poll() is None:
        os.killpg(make.pid, signal.SIGINT)
    try:
        make.wait(60)
    except subprocess.TimeoutExpired:
        os.killpg(make.pid, signal.SIGKILL)
        make.wait(10)
        return False
    deadline = time.monotonic() + 30  # only a guard: the loop ends when the port is free
    while not port_is_free(port) and time.monotonic() < deadline:
        time.sleep(0.2)
    return port_is_free(port)


def sentence(results: dict) -> str:
    """What README.md says about the first run, from the results file only.

    >>> sentence({"seconds_to_answer": 263.0, "cores": 2})
    'about 4 minutes on 2 cores'
    >>> sentence({"seconds_to_answer": 50.0, "cores": 2})
    'about 1 minute on 2 cores'
    """
    minutes = max(1, round(results["seconds_to_answer"] / 60))
    return f"about {minutes} minute{'s' if minutes != 1 else ''} on {results['cores']} cores"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, help="Write the results here (JSON).")
    parser.add_argument("--from-json", type=Path, help="Print the sentence from results.")
    args = parser.parse_args()
    if args.from_json:
        results = json.loads(args.from_json.read_text(encoding="utf-8"))
    else:
        results = first_run()
        if args.out:
            args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(results, indent=2), file=sys.stderr)
    print(sentence(results))


if __name__ == "__main__":
    main()
