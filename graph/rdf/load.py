"""Find, parse and index the files that make a harmgraph graph.

:func:`load_graph` reads the ontology and the data (the bundled knowledge base
by default, or any files and directories given) into a :class:`GraphStore`,
then derives the direct relations (``hg:enables``, ``hg:addresses``...) from the
claims that support them. Errors name the file, line and column.

Examples
--------
>>> graph = load_graph()
>>> graph.store.count("data") > 0
True
>>> graph.data_files[0].name
'actors.ttl'
"""

from __future__ import annotations

import hashlib
import re
import shutil
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING
from xml.parsers import expat

from harmgraph.errors import InputError
from harmgraph.rdf.namespaces import ONTOLOGY_IRI, PREFIXES
from harmgraph.version import __version__

if TYPE_CHECKING:
    from harmgraph.rdf.store import GraphStore

#: File extensions harmgraph reads, and the format each means.
EXTENSIONS: dict[str, str] = {
    ".ttl": "turtle",
    ".turtle": "turtle",
    ".nt": "ntriples",
    ".jsonld": "jsonld",
    ".json": "jsonld",
    ".rdf": "xml",
    ".xml": "xml",
    ".owl": "xml",
    ".trig": "trig",
    ".nq": "nquads",
}


def ontology_dir() -> Path:
    """Return the folder that holds ``harmgraph.ttl`` and ``shapes.ttl``.

    It is the package ``harmgraph.ontology``: ``ontology/`` in a checkout (an editable
    install maps it), or the copy inside an installed wheel.
    """
    return Path(str(resources.files("harmgraph.ontology")))


def kb_dir() -> Path:
    """Return the folder of the bundled knowledge base."""
    return Path(str(resources.files("harmgraph.kb")))


def ontology_files() -> list[Path]:
    """The ontology's own files (everything in ``ontology/`` but the shapes)."""
    return sorted(p for p in ontology_dir().glob("*.ttl") if p.name != "shapes.ttl")


def shapes_file() -> Path:
    return ontology_dir() / "shapes.ttl"


def resolve_paths(paths: list[Path] | None, with_bundled: bool = False) -> list[Path]:
    """Expand directories into the RDF files they hold, sorted; default: the bundled KB.

    With ``with_bundled`` the bundled knowledge base comes first and ``paths`` are added to
    it. A file named twice (the bundled folder given as well) is read once.
    """
    if with_bundled:
        paths = [kb_dir(), *(paths or [])]
    if not paths:
        paths = [kb_dir()]
    files: list[Path] = []
    for path in paths:
        if not path.exists():
            raise InputError("no such file or directory", path=path)
        if path.is_dir():
            found = sorted(
                p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in EXTENSIONS
            )
            if not found:
                raise InputError(
                    "the directory holds no RDF files (.ttl, .nt, .jsonld, .rdf)", path=path
                )
            files.extend(found)
        else:
            files.append(path)
    unique: dict[Path, Path] = {}
    for path in files:
        unique.setdefault(path.resolve(), path)
    return list(unique.values())


def format_of(path: Path) -> str:
    """Return the RDF format name for ``path`` from its extension."""
    fmt = EXTENSIONS.get(path.suffix.lower())
    if fmt is None:
        known = ", ".join(sorted(EXTENSIONS))
        raise InputError(
            f"unknown file extension {path.suffix!r}: expected one of {known}", path=path
        )
    return fmt


