"""geo and geocoding import only their own layer and the ones below, and never inside a function.

Layers, bottom to top: works → extraction → geo → geocoding → pipeline → dashboard.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
LAYERS = ("works", "extraction", "geo", "geocoding", "pipeline", "dashboard")
#: Third-party modules a function may import lazily (heavy, and only some callers need them).
LAZY_THIRD_PARTY = {"geopy.geocoders"}


def _imports(path: Path) -> list[tuple[str, bool]]:
    """(module, inside a function) for every import statement of *path*."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out: list[tuple[str, bool]] = []

    def visit(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.Import):
                out.extend((alias.name, in_function) for alias in child.names)
            elif isinstance(child, ast.ImportFrom) and child.module and not child.level:
                out.append((child.module, in_function))
            visit(child, in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef))

    visit(tree, False)
    return out


@pytest.mark.parametrize("package", ["geo", "geocoding"])
def test_no_upward_or_function_level_imports(package: str) -> None:
    allowed = set(LAYERS[: LAYERS.index(package) + 1])
    problems = []
    for path in sorted((REPO / package).glob("*.py")):
        for module, in_function in _imports(path):
            top = module.split(".")[0]
            if top in LAYERS and top not in allowed:
                problems.append(f"{path.name}: imports {module} (a higher layer)")
            if in_function and module not in LAZY_THIRD_PARTY:
                problems.append(f"{path.name}: imports {module} inside a function")
    assert problems == []


def test_transliterate_lives_in_geo_and_is_re_exported() -> None:
    import geo.names
    import geocoding.normalize

    assert geocoding.normalize.transliterate is geo.names.transliterate
    assert geo.names.transliterate("Тракия") == "Trakia"
