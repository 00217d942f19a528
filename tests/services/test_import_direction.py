"""The import direction of architecture.md: services and models never
import the layers above them (web pages, the API, the command line, the
background jobs), not even inside a function. Read from the source with
`ast`, so an import hidden in a function body counts too."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ABOVE = ("medsam_match.web", "medsam_match.cli", "medsam_match.jobs", "api")


def _package(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts if path.name == "__init__.py" else parts[:-1]).removesuffix(".__init__")


def _imports(source: str, package: str) -> list[tuple[int, str]]:
    """(line, absolute module name) of every import in `source`, a module of `package`."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level:
                parts = package.split(".")
                base = parts[: len(parts) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            found.append((node.lineno, module))
    return found


def _above(module: str) -> bool:
    return any(module == top or module.startswith(top + ".") for top in ABOVE)


def _sources(folder: str) -> list[Path]:
    return sorted((ROOT / folder).rglob("*.py"))


@pytest.mark.parametrize("folder", ["medsam_match/services", "medsam_match/models"])
def test_services_and_models_import_nothing_from_the_layers_above(folder: str):
    wrong = [
        f"{path.relative_to(ROOT)}:{line} imports {module}"
        for path in _sources(folder)
        for line, module in _imports(path.read_text(encoding="utf-8"), _package(path))
        if _above(module)
    ]
    assert wrong == []


def test_the_check_sees_an_import_of_the_web_hidden_in_a_function():
    source = "import os\n\ndef f():\n    from ...web.i18n import when\n    from .links import x\n"
    found = _imports(source, "medsam_match.services.notifications")
    assert found == [(1, "os"), (4, "medsam_match.web.i18n"),
                     (5, "medsam_match.services.notifications.links")]
    assert [module for _, module in found if _above(module)] == ["medsam_match.web.i18n"]
    assert _package(ROOT / "medsam_match/services/notifications/render.py") == \
        "medsam_match.services.notifications"
    assert _package(ROOT / "medsam_match/services/notifications/__init__.py") == \
        "medsam_match.services.notifications"