def read_rdf_bytes(path: Path) -> bytes:
    """Read a file, refusing what cannot be RDF text before the parser sees it."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise InputError(f"cannot be read: {error.strerror}", path=path) from None
    if not data.strip():
        raise InputError("the file is empty", path=path)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data[:4096]:
        raise InputError(
            "the file is not UTF-8 text (UTF-16 or binary) - save it as UTF-8", path=path
        )
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise InputError(
            "the file is not valid UTF-8 - save it as UTF-8", path=path, line=line
        ) from None
    return data


@dataclass
class LoadedGraph:
    """The ontology and data in a store, with where each file came from."""

    store: GraphStore
    ontology: list[Path]
    data_files: list[Path]
    #: Where the graph came from when it is not files (an endpoint URL), for the fingerprint.
    origin: str = ""
    #: The on-disk store's folder (``--store``), or None for an in-memory or endpoint graph.
    store_dir: Path | None = None
    _index: dict[str, tuple[Path, int]] | None = field(default=None, repr=False)
    #: Results computed from this graph (evidence, network), built once and never mutated.
    cache: dict[str, object] = field(default_factory=dict, repr=False)

    @property
    def fingerprint(self) -> str:
        """A hash of the input files' paths, sizes and modification times."""
        digest = hashlib.sha256(self.origin.encode("utf-8"))
        for path in [*self.ontology, *self.data_files]:
            stat = path.stat()
            digest.update(f"{path.resolve()}|{stat.st_size}|{stat.st_mtime_ns}\n".encode())
        return digest.hexdigest()[:16]

    def locate(self, iri: str) -> tuple[Path, int] | None:
        """Return the (file, line) where ``iri`` is described as a subject, in the last file.

        The index is built on first use only, because it is needed only to report errors.
        """
        if self._index is None:
            # Later files win: when an entity is described in the bundled KB and again in the
            # user's own file (given after it), errors point at the user's file.
            self._index = {}
            for path in [*self.ontology, *self.data_files]:
                for subject, line in index_subjects(path).items():
                    self._index[subject] = (path, line)
        return self._index.get(iri)


_PREFIX_LINE = re.compile(r"^\s*(?:@prefix|PREFIX)\s+([\w.-]*):\s*<([^>]*)>", re.IGNORECASE)
_SUBJECT_LINE = re.compile(r"^(<[^>\s]*>|[A-Za-z][\w.-]*:[^\s;,]*|:[^\s;,]*)\s")


def index_subjects(path: Path) -> dict[str, int]:
    """Map each subject that starts a line in a Turtle or N-Triples file to its line number.

    >>> import tempfile, os
    >>> with tempfile.NamedTemporaryFile("w", suffix=".ttl", delete=False) as f:
    ...     _ = f.write("@prefix ex: <https://e/> .\\n\\nex:a ex:b ex:c .\\n")
    >>> index_subjects(Path(f.name))
    {'https://e/a': 3}
    >>> os.unlink(f.name)
    """
    if path.suffix.lower() not in (".ttl", ".turtle", ".nt", ".trig"):
        return {}
    prefixes = dict(PREFIXES)
    found: dict[str, int] = {}
    with path.open(encoding="utf-8", errors="replace") as handle:
        for number, line in enumerate(handle, start=1):
            declared = _PREFIX_LINE.match(line)
            if declared:
                prefixes[declared.group(1)] = declared.group(2)
                continue
            match = _SUBJECT_LINE.match(line)
            if not match:
                continue
            token = match.group(1)
            if token.startswith("<"):
                iri = token[1:-1]
            else:
                prefix, _, local = token.partition(":")
                if prefix not in prefixes:
                    continue
                iri = prefixes[prefix] + local.replace("\\", "")
            found.setdefault(iri, number)
    return found


DERIVE_DIRECT_RELATIONS = """
INSERT { GRAPH <https://w3id.org/harmgraph/graph/data> { ?s ?p ?o } }
WHERE {
    GRAPH <https://w3id.org/harmgraph/graph/data> {
        ?claim a hg:Claim ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; hg:direction ?d .
    }
    FILTER (?d != hg:Disputes)
    VALUES ?p { hg:enables hg:addresses hg:implementedBy hg:targets hg:affects hg:perpetratedBy }
}
"""


