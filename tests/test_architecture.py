"""The package's shape: imports between modules point one way, every room says what it owns,
and every docstring example runs."""

from __future__ import annotations

import ast
import doctest
import importlib
import importlib.util
import pkgutil
import warnings
from pathlib import Path

import pytest

import cleaner

PACKAGE = Path(cleaner.__file__).resolve().parent

# Modules whose import needs a development or optional dependency; their doctests run where it is.
OPTIONAL = {"cleaner.lines.train": "numpy", "cleaner.integrations.datatrove": "datatrove",
            "cleaner.integrations.hf": "datasets"}


def _module_names() -> dict[str, Path]:
    names = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = ("cleaner", *path.relative_to(PACKAGE).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        names[".".join(parts)] = path
    return names


def _imports(name: str, path: Path, known: set[str]) -> set[str]:
    """The package modules ``name`` imports, at the top or inside functions, leaving out the
    imports under ``if TYPE_CHECKING:`` (annotations only: they never run)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                for sub in child.orelse:
                    visit(sub)
                continue
            if isinstance(child, ast.Import):
                found.update(alias.name for alias in child.names if alias.name.startswith("cleaner"))
            elif isinstance(child, ast.ImportFrom):
                if child.level:
                    base = package.split(".")[: len(package.split(".")) - child.level + 1]
                    target = ".".join(base + ([child.module] if child.module else []))
                elif (child.module or "").startswith("cleaner"):
                    target = child.module
                else:
                    continue
                subs = {f"{target}.{alias.name}" for alias in child.names} & known
                found.update(subs or {target})
            visit(child)

    visit(tree)
    return {m for m in found if m in known and m != name}


def import_graph() -> dict[str, set[str]]:
    modules = _module_names()
    known = set(modules)
    return {name: _imports(name, path, known) for name, path in modules.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []

    def connect(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                connect(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                group.append(top)
                if top == node:
                    break
            if len(group) > 1:
                out.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            connect(node)
    return out


def test_the_cycle_finder_finds_a_cycle():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert [["a", "b", "c"]] == cycles(graph)
    assert [] == cycles({"a": {"b"}, "b": set()})


def test_the_import_walker_sees_relative_lazy_and_skips_type_checking_imports():
    graph = import_graph()
    assert "cleaner.pipeline" in graph["cleaner.run.worker"]  # from ..pipeline import Cleaner
    assert "cleaner.sinks.records" in graph["cleaner.pipeline"]  # inside Cleaner.map
    assert "cleaner.pipeline" not in graph["cleaner.sinks.records"]  # under TYPE_CHECKING


def test_no_import_cycles_between_modules():
    assert [] == cycles(import_graph())


def test_every_module_compiles_without_warnings():
    # an invalid escape in a docstring or pattern is a DeprecationWarning today, a SyntaxError later
    failures = []
    for name, path in _module_names().items():
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            try:
                compile(path.read_text(encoding="utf-8"), str(path), "exec")
            except SyntaxError as exc:
                failures.append(f"{name}:{exc.lineno}: {exc.msg}")
    assert [] == failures


def test_at_most_ten_modules_at_the_package_root():
    root = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert len(root) <= 10, root


def test_every_room_says_what_it_owns_and_what_it_may_import():
    for init in sorted(PACKAGE.glob("*/__init__.py")):
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))
        assert doc and "import" in doc, f"{init.parent.name}/__init__.py: no docstring naming its imports"


def _all_modules() -> list[str]:
    """Every module of the package but ``__main__`` (importing it runs the command)."""
    return ["cleaner"] + [m.name for m in pkgutil.walk_packages(cleaner.__path__, "cleaner.")
                          if not m.name.endswith(".__main__")]


@pytest.mark.parametrize("name", _all_modules())
def test_doctests(name):
    if name in OPTIONAL and importlib.util.find_spec(OPTIONAL[name]) is None:
        pytest.skip(f"{name} needs {OPTIONAL[name]}")
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert 0 == result.failed, f"{result.failed} of {result.attempted} examples in {name} failed"


# The rooms from the bottom up: a module may import from its own room and from the rows
# below it, never from its row or above (command line -> engines -> pipeline -> stages -> model).
LAYERS = [
    {"errors", "_version", "_compat"},
    {"document", "settings"},
    {"apply", "lines", "sources"},
    {"compose", "extract", "rules"},
    {"heuristics", "sinks"},
    {"pipeline"},
    {"run", "learn", "eval", "integrations"},
    {"cli", "__init__"},
    {"__main__", "script"},
]
# Development scripts that run the whole pipeline, as cleaning does: they sit at the top.
SCRIPTS = {"cleaner.lines.train"}


def _room(module: str) -> str:
    if module in SCRIPTS:
        return "script"
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def test_imports_point_down_the_layers():
    layer = {room: n for n, rooms in enumerate(LAYERS) for room in rooms}
    upward = []
    for module, targets in import_graph().items():
        for target in targets:
            src, dst = _room(module), _room(target)
            if src != dst and layer[dst] >= layer[src]:
                upward.append(f"{module} -> {target}")
    assert [] == sorted(upward)
