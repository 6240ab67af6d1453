"""`court-tui`, `court-tui open` and `court-tui demo` on the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from court_tui.cli import build_parser
from court_tui.commands import app as app_command
from court_tui.commands.app import run_app, run_demo
from court_tui.domain.forms import FormSet
from court_tui.domain.offence_reference import OFFENCE_CODES_KIND
from court_tui.store.demo import make_demo_store


def test_open_takes_a_store_and_a_lock_time() -> None:
    args = build_parser().parse_args(["open", "--db", "~/cases.db", "--lock-minutes", "5"])
    assert args.func is run_app
    assert args.db == "~/cases.db"
    assert args.lock_minutes == 5.0


def test_demo_needs_nothing() -> None:
    args = build_parser().parse_args(["demo"])
    assert args.func is run_demo
    assert args.lock_minutes is None


def test_a_negative_lock_time_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        build_parser().parse_args(["demo", "--lock-minutes", "-1"])
    assert "0 (never lock) or more" in capsys.readouterr().err


def test_demo_takes_an_offence_mapping() -> None:
    args = build_parser().parse_args(["demo", "--offences", "codes.json"])
    assert args.offences == "codes.json"
    assert build_parser().parse_args(["demo"]).offences is None


def test_the_demo_loads_the_shared_offence_mapping_when_it_is_there(
    tmp_path: Path,
    forms: FormSet,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    shared = tmp_path / "shared" / "data" / "offence-codes-actuarial.json"
    monkeypatch.setattr(app_command, "shared_offence_mapping", lambda: shared)
    with make_demo_store(tmp_path / "demo.db", forms=forms) as store:
        # Not there: the demo still opens, and says how to import codes.
        assert app_command._demo_offences(store, None) is None
        said = capsys.readouterr().err
        assert "court-tui offences import FILE" in said and "--offences FILE" in said
        shared.parent.mkdir(parents=True)
        shared.write_text(
            json.dumps(
                {
                    "04600": {
                        "parentGroupDescription": "Theft offences",
                        "categoryDescription": "Shoplifting",
                        "subCategoryDescription": "Stealing from shops and stalls",
                        "actuarialCategory": "THEFT_NON_MOTOR",
                        "flags": {"isViolentSanction": False},
                    }
                }
            )
        )
        assert app_command._demo_offences(store, None) is None
        assert f"1 offence codes loaded from {shared}" in capsys.readouterr().err
        assert store.repository.get_reference_data(OFFENCE_CODES_KIND) is not None
        # A file named on the command line must be there and be a mapping.
        missing = app_command._demo_offences(store, str(tmp_path / "none.json"))
        assert missing == f"there is no offence mapping at {tmp_path / 'none.json'}"
        (tmp_path / "bad.json").write_text("{")
        bad = app_command._demo_offences(store, str(tmp_path / "bad.json"))
        assert bad is not None and "cannot use the offence mapping" in bad
