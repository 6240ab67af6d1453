"""`court-tui offences import|search`: importing the mapping and looking offences up."""

from __future__ import annotations

import json
import stat
from pathlib import Path
from typing import Any

import pytest

from court_tui.cli import main

SHARED_MAPPING = (
    Path(__file__).resolve().parents[3] / "shared" / "data" / ("offence-codes-actuarial.json")
)
needs_shared_mapping = pytest.mark.skipif(
    not SHARED_MAPPING.is_file(), reason="the Manage Offences mapping is not in ../shared/data"
)


def entry(actuarial: str, violent: bool, description: str) -> dict[str, Any]:
    """One code's entry in the Manage Offences mapping format."""
    return {
        "parentGroupDescription": "Group",
        "categoryDescription": "Type",
        "subCategoryDescription": description,
        "actuarialCategory": actuarial,
        "flags": {"opdViolenceSex": False, "isViolentSanction": violent},
    }


MAPPING = {
    "06601": entry("PUBLIC_ORDER_AND_HARRASSMENT", True, "Affray"),
    "10501": entry("VIOLENCE_AGAINST_THE_PERSON_SUB_ABH", True, "Common assault and battery"),
    "03000": entry("BURGLARY_DOMESTIC", False, "Burglary in a dwelling"),
    "00000": entry("UNKNOWN", False, "Invalid Offence"),
}


