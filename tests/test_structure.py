"""The package's shape (issue 20): one layer per subpackage, each importing only from the layers
below it, with no import cycle and no private name imported from another module.

The imports are read with ``ast`` from every module of ``graph/``: at the top level, inside
functions and under ``TYPE_CHECKING`` alike, because an import hidden in a function or behind
``TYPE_CHECKING`` still ties two modules together. Each failure prints the offending edges with
their file and line. The checks are plain functions, and a self-check runs them on small
synthetic sets of edges, so the test can be seen to fail.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import ROOT

PACKAGE = "harmgraph"
SOURCE = ROOT / "graph"

#: Each module's layer, by the longest dotted prefix of its name.
LAYER_OF = {
    "harmgraph": "root",
    "harmgraph.__main__": "root",
    "harmgraph.errors": "ground",
    "harmgraph.tables": "ground",
    "harmgraph.version": "ground",
    "harmgraph.gc_paused": "ground",
    "harmgraph.kb": "ground",
    "harmgraph.rdf": "rdf",
    "harmgraph.shacl": "shacl",
    "harmgraph.model": "model",
    "harmgraph.analysis": "analysis",
    "harmgraph.importing": "importing",
    "harmgraph.publish": "publish",
    "harmgraph.cli": "cli",
}
#: The layers each layer may import, besides itself. The package root names everything lazily
#: and nothing imports it back.
MAY_IMPORT = {
    "ground": set(),
    "rdf": {"ground"},
    "shacl": {"rdf", "ground"},
    "model": {"rdf", "ground"},
    "analysis": {"model", "rdf", "ground"},
    "importing": {"model", "rdf", "shacl", "ground"},
    "publish": {"analysis", "model", "rdf", "shacl", "ground"},
    "cli": {"publish", "importing", "analysis", "model", "shacl", "rdf", "ground"},
    "root": {"cli", "publish", "importing", "analysis", "model", "shacl", "rdf", "ground"},
}
#: The one module that reads files into the store.
LOADER = "harmgraph.rdf.load"
#: Third-party packages that only one module may import, so that one place holds each.
ONLY_IN = {
    "pyoxigraph": {"harmgraph.rdf.store"},
    "pyshacl": {"harmgraph.shacl.adapter"},
}


@dataclass(frozen=True)
class Edge:
    """One import: ``source`` imports ``target`` (a module), or ``name`` from it."""

    source: str
    target: str
    name: str | None
    path: str
    line: int
    where: str  # "top", "function" or "type-checking"

    def __str__(self) -> str:
        what = f"{self.target}.{self.name}" if self.name else self.target
        return f"{self.path}:{self.line}: {self.source} -> {what} ({self.where})"


def module_names(root: Path, package: str) -> dict[str, Path]:
    """Every module under ``root`` by dotted name (a package by its own name)."""
    found = {}
    for path in sorted(root.rglob("*.py")):
        parts = [package, *path.relative_to(root).with_suffix("").parts]
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


class _Imports(ast.NodeVisitor):
    """Collect the imports of one module, noting whether each sits in a function or under
    ``if TYPE_CHECKING:``."""

    def __init__(self) -> None:
        self.found: list[tuple[ast.Import | ast.ImportFrom, str]] = []
        self.functions = 0
        self.type_checking = 0

    def visit_FunctionDef(self, node: ast.AST) -> None:  # noqa: N802 - ast's visitor names
        self.functions += 1
        self.generic_visit(node)
        self.functions -= 1

    visit_AsyncFunctionDef = visit_FunctionDef  # noqa: N815

    def visit_If(self, node: ast.If) -> None:  # noqa: N802
        test = node.test
        name = test.id if isinstance(test, ast.Name) else getattr(test, "attr", "")
        if name == "TYPE_CHECKING":
            self.type_checking += 1
            for child in node.body:
                self.visit(child)
            self.type_checking -= 1
            for child in node.orelse:
                self.visit(child)
        else:
            self.generic_visit(node)

    def visit_Import(self, node: ast.Import) -> None:  # noqa: N802
        self.found.append((node, self.where()))

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:  # noqa: N802
        self.found.append((node, self.where()))

    def where(self) -> str:
        if self.type_checking:
            return "type-checking"
        return "function" if self.functions else "top"


def read_edges(name: str, text: str, path: str, modules: set[str], is_package: bool) -> list[Edge]:
    """Every import in the module ``name`` whose source is ``text``: to a module of the
    package (``from pkg import module`` names the module itself), or to a third-party package
    (by its top-level name)."""
    collector = _Imports()
    collector.visit(ast.parse(text))
    here = name if is_package else name.rpartition(".")[0]
    edges = []
    for node, where in collector.found:
        if isinstance(node, ast.Import):
            for alias in node.names:
                target = alias.name if alias.name in modules else alias.name.split(".")[0]
                edges.append(Edge(name, target, None, path, node.lineno, where))
            continue
        if node.level:
            base = here.split(".")[: len(here.split(".")) - node.level + 1]
            target = ".".join([*base, node.module] if node.module else base)
        else:
            target = node.module or ""
        if target.split(".")[0] != PACKAGE:
            edges.append(Edge(name, target.split(".")[0], None, path, node.lineno, where))
            continue
        for alias in node.names:
            if f"{target}.{alias.name}" in modules:
                edges.append(Edge(name, f"{target}.{alias.name}", None, path, node.lineno, where))
            else:
                edges.append(Edge(name, target, alias.name, path, node.lineno, where))
    return edges


def package_edges(root: Path = SOURCE) -> tuple[dict[str, Path], list[Edge]]:
    modules = module_names(root, PACKAGE)
    edges = []
    for name, path in modules.items():
        text = path.read_text(encoding="utf-8")
        shown = str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)
        edges += read_edges(name, text, shown, set(modules), path.name == "__init__.py")
    return modules, edges


def layer(module: str) -> str | None:
    """The layer of a module of the package (None for any other module)."""
    prefixes = [p for p in LAYER_OF if module == p or module.startswith(p + ".")]
    return LAYER_OF[max(prefixes, key=len)] if prefixes else None


def cycles(edges: list[Edge]) -> list[list[Edge]]:
    """The edges inside each strongly connected group of modules (Tarjan), one list per cycle."""
    inside = [e for e in edges if e.target.split(".")[0] == PACKAGE and e.source != e.target]
    graph: dict[str, set[str]] = defaultdict(set)
    for edge in inside:
        graph[edge.source].add(edge.target)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    groups: list[set[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for succ in sorted(graph.get(node, ())):
            if succ not in index:
                visit(succ)
                low[node] = min(low[node], low[succ])
            elif succ in stack:
                low[node] = min(low[node], index[succ])
        if low[node] == index[node]:
            group = set()
            while True:
                member = stack.pop()
                group.add(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(group)

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return [[e for e in inside if e.source in g and e.target in g] for g in groups]


def upward(edges: list[Edge]) -> list[Edge]:
    """Imports of the package's own modules that run to a layer the importer may not import."""
    bad = []
    for edge in edges:
        target = layer(edge.target)
        if target is None:
            continue
        source = layer(edge.source)
        if source != target and target not in MAY_IMPORT[source]:
            bad.append(edge)
    return bad


