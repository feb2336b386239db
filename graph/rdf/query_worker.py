"""Run user SPARQL in a worker process with a time limit and a row cap, without ever forking.

A query that runs too long must stop using the CPU, and a thread cannot be stopped, so user
queries run in another process that can be killed. Forking the process that holds the store
would do it, but that process is multi-threaded (Streamlit's server, pyoxigraph's and RocksDB's
threads), and forking a threaded process can deadlock the child (Python 3.12 warns about it).
So the worker is a fresh interpreter (``python -m harmgraph.rdf.query_worker``), started once and
reused: it loads the same input files itself, or opens the same on-disk store read-only, and
then answers one JSON request per line. When a query passes its time limit the worker is
killed, which frees the CPU, and the next query starts a new one.

Examples
--------
>>> from harmgraph.rdf.load import kb_dir
>>> worker = QueryWorker([kb_dir()])
>>> columns, rows, capped = worker.select("SELECT ?h WHERE { ?h a hg:Harm } LIMIT 2", 10, 1)
>>> columns, len(rows), capped
(['h'], 1, True)
>>> worker.close()
"""

from __future__ import annotations

import json
import os
import select
import subprocess
import sys
import threading
import time
from pathlib import Path

from harmgraph.errors import HarmgraphError, InputError, QueryFailed, QueryRefused

#: How long the worker may take to load the graph before its first query (not the query limit).
LOAD_LIMIT = 900.0

_ERRORS: dict[str, type[HarmgraphError]] = {
    "InputError": InputError,
    "QueryRefused": QueryRefused,
    "QueryFailed": QueryFailed,
}


class QueryWorker:
    """A worker process that holds its own read-only copy of one graph.

    ``paths`` are the data files or folders (the ontology is always added); with
    ``store_dir`` the worker opens that on-disk store read-only instead of parsing anything.
    Thread-safe: requests from several app sessions are answered one at a time.
    """

    def __init__(self, paths: list[Path], store_dir: Path | None = None) -> None:
        self.paths = [str(Path(p).resolve()) for p in paths]
        self.store_dir = str(Path(store_dir).resolve()) if store_dir else ""
        self._process: subprocess.Popen | None = None
        self._lock = threading.Lock()

    @property
    def pid(self) -> int | None:
        """The worker's process id, while it runs."""
        return self._process.pid if self._process and self._process.poll() is None else None

    def _start(self) -> subprocess.Popen:
        process = subprocess.Popen(
            [sys.executable, "-m", "harmgraph.rdf.query_worker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        assert process.stdin is not None
        process.stdin.write(
            (json.dumps({"paths": self.paths, "store": self.store_dir}) + "\n").encode()
        )
        process.stdin.flush()
        answer = self._read(process, LOAD_LIMIT, "the query worker did not load the graph")
        if "error" in answer:
            self._kill(process)
            raise _ERRORS.get(answer["error"], QueryFailed)(answer["message"])
        return process

    def select(
        self, sparql: str, timeout: float, max_rows: int
    ) -> tuple[list[str], list[list[str]], bool]:
        """Run a SELECT (or ASK) query; return its columns, at most ``max_rows`` rows of
        display strings, and whether the cap was hit. Past ``timeout`` seconds the worker
        is killed and :class:`QueryFailed` is raised."""
        with self._lock:
            if self._process is None or self._process.poll() is not None:
                self._process = self._start()
            process = self._process
            assert process.stdin is not None
            try:
                request = json.dumps({"query": sparql, "max_rows": max_rows}) + "\n"
                process.stdin.write(request.encode())
                process.stdin.flush()
            except BrokenPipeError:
                self._process = None
                raise QueryFailed("the query worker ended without an answer") from None
            try:
                answer = self._read(
                    process,
                    timeout,
                    f"the query ran longer than the time limit of {timeout:g} s and was stopped",
                )
            except QueryFailed:
                self._kill(process)
                self._process = None
                raise
        if "error" in answer:
            raise _ERRORS.get(answer["error"], QueryFailed)(answer["message"])
        rows = answer["rows"]
        return answer["columns"], rows[:max_rows], len(rows) > max_rows

    @staticmethod
    def _read(process: subprocess.Popen, timeout: float, late: str) -> dict:
        assert process.stdout is not None
        deadline = time.monotonic() + timeout
        buffer = b""
        while not buffer.endswith(b"\n"):
            left = deadline - time.monotonic()
            if left <= 0:
                raise QueryFailed(late)
            ready, _, _ = select.select([process.stdout], [], [], left)
            if not ready:
                raise QueryFailed(late)
            chunk = os.read(process.stdout.fileno(), 1 << 20)
            if not chunk:
                raise QueryFailed("the query worker ended without an answer")
            buffer += chunk
        return json.loads(buffer)

    @staticmethod
    def _kill(process: subprocess.Popen) -> None:
        if process.poll() is None:
            process.kill()
        process.wait(10)
        for stream in (process.stdin, process.stdout):
            if stream is not None:
                stream.close()

    def close(self) -> None:
        """Stop the worker (it also ends by itself when its input closes)."""
        with self._lock:
            if self._process is not None:
                self._kill(self._process)
                self._process = None

    def __del__(self) -> None:
        process = getattr(self, "_process", None)
        if process is not None and process.poll() is None:
            process.kill()


def _exit_with_parent() -> None:
    """End the worker as soon as the process that started it is gone, even mid-query."""
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(0)

    threading.Thread(target=watch, daemon=True).start()


def _serve() -> None:
    """The worker's loop: load the graph named on the first line, then answer one query per
    line with one JSON line."""
    # Only the worker's own process loads the graph: the process that imports this module for
    # QueryWorker never needs the store (pyoxigraph).
    from harmgraph.rdf.load import LoadedGraph, load_graph, ontology_files
    from harmgraph.rdf.store import GraphStore

    _exit_with_parent()
    out = sys.stdout.buffer
    config = json.loads(sys.stdin.buffer.readline())

    def send(message: dict) -> None:
        out.write(json.dumps(message, ensure_ascii=False).encode("utf-8") + b"\n")
        out.flush()

    try:
        if config["store"]:
            store = GraphStore(Path(config["store"]), read_only=True)
            graph = LoadedGraph(store, ontology_files(), [])
        else:
            graph = load_graph([Path(p) for p in config["paths"]] or None)
    except HarmgraphError as error:
        send({"error": type(error).__name__, "message": str(error)})
        return
    send({"ready": True})
    for line in sys.stdin.buffer:
        request = json.loads(line)
        try:
            columns, rows = graph.store.select_table(request["query"])
        except HarmgraphError as error:
            send({"error": type(error).__name__, "message": str(error)})
            continue
        send({"columns": columns, "rows": rows[: request["max_rows"] + 1]})


if __name__ == "__main__":
    _serve()
