"""A non-editable install, run from another folder, finds its forms and data."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_wheel_install_finds_forms_and_data(tmp_path: Path) -> None:
    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--target",
            str(target),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(target)}
    code = (
        "import court_tui, court_tui.resources as r\n"
        "from court_tui.domain.forms import load_forms\n"
        "print(court_tui.__file__)\n"
        "print(len(load_forms().sections))\n"
        "print(len(list((r.data_dir() / 'demo').glob('*.json'))))\n"
        "print(r.forms_dir())\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=elsewhere, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    installed, sections, demos, forms = result.stdout.split("\n")[:4]
    assert installed.startswith(str(target))
    assert forms.startswith(str(target))
    assert int(sections) >= 6
    assert int(demos) >= 6
    checked = subprocess.run(
        [sys.executable, "-m", "court_tui", "check", str(ROOT / "data/demo/nps-by-mappa.json")],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
    )
    assert checked.returncode == 0, checked.stderr