def inputs_fingerprint(files: list[Path]) -> str:
    """A hash of the files' resolved paths, sizes, modification times and harmgraph's version."""
    digest = hashlib.sha256(__version__.encode("utf-8"))
    for path in files:
        stat = path.stat()
        digest.update(f"{path.resolve()}|{stat.st_size}|{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def load_graph(
    paths: list[Path] | None = None, store_dir: Path | None = None, *, with_bundled: bool = False
) -> LoadedGraph:
    """Load the ontology and ``paths`` (default: the bundled knowledge base).

    ``paths`` replace the bundled knowledge base; with ``with_bundled=True`` they are added to
    it (your own claims analysed together with the bundled ones). :func:`unknown_references`
    then lists what the data names that the loaded graph lacks.

    Direct relations are derived from every claim that does not only dispute them,
    so the data states each link once, in its claim.

    With ``store_dir`` the graph lives in an on-disk store that is reused, without
    parsing anything, as long as the input files and harmgraph's version are unchanged;
    otherwise it is rebuilt. The fingerprint is written last, so an interrupted build
    is never reused.
    """
    # Here, not at the top: the commands that only parse options or print help never load.
    from harmgraph.rdf.store import GraphStore

    data_files = resolve_paths(paths, with_bundled)
    onto = ontology_files()
    if store_dir is not None:
        return _load_on_disk(onto, data_files, store_dir)
    store = GraphStore()
    _fill(store, onto, data_files, shapes=False)
    return LoadedGraph(store=store, ontology=onto, data_files=data_files)


_STAMP = "harmgraph-inputs.sha256"


def _load_on_disk(onto: list[Path], data_files: list[Path], store_dir: Path) -> LoadedGraph:
    # pyoxigraph only when a graph is loaded, as in load_graph.
    from harmgraph.rdf.store import GraphStore

    wanted = inputs_fingerprint([*onto, *data_files])
    stamp = store_dir / _STAMP
    if stamp.exists() and stamp.read_text(encoding="utf-8").strip() == wanted:
        return LoadedGraph(
            GraphStore(store_dir, read_only=True),
            onto,
            data_files,
            origin="reused",
            store_dir=store_dir,
        )
    if store_dir.exists():
        if any(store_dir.iterdir()) and not stamp.exists():
            msg = (
                "the folder is not empty and is not a harmgraph store - give an empty or new folder"
            )
            raise InputError(msg, path=store_dir)
        shutil.rmtree(store_dir)
    store = GraphStore(store_dir)
    _fill(store, onto, data_files, shapes=True)
    # Every file written and compacted, then the writer closed: a query worker opens the store
    # read-only at once, and a compaction still running in the writer's background deleted
    # files the reader had just listed (RocksDB "No such file ... .sst", seen under load).
    store.settle()
    del store
    stamp.write_text(wanted + "\n", encoding="utf-8")
    return LoadedGraph(
        store=GraphStore(store_dir, read_only=True),
        ontology=onto,
        data_files=data_files,
        store_dir=store_dir,
    )


def check_ontology_version(store: GraphStore, data_files: list[Path]) -> None:
    """Refuse data that imports a different version of the harmgraph ontology."""
    rows = store.query(
        f"""SELECT ?version WHERE {{ <{ONTOLOGY_IRI}> owl:versionIRI ?version }}""",
        graph="ontology",
    )
    current = {ONTOLOGY_IRI} | {row["version"] for row in rows}
    imports = store.query(
        f'SELECT ?s ?v WHERE {{ ?s owl:imports ?v FILTER (STRSTARTS(STR(?v), "{ONTOLOGY_IRI}")) }}',
        graph="data",
    )
    for row in imports:
        if row["v"] not in current:
            where = None
            for path in data_files:
                where = index_subjects(path).get(row["s"])
                if where:
                    where = (path, where)
                    break
            provided = max(current - {ONTOLOGY_IRI}, default=ONTOLOGY_IRI)
            msg = (
                f"{row['s']} imports the harmgraph ontology as <{row['v']}>, but this harmgraph "
                f"provides <{provided}> - update the import or use the harmgraph release that "
                "matches the data"
            )
            raise InputError(
                msg, path=where[0] if where else None, line=where[1] if where else None
            )


#: Where data names a harm, an intervention or another entity: the claims' subjects and
#: objects, what searches were aimed at, and what reviews covered.
_NAMING = "rdf:subject rdf:object hg:aimedAt hg:reviewedHarm hg:reviewedIntervention"