def private(edges: list[Edge]) -> list[Edge]:
    """``from module import _name``: a private name used outside its module."""
    return [e for e in edges if e.name and e.name.startswith("_") and not e.name.startswith("__")]


def misplaced(edges: list[Edge]) -> list[Edge]:
    """Imports of a third-party package from a module that is not its one importer."""
    return [e for e in edges if e.target in ONLY_IN and e.source not in ONLY_IN[e.target]]


def file_loads(name: str, text: str) -> list[str]:
    """Where a module other than ``rdf/load.py`` reads a file into a store itself: a call of a
    store's ``load_file``, or ``load_bytes`` handed the bytes of a file."""
    if name == LOADER:
        return []
    found = []
    for node in ast.walk(ast.parse(text)):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        if node.func.attr == "load_file":
            found.append(f"{name}:{node.lineno}: load_file")
        elif node.func.attr == "load_bytes":
            called = {
                getattr(inner.func, "attr", getattr(inner.func, "id", ""))
                for argument in node.args
                for inner in ast.walk(argument)
                if isinstance(inner, ast.Call)
            }
            if called & {"read_rdf_bytes", "read_bytes", "read_text"}:
                found.append(f"{name}:{node.lineno}: load_bytes of a file")
    return found


def silent_imports(text: str) -> list[int]:
    """The first line of each run of imports inside a function with no comment on it or on the
    line just above it."""
    comments = {
        token.start[0]
        for token in tokenize.generate_tokens(io.StringIO(text).readline)
        if token.type == tokenize.COMMENT
    }
    collector = _Imports()
    collector.visit(ast.parse(text))
    runs: list[list[ast.stmt]] = []
    for node, where in collector.found:
        if where != "function":
            continue
        if runs and node.lineno == runs[-1][-1].end_lineno + 1:
            runs[-1].append(node)
        else:
            runs.append([node])
    return [
        run[0].lineno
        for run in runs
        if not comments.intersection(range(run[0].lineno - 1, run[-1].end_lineno + 1))
    ]


