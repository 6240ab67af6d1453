"""`court-tui list import|show`: exit codes, what is said, and the JSON of the day's list."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from court_tui.cli import main
from tests.support.court_lists import (
    BILLION_LAUGHS,
    cp_defendant,
    cp_hearing,
    libra_case,
    libra_document,
    libra_message,
    libra_session,
)

PASSPHRASE = "court list test passphrase"


@pytest.fixture
def store_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "court-tui" / "court-tui.db"
    monkeypatch.setenv("COURT_TUI_DB", str(path))
    monkeypatch.setenv("COURT_TUI_PASSPHRASE", PASSPHRASE)
    return path


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["list", *args])
    out, err = capsys.readouterr()
    return code, out, err


def write(tmp_path: Path, name: str, data: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def day_list() -> bytes:
    """Two rooms, morning and afternoon, with a youth, an organisation and a dummy room."""
    return libra_message(
        [
            libra_document(
                [
                    libra_session(
                        [
                            libra_case("1", "MR Abraham LINCOLN"),
                            libra_case("2", "MS Jo ADAMS", dob="01/05/1990", pnc=None),
                        ],
                        room="02",
                        ou_code="B10JQ02",
                    ),
                    libra_session(
                        [libra_case("3", "MASTER Kid YOUNG", dob="01/01/2012")],
                        room="01",
                        sstart="14:00",
                    ),
                    libra_session(
                        [
                            libra_case("4", "ZED TRADING LTD", def_type="O", pnc=None),
                            libra_case("5", "MR Bob BROWN", pnc=None, dob=None),
                        ]
                    ),
                    libra_session([libra_case("6")], room="51", ou_code="B10JQ51"),
                ]
            )
        ]
    )


def test_import_then_show_sorted_by_room_session_and_surname(
    capsys: pytest.CaptureFixture[str], store_file: Path, tmp_path: Path
) -> None:
    code, out, err = run(capsys, "import", write(tmp_path, "list.xml", day_list()))
    assert code == 0, err
    assert "Imported 5 listed defendants" in out
    assert "1 in dummy rooms (50 and above) left out" in out
    assert "2 youth or organisation, not matched" in out

    code, out, _ = run(capsys, "show", "--date", "2026-03-02", "--json")
    assert code == 0
    shown: list[dict[str, Any]] = json.loads(out)
    assert [(e["room"], e["session"], e["surname"]) for e in shown] == [
        ("1", "morning", "Brown"),
        ("1", "morning", "ZED TRADING LTD"),
        ("1", "afternoon", "Young"),
        ("2", "morning", "Adams"),
        ("2", "morning", "Lincoln"),
    ]
    lincoln = shown[-1]
    assert lincoln == {
        "source": "libra",
        "court_code": "B10JQ",
        "court": "Leeds Magistrates' Court",
        "room": "2",
        "date": "2026-03-02",
        "session": "morning",
        "start_time": "09:30",
        "listing": "1st",
        "name": "Abraham Lincoln",
        "surname": "Lincoln",
        "forenames": "Abraham",
        "date_of_birth": "1980-02-12",
        "pnc": "2003/0011985X",
        "cro": "11111/79J",
        "kind": "person",
        "youth": False,
        "offences": [
            {
                "code": "TH68010",
                "title": "Theft from a shop",
                "wording": "Stole food to the value of 20 pounds",
            }
        ],
        "match": "none",
        "case_id": None,
    }
    assert shown[1]["kind"] == "organisation" and shown[2]["youth"] is True
    assert shown[0]["date_of_birth"] is None


def test_import_json_and_a_second_import_updates(
    capsys: pytest.CaptureFixture[str], store_file: Path, tmp_path: Path
) -> None:
    path = write(tmp_path, "list.xml", day_list())
    run(capsys, "import", path)
    code, out, _ = run(capsys, "import", path, "--json")
    assert code == 0
    done = json.loads(out)
    assert (done["new"], done["updated"], done["unchanged"]) == (0, 0, 5)
    assert done["dummy_rooms_left_out"] == 1
    _, out, _ = run(capsys, "show", "--date", "2026-03-02", "--json")
    assert len(json.loads(out)) == 5


def test_a_set_aside_entry_is_said_and_exits_1(
    capsys: pytest.CaptureFixture[str], store_file: Path, tmp_path: Path
) -> None:
    data = libra_message(
        [libra_document([libra_session([libra_case("1"), libra_case("2", dob="1/13/1990")])])]
    )
    code, out, err = run(capsys, "import", write(tmp_path, "list.xml", data))
    assert code == 1
    assert "Set aside:" in err and "1/13/1990" in err
    assert "Imported 1 listed defendant " in out


@pytest.mark.parametrize(
    ("data", "said"),
    [
        (BILLION_LAUGHS, "DTD or entities"),
        (b"Dear court, here is the list", "neither a Libra court list"),
        (b'{"hearing": {"id": "h", "courtCentre": ', "cut short"),
    ],
)
def test_an_unusable_file_exits_2_in_words_and_imports_nothing(
    capsys: pytest.CaptureFixture[str],
    store_file: Path,
    tmp_path: Path,
    data: bytes,
    said: str,
) -> None:
    good = write(tmp_path, "good.xml", day_list())
    code, _, err = run(capsys, "import", good, write(tmp_path, "bad", data))
    assert code == 2
    assert said in err and "Traceback" not in err
    assert "nothing was imported" in err
    code, out, _ = run(capsys, "show", "--date", "2026-03-02", "--json")
    assert json.loads(out) == []


def test_show_by_court_and_a_common_platform_time_in_summer(
    capsys: pytest.CaptureFixture[str], store_file: Path, tmp_path: Path
) -> None:
    hearing = cp_hearing(
        "h1",
        [("c1", [cp_defendant("d1", pnc="20040046583U")])],
        code="B14LO00",
        sitting_days=["2026-06-15T09:00:00.000Z"],
    )
    run(capsys, "import", write(tmp_path, "h.json", hearing))
    run(capsys, "import", write(tmp_path, "list.xml", day_list()))
    code, out, _ = run(capsys, "show", "--date", "2026-06-15", "--court", "B14LO", "--json")
    assert code == 0
    (entry,) = json.loads(out)
    assert (entry["source"], entry["room"], entry["start_time"]) == (
        "common_platform",
        "5",
        "10:00",
    )
    assert (entry["name"], entry["pnc"]) == ("Jane Doe", "2004/0046583U")
    code, out, err = run(capsys, "show", "--date", "2026-06-15", "--court", "B10JQ")
    assert (code, out) == (0, "")
    assert "No court list is imported for Monday 15 June 2026 at B10JQ" in err


def test_show_in_words_says_each_match(
    capsys: pytest.CaptureFixture[str], store_file: Path, tmp_path: Path
) -> None:
    run(capsys, "import", write(tmp_path, "list.xml", day_list()))
    code, out, _ = run(capsys, "show", "--date", "2026-03-02")
    assert code == 0
    assert "  Room 1, afternoon" in out
    assert "Kid Young, 01/01/2012, PNC 2003/0011985X, 1st; youth: not matched" in out
    assert "Bob Brown, no date of birth, PNC none, 1st; no match" in out


def test_a_bad_date_is_refused_in_words(
    capsys: pytest.CaptureFixture[str], store_file: Path
) -> None:
    code, _, err = run(capsys, "show", "--date", "2/3/2026")
    assert code == 2
    assert "--date must be a date like 2026-03-02" in err