_UNKNOWN_QUERY = """
SELECT DISTINCT ?entity ?property ?value WHERE {
    VALUES ?property { %s }
    ?entity ?property ?value .
    FILTER (isIRI(?value))
    FILTER NOT EXISTS { ?value a ?type }
} ORDER BY ?value ?entity LIMIT %d
"""


@dataclass(frozen=True)
class UnknownReference:
    """An entity that the data names (``entity`` names ``value`` by ``property``) and the
    loaded graph does not hold, with the file and line where ``entity`` is described."""

    entity: str
    property: str
    value: str
    path: Path | None
    line: int | None


def unknown_references(graph: LoadedGraph, limit: int = 100) -> list[UnknownReference]:
    """What the data names that the loaded graph lacks, at most ``limit`` (sorted by the
    missing IRI): a claim about a harm or an intervention, a search aimed at one, or a
    review covering one, none of which has a type in the graph. Your own claims loaded
    without the bundled knowledge base name entities that only it holds.

    >>> unknown_references(load_graph())
    []
    """
    rows = graph.store.query(_UNKNOWN_QUERY % (_NAMING, limit))
    found = []
    for row in rows:
        entity = row["entity"] or ""
        # A search or a record is a hash IRI on its review, which is where the file has it.
        where = graph.locate(entity) or graph.locate(entity.split("#", 1)[0])
        prefix, _, local = (row["property"] or "").rpartition("#")
        name = ("rdf:" if prefix.endswith("rdf-syntax-ns") else "hg:") + local
        found.append(
            UnknownReference(
                entity,
                name,
                row["value"] or "",
                where[0] if where else None,
                where[1] if where else None,
            )
        )
    return found


def _fill(store: GraphStore, onto: list[Path], data_files: list[Path], shapes: bool) -> None:
    for path in onto:
        read_file(store, path, "ontology")
    for path in data_files:
        read_file(store, path, "data")
    check_ontology_version(store, data_files)
    store.update(DERIVE_DIRECT_RELATIONS)
    if shapes:
        # An on-disk store is reopened read-only, so it carries the shapes that the TriG
        # distribution adds; in memory they are loaded only when that export asks for them.
        read_file(store, shapes_file(), "shapes")


def read_file(store: GraphStore, path: Path, graph: str) -> None:
    """Read one RDF file into the named graph ``graph`` of ``store``: the one way a file enters
    a store. The file is checked here and the store only parses what it is handed.

    What cannot be RDF text is refused with the messages of :func:`read_rdf_bytes`, without
    reading the file into Python when it is fine: the store's parser reads it from disk, which
    saves a copy of its bytes in memory at scale. RDF/XML is the exception, because its bytes
    are checked for well-formedness first (pyoxigraph accepts truncated RDF/XML).
    """
    fmt = format_of(path)
    if fmt == "xml":
        data = read_rdf_bytes(path)
        check_well_formed_xml(data, path)
        store.load_bytes(data, fmt, graph=graph, source=path)
        return
    try:
        with path.open("rb") as handle:
            head = handle.read(4096)
    except OSError as error:
        raise InputError(f"cannot be read: {error.strerror}", path=path) from None
    if not head.strip() or head.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in head:
        read_rdf_bytes(path)  # says what is wrong (or finds only leading blank space)
    try:
        store.load_file(path, fmt, graph=graph)
    except InputError:
        # A file that is not UTF-8 gets that message, not the parser's: the encoding is checked
        # only when the parser has failed, so a good file is read once.
        read_rdf_bytes(path)
        raise


def check_well_formed_xml(data: bytes, path: Path | None = None) -> None:
    """Refuse XML that is not well formed, with its line and column (pyoxigraph accepts
    truncated RDF/XML and keeps what it read).

    >>> check_well_formed_xml(b"<a><b></a>")
    Traceback (most recent call last):
    ...
    harmgraph.errors.InputError: not valid xml: XML is not well formed: mismatched tag
    """
    parser = expat.ParserCreate()
    try:
        parser.Parse(data, True)
    except expat.ExpatError as error:
        message = f"not valid xml: XML is not well formed: {expat.ErrorString(error.code)}"
        raise InputError(message, path=path, line=error.lineno, column=error.offset + 1) from None
