"""The domain stays free of UI and SQL: checked in a fresh interpreter."""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys

import court_tui.domain

FORBIDDEN = ("textual", "sqlalchemy", "sqlmodel", "sqlcipher3", "psycopg")
PROJECT_LAYERS = ("court_tui.store", "court_tui.sync", "court_tui.ui", "court_tui.commands")


def test_domain_imports_neither_textual_nor_sqlalchemy() -> None:
    modules = [
        f"court_tui.domain.{m.name}" for m in pkgutil.walk_packages(court_tui.domain.__path__)
    ]
    code = (
        "import importlib, json, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        "print(json.dumps(sorted(sys.modules)))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    loaded = json.loads(result.stdout)
    assert len(modules) >= 10
    offenders = [
        name
        for name in loaded
        if name.split(".")[0] in FORBIDDEN or name.startswith(PROJECT_LAYERS)
    ]
    assert offenders == []