def shown(edges: list[Edge]) -> str:
    return "\n".join(sorted({str(e) for e in edges}))


# ------------------------------------------------------------------------------- the package
MODULES, EDGES = package_edges()


def test_every_module_has_a_layer():
    assert len(MODULES) > 40  # the package was read
    assert [m for m in MODULES if layer(m) is None] == []


def test_no_import_cycles():
    found = cycles(EDGES)
    assert not found, "import cycles:\n" + "\n\n".join(shown(c) for c in found)


def test_no_import_runs_up_a_layer():
    found = upward(EDGES)
    assert not found, "imports that run back up a layer:\n" + shown(found)


def test_no_private_name_is_imported_from_another_module():
    edges = list(EDGES)
    for folder in ("app", "tests", "bench"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            if "w3c-shacl-core" in path.parts:
                continue
            text = path.read_text(encoding="utf-8")
            edges += read_edges(path.stem, text, str(path.relative_to(ROOT)), set(MODULES), False)
    found = [e for e in private(edges) if e.target.split(".")[0] == PACKAGE]
    assert not found, "private names imported from another module:\n" + shown(found)


def test_pyoxigraph_and_pyshacl_each_have_one_importer():
    found = misplaced(EDGES)
    assert not found, "imported outside their one module:\n" + shown(found)


def test_pyshacl_is_pinned_to_the_minor_release_the_adapter_is_written_for():
    """The adapter calls pySHACL 0.40's internal classes (Shape, ShapesGraph, the constraint
    components, SHACLExecutor, evaluate's signature), which a minor release may change: the
    requirement allows 0.40.x only, and the installed version, which the suite tests, is one."""
    import tomllib
    from importlib.metadata import version

    from packaging.requirements import Requirement

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    (pyshacl,) = [Requirement(r) for r in project["dependencies"] if r.startswith("pyshacl")]
    allowed = [
        v
        for v in ("0.30.1", "0.39.9", "0.40.0", "0.40.1", "0.40.9", "0.41.0", "1.0")
        if pyshacl.specifier.contains(v)
    ]
    assert allowed == ["0.40.0", "0.40.1", "0.40.9"], str(pyshacl)
    assert pyshacl.specifier.contains(version("pyshacl")), version("pyshacl")
    adapter = (SOURCE / "shacl" / "adapter.py").read_text(encoding="utf-8")
    assert "pySHACL 0.40" in adapter


def test_files_enter_the_store_only_through_the_loader():
    found = [
        where
        for name, path in MODULES.items()
        for where in file_loads(name, path.read_text(encoding="utf-8"))
    ]
    assert not found, f"files read into a store outside {LOADER}:\n" + "\n".join(found)


def test_the_loader_check_sees_a_file_read_elsewhere():
    text = (
        "def f(store, path):\n"
        "    store.load_bytes(read_rdf_bytes(path), 'turtle')\n"
        "    store.load_file(path, 'turtle')\n"
        "    store.load_bytes(other.dump('ntriples'), 'ntriples')\n"
    )
    assert len(file_loads("harmgraph.publish.x", text)) == 2
    assert file_loads(LOADER, text) == []


def test_every_import_inside_a_function_says_why():
    """An import inside a function is for start-up time (or a worker's own process): a comment
    on the import, or on the line above a run of them, says so."""
    found = [
        f"{path.relative_to(ROOT)}:{line}: {name}"
        for name, path in MODULES.items()
        for line in silent_imports(path.read_text(encoding="utf-8"))
    ]
    assert not found, "imports inside a function without a comment saying why:\n" + "\n".join(found)


def test_the_comment_check_sees_a_silent_import():
    text = (
        "def quiet():\n"
        "    import rdflib\n"
        "    from x import y\n"
        "def said():\n"
        "    # rdflib only when asked (start-up time).\n"
        "    import rdflib\n"
        "    import pyvis  # heavy\n"
    )
    assert silent_imports(text) == [2]


def test_every_subpackage_says_what_it_holds_and_may_import():
    for name, path in MODULES.items():
        if path.name == "__init__.py" and name != PACKAGE:
            doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
            assert re.search(r"\bimports?\b", doc), f"{path}: say what the subpackage may import"
            assert len(doc) > 100, f"{path}: say what the subpackage holds"


# ---------------------------------------------------------------------- the checks can fail
def edge(source: str, target: str, name: str | None = None, where: str = "top") -> Edge:
    return Edge(source, target, name, "synthetic.py", 1, where)


@pytest.mark.parametrize(
    ("edges", "check", "expected"),
    [
        pytest.param(
            [
                edge("harmgraph.rdf.a", "harmgraph.rdf.b"),
                edge("harmgraph.rdf.b", "harmgraph.rdf.a"),
            ],
            cycles,
            1,
            id="two-module cycle",
        ),
        pytest.param(
            [
                edge("harmgraph.publish.site", "harmgraph.publish.pages"),
                edge("harmgraph.publish.pages", "harmgraph.publish.map"),
                edge("harmgraph.publish.map", "harmgraph.publish.site", where="function"),
            ],
            cycles,
            1,
            id="cycle hidden in a function",
        ),
        pytest.param(
            [
                edge("harmgraph.rdf.a", "harmgraph.rdf.b"),
                edge("harmgraph.rdf.b", "harmgraph.rdf.c"),
            ],
            cycles,
            0,
            id="no cycle",
        ),
        pytest.param(
            [edge("harmgraph.rdf.export", "harmgraph.analysis.stats")],
            upward,
            1,
            id="rdf->analysis",
        ),
        pytest.param(
            [edge("harmgraph.rdf.load", "harmgraph", "__version__", where="function")],
            upward,
            1,
            id="up to the package root",
        ),
        pytest.param(
            [edge("harmgraph.shacl.select", "harmgraph.model.x", where="type-checking")],
            upward,
            1,
            id="sideways shacl->model",
        ),
        pytest.param(
            [edge("harmgraph.publish.site", "harmgraph.analysis.gaps")], upward, 0, id="downward"
        ),
        pytest.param(
            [edge("harmgraph.publish.a", "harmgraph.analysis.matrix", "_row_keys")],
            private,
            1,
            id="private name",
        ),
        pytest.param(
            [edge("harmgraph.publish.a", "harmgraph.analysis.matrix", "__doc__")],
            private,
            0,
            id="dunder name",
        ),
        pytest.param([edge("harmgraph.rdf.load", "pyoxigraph")], misplaced, 1, id="pyoxigraph"),
        pytest.param([edge("harmgraph.rdf.store", "pyoxigraph")], misplaced, 0, id="its importer"),
    ],
)
def test_the_checks_find_what_they_look_for(edges, check, expected):
    assert len(check(edges)) == expected


def test_the_reader_sees_imports_in_functions_and_under_type_checking():
    text = (
        "from __future__ import annotations\n"
        "from typing import TYPE_CHECKING\n"
        "from harmgraph.rdf import load\n"
        "from . import store\n"
        "from ..model.evidence import _read\n"
        "if TYPE_CHECKING:\n"
        "    from harmgraph.shacl.shapes import Shape\n"
        "def f():\n"
        "    import pyoxigraph\n"
        "    from harmgraph.analysis.gaps import find_gaps\n"
    )
    modules = {"harmgraph.rdf.load", "harmgraph.rdf.store", "harmgraph.model.evidence"}
    found = {
        (e.target, e.name, e.where)
        for e in read_edges("harmgraph.rdf.x", text, "x.py", modules, False)
    }
    assert found >= {
        ("harmgraph.rdf.load", None, "top"),
        ("harmgraph.rdf.store", None, "top"),
        ("harmgraph.model.evidence", "_read", "top"),
        ("harmgraph.shacl.shapes", "Shape", "type-checking"),
        ("pyoxigraph", None, "function"),
        ("harmgraph.analysis.gaps", "find_gaps", "function"),
    }
