"""The environment is read in one place, and settings keys come from the registry."""

from __future__ import annotations

import ast
from pathlib import Path

import court_tui

PACKAGE = Path(court_tui.__file__).parent
ENTRY_POINT = PACKAGE / "cli.py"
SETTING_CALLS = {"get_setting", "put_setting"}


def _modules() -> list[tuple[Path, ast.Module]]:
    return [
        (path, ast.parse(path.read_text(encoding="utf-8"), filename=str(path)))
        for path in sorted(PACKAGE.rglob("*.py"))
    ]


def _reads_environment(node: ast.AST) -> bool:
    if isinstance(node, ast.Attribute) and node.attr in ("environ", "getenv", "environb"):
        return isinstance(node.value, ast.Name) and node.value.id == "os"
    if isinstance(node, ast.ImportFrom) and node.module == "os":
        return any(alias.name in ("environ", "getenv", "environb") for alias in node.names)
    return False


def test_only_the_entry_point_reads_the_environment() -> None:
    readers = sorted(
        str(path.relative_to(PACKAGE))
        for path, tree in _modules()
        if path != ENTRY_POINT and any(_reads_environment(node) for node in ast.walk(tree))
    )
    assert readers == []


def test_the_entry_point_reads_it() -> None:
    tree = ast.parse(ENTRY_POINT.read_text(encoding="utf-8"))
    assert any(_reads_environment(node) for node in ast.walk(tree))


def test_no_setting_is_named_by_a_bare_string() -> None:
    # A key typed out again is how "officer" and "officer_name" drifted apart.
    found = [
        f"{path.relative_to(PACKAGE)}:{node.lineno}"
        for path, tree in _modules()
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in SETTING_CALLS
        and node.args
        and isinstance(node.args[0], ast.Constant)
    ]
    assert found == []
