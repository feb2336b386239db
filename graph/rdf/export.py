"""Serialise a graph in one format, and write files and folders atomically.

Every file and folder harmgraph writes gets the modes any other program's would: read and
write for you, and readable by others as your umask allows (0644 and 0755 under the usual
umask 022), so a web server running as another user can serve them. Python's ``tempfile``
makes files 0600 and folders 0700, which are right for secrets and wrong for a site or a
release, so the temporary names here are made with the ordinary modes instead.

The release set that ``harmgraph build`` writes (every distribution and its VoID description)
is :mod:`harmgraph.publish.release`, which needs the graph's counts.

Examples
--------
>>> from harmgraph.rdf.load import load_graph
>>> text = export_graph(load_graph(), "turtle").decode()
>>> "hg:Harm" in text
True
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from harmgraph.rdf.load import LoadedGraph, read_file, shapes_file
from harmgraph.rdf.namespaces import ONTOLOGY_IRI

#: The release files ``harmgraph build`` writes, with their media types.
DISTRIBUTIONS: dict[str, str] = {
    "turtle": "text/turtle",
    "ntriples": "application/n-triples",
    "jsonld": "application/ld+json",
    "xml": "application/rdf+xml",
    "trig": "application/trig",
}


def export_graph(graph: LoadedGraph, fmt: str) -> bytes:
    """Serialise ontology and data together; TriG also carries the shapes as a named graph."""
    if fmt not in DISTRIBUTIONS:
        raise ValueError(f"unknown format {fmt!r}")
    if fmt == "trig":
        if graph.store.count("shapes") == 0:
            read_file(graph.store, shapes_file(), "shapes")
        return graph.store.dump("trig", graphs=("ontology", "data", "shapes"))
    return graph.store.dump(fmt)


def ontology_version(graph: LoadedGraph) -> str:
    """Return the ontology's ``owl:versionInfo``."""
    rows = graph.store.query(
        f"SELECT ?v WHERE {{ <{ONTOLOGY_IRI}> owl:versionInfo ?v }}", graph="ontology"
    )
    return rows[0]["v"] if rows else "unknown"


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder, with the modes
    of any new file (0666 less the umask: 0644 under umask 022).

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     target = Path(folder) / "a.ttl"
    ...     write_atomic(target, b"<a:b> <a:c> <a:d> .")
    ...     target.read_bytes() == b"<a:b> <a:c> <a:d> ." and target.stat().st_mode & 0o444 != 0
    True
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    temp, handle = _new_file(path.parent, f".{path.name}.")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def new_folder(parent: Path, prefix: str) -> Path:
    """A new, empty folder in ``parent`` with a name no other run takes, and the modes of any
    new folder (0777 less the umask: 0755 under umask 022), for a site or a release to be
    written into and then moved into place."""
    parent.mkdir(parents=True, exist_ok=True)
    for _ in range(100):
        folder = parent / f"{prefix}{secrets.token_hex(6)}"
        try:
            # os.mkdir applies the umask to 0o777, as mkdir(1) does; tempfile.mkdtemp uses 0o700.
            folder.mkdir(0o777)
        except FileExistsError:
            continue
        return folder
    raise FileExistsError(f"{parent}: no free name for a new folder starting {prefix!r}")


def _new_file(folder: Path, prefix: str) -> tuple[Path, int]:
    for _ in range(100):
        path = folder / f"{prefix}{secrets.token_hex(6)}"
        try:
            # O_EXCL, as tempfile.mkstemp does, but with 0o666 (less the umask), not 0o600.
            return path, os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        except FileExistsError:
            continue
    raise FileExistsError(f"{folder}: no free name for a new file starting {prefix!r}")