@pytest.fixture
def reference(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A local store of this test's own, named by the environment, where imports go."""
    path = tmp_path / "court-tui" / "court-tui.db"
    monkeypatch.setenv("COURT_TUI_DB", str(path))
    monkeypatch.setenv("COURT_TUI_PASSPHRASE", "offence test passphrase")
    return path


def stored_codes(path: Path) -> dict[str, Any] | None:
    """The offence codes kept in the store at PATH, read through the store itself."""
    from court_tui.store import open_store

    with open_store(path, "offence test passphrase") as store:
        payload = store.repository.get_reference_data("offence-codes")
    return None if payload is None else payload["codes"]


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run `court-tui offences ARGS`; exit code, stdout, stderr."""
    code = main(["offences", *args])
    out, err = capsys.readouterr()
    return code, out, err


def mapping_file(tmp_path: Path, content: Any = MAPPING) -> str:
    """A mapping file holding CONTENT (JSON text when a str)."""
    path = tmp_path / "mapping.json"
    path.write_text(content if isinstance(content, str) else json.dumps(content))
    return str(path)


def test_with_nothing_imported_the_categories_are_there(
    capsys: pytest.CaptureFixture[str], reference: Path
) -> None:
    code, out, _ = run(capsys, "search")
    assert code == 0
    assert out.count("category  ") == 20
    assert out.count("subtype   ") == 5
    assert "criminal_damage; counts as violent: yes, broadly" in out
    assert "burglary_domestic; counts as violent: no" in out
    assert not reference.exists()


def test_search_by_words_with_nothing_imported_says_import(
    capsys: pytest.CaptureFixture[str], reference: Path
) -> None:
    code, out, err = run(capsys, "search", "arson")
    assert code == 0
    assert "Criminal damage, including arson" in out
    assert "No offence codes have been imported" in err


def test_import_reports_counts_and_keeps_the_file_private(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, reference: Path
) -> None:
    code, out, err = run(capsys, "import", mapping_file(tmp_path))
    assert (code, err) == (0, "")
    assert "Imported 4 offence codes from mapping.json: 2 count as violent, 1 have no" in out
    assert stat.S_IMODE(reference.stat().st_mode) == 0o600
    assert stat.S_IMODE(reference.parent.stat().st_mode) == 0o700


def test_search_after_import_shows_code_description_category_subtype_violent(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, reference: Path
) -> None:
    run(capsys, "import", mapping_file(tmp_path))
    code, out, _ = run(capsys, "search", "10501")
    assert code == 0
    assert out == (
        "10501     Common assault and battery\n"
        "          violence_against_the_person / sub_abh; counts as violent: yes\n"
    )
    code, out, _ = run(capsys, "search", "burglary", "dwelling")
    assert (
        "03000     Burglary in a dwelling\n          burglary_domestic; counts as violent: no"
        in (out)
    )


def test_search_as_json(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, reference: Path
) -> None:
    run(capsys, "import", mapping_file(tmp_path))
    code, out, _ = run(capsys, "search", "affray", "--json")
    assert code == 0
    assert json.loads(out)[-1] == {
        "kind": "code",
        "code": "06601",
        "description": "Affray",
        "category": "public_order_and_harassment",
        "subtype": None,
        "violent": True,
    }


def test_search_with_no_match_exits_1(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, reference: Path
) -> None:
    run(capsys, "import", mapping_file(tmp_path))
    code, out, err = run(capsys, "search", "99999")
    assert (code, out) == (1, "")
    assert "Nothing matches '99999'" in err


def test_search_limit(capsys: pytest.CaptureFixture[str], reference: Path) -> None:
    code, out, _ = run(capsys, "search", "--limit", "3")
    assert code == 0
    assert out.count("category  ") == 3
    assert "... and 22 more" in out


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "is not JSON"),
        ([1, 2], "is not a Manage Offences actuarial mapping: expected a JSON object"),
        ({"06601": entry("SOMETHING_NEW", True, "x")}, "actuarialCategory 'SOMETHING_NEW'"),
    ],
)
def test_a_file_that_is_not_the_mapping_exits_2_and_keeps_the_last_import(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    reference: Path,
    content: Any,
    message: str,
) -> None:
    run(capsys, "import", mapping_file(tmp_path))
    saved = stored_codes(reference)
    assert saved is not None and "06601" in saved
    code, out, err = run(capsys, "import", mapping_file(tmp_path, content))
    assert (code, out) == (2, "")
    assert message in err
    assert "Traceback" not in err
    assert stored_codes(reference) == saved


def test_import_of_a_missing_file_exits_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, reference: Path
) -> None:
    code, _, err = run(capsys, "import", str(tmp_path / "nowhere.json"))
    assert code == 2
    assert "cannot read" in err


def test_db_option_wins_over_the_environment(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, reference: Path
) -> None:
    chosen = tmp_path / "elsewhere" / "court-tui.db"
    run(capsys, "import", mapping_file(tmp_path), "--db", str(chosen))
    assert chosen.is_file() and not reference.exists()
    code, out, _ = run(capsys, "search", "06601", "--db", str(chosen))
    assert code == 0 and "Affray" in out


def test_the_imported_codes_are_encrypted_in_the_store(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, reference: Path
) -> None:
    run(capsys, "import", mapping_file(tmp_path))
    assert b"Common assault and battery" not in reference.read_bytes()
    assert stored_codes(reference) is not None


def test_a_wrong_passphrase_is_refused_plainly(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    reference: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    run(capsys, "import", mapping_file(tmp_path))
    monkeypatch.setenv("COURT_TUI_PASSPHRASE", "not the passphrase at all")
    code, out, err = run(capsys, "search", "affray")
    assert (code, out) == (2, "")
    assert "passphrase" in err.lower()
    assert "Traceback" not in err


@needs_shared_mapping
def test_import_of_the_shared_mapping(capsys: pytest.CaptureFixture[str], reference: Path) -> None:
    code, out, _ = run(capsys, "import", str(SHARED_MAPPING))
    assert code == 0
    assert "Imported 3,039 offence codes" in out
    assert "634 count as violent" in out
    code, out, _ = run(capsys, "search", "06601")
    assert (
        out == "06601     Affray\n          public_order_and_harassment; counts as violent: yes\n"
    )


def test_the_app_reads_the_imported_codes_from_its_store(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, reference: Path
) -> None:
    from court_tui.commands.app import _stored_offences
    from court_tui.store import open_store
    from court_tui.ui.backend import Backend

    run(capsys, "import", mapping_file(tmp_path))
    with open_store(reference, "offence test passphrase") as store:
        backend = Backend(reference, store=store)
        catalogue = _stored_offences(backend)
    assert catalogue.codes["10501"].description == "Common assault and battery"
