"""`court-tui rsr [FILE]`: the worked examples, batches, refusals and exit codes."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from court_tui.cli import main

WORKED = json.loads(
    (Path(__file__).resolve().parents[1] / "domain" / "rsr_worked_examples.json").read_text()
)
EXAMPLES = {example["name"]: example for example in WORKED["examples"]}
REFUSED = WORKED["refused"]


def run_rsr(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, document: Any
) -> tuple[int, str, str]:
    """Run `court-tui rsr FILE` on DOCUMENT (JSON text when a str); exit code, stdout, stderr."""
    path = tmp_path / "inputs.json"
    path.write_text(document if isinstance(document, str) else json.dumps(document))
    code = main(["rsr", str(path)])
    out, err = capsys.readouterr()
    return code, out, err


def as_printed(output: str) -> Any:
    """The printed JSON with each number as it was written (2.90 stays 2.90)."""
    return json.loads(output, parse_float=lambda text: text, parse_int=lambda text: text)


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_worked_example_through_the_command(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, name: str
) -> None:
    code, out, err = run_rsr(capsys, tmp_path, EXAMPLES[name]["inputs"])
    assert (code, err) == (0, "")
    assert as_printed(out) == EXAMPLES[name]["expected"]


def test_output_keys_in_order_and_numbers_with_two_decimals(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    _, out, _ = run_rsr(capsys, tmp_path, EXAMPLES["D"]["inputs"])
    assert out == (
        '{"snsv_percent": 0.16, "ospdc_percent": 2.46, "ospiic_percent": 0.28, '
        '"rsr_percent": 2.90, "band": "LOW", "ospdc_band": "HIGH", "ospiic_band": "LOW"}\n'
    )
    assert json.loads(out, parse_float=Decimal)["rsr_percent"] == Decimal("2.90")


def test_refused_example_exits_1_with_the_message(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, err = run_rsr(capsys, tmp_path, REFUSED["inputs"])
    assert code == 1
    assert json.loads(out) == {"error": REFUSED["error"]}
    assert REFUSED["error"] in err
    assert "Traceback" not in err


def test_batch_keeps_order_and_marks_each_refused_item(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    names = sorted(EXAMPLES)
    items: list[Any] = [EXAMPLES[name]["inputs"] for name in names]
    items[2:2] = [REFUSED["inputs"], 7]
    code, out, err = run_rsr(capsys, tmp_path, items)
    printed = as_printed(out)
    assert code == 1
    assert len(printed) == len(items)
    assert printed[2] == {"error": REFUSED["error"]}
    assert printed[3] == {"error": "each input must be a JSON object, not 7"}
    scored = printed[:2] + printed[4:]
    assert scored == [EXAMPLES[name]["expected"] for name in names]
    assert "2 of 8 inputs refused (items 3, 4" in err


def test_batch_of_valid_inputs_exits_0(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    items = [EXAMPLES[name]["inputs"] for name in sorted(EXAMPLES)] * 3
    code, out, err = run_rsr(capsys, tmp_path, items)
    assert (code, err) == (0, "")
    assert len(json.loads(out)) == 18


def test_empty_batch_gives_an_empty_array(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert run_rsr(capsys, tmp_path, []) == (0, "[]\n", "")


@pytest.mark.parametrize(
    ("wrong", "message"),
    [
        ({"total_sanctions": True}, "total_sanctions must be a whole number, not true"),
        ({"total_sanctions": "9"}, 'total_sanctions must be a whole number, not "9"'),
        ({"dangerousness": "high"}, "dangerousness is not an input of the RSR"),
    ],
)
def test_wrong_json_types_and_unknown_keys_are_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, wrong: dict[str, Any], message: str
) -> None:
    code, out, _ = run_rsr(capsys, tmp_path, {**EXAMPLES["B"]["inputs"], **wrong})
    assert code == 1
    assert json.loads(out) == {"error": message}


def test_a_key_given_twice_is_refused(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    text = json.dumps(EXAMPLES["B"]["inputs"])[:-1] + ', "total_sanctions": 3}'
    code, out, _ = run_rsr(capsys, tmp_path, text)
    assert code == 1
    assert json.loads(out) == {"error": "total_sanctions is given more than once"}


@pytest.mark.parametrize(
    "text",
    ['{"gender": "male",', "not json", "", '{"total_sanctions": NaN}', "\xff"],
)
def test_input_that_is_not_json_exits_2_without_a_traceback(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, text: str
) -> None:
    code, out, err = run_rsr(capsys, tmp_path, text)
    assert (code, out) == (2, "")
    assert err.startswith("court-tui rsr: the input is not JSON")
    assert "Traceback" not in err


def test_json_that_is_neither_object_nor_array_exits_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, err = run_rsr(capsys, tmp_path, "3")
    assert (code, out) == (2, "")
    assert "a JSON object of inputs or an array of them" in err


def test_missing_file_exits_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code = main(["rsr", str(tmp_path / "nowhere.json")])
    _, err = capsys.readouterr()
    assert code == 2
    assert "cannot read" in err


def test_reads_stdin_without_a_file(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    data = json.dumps(EXAMPLES["E"]["inputs"]).encode()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    code = main(["rsr"])
    out, _ = capsys.readouterr()
    assert code == 0
    assert as_printed(out) == EXAMPLES["E"]["expected"]


def test_installed_entry_point_scores_from_stdin() -> None:
    batch = [EXAMPLES[name]["inputs"] for name in sorted(EXAMPLES)] + [REFUSED["inputs"]]
    done = subprocess.run(
        [sys.executable, "-m", "court_tui", "rsr"],
        input=json.dumps(batch),
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1
    printed = as_printed(done.stdout)
    assert printed[:-1] == [EXAMPLES[name]["expected"] for name in sorted(EXAMPLES)]
    assert printed[-1] == {"error": REFUSED["error"]}


DEMO = Path(__file__).resolve().parents[2] / "data" / "demo"
OFFENCES = Path(__file__).resolve().parents[3] / "shared" / "data" / "offence-codes-actuarial.json"
HISTORY = [
    "--set",
    "total_sanctions=4",
    "--set",
    "age_at_first_sanction=20",
    "--set",
    "violent_sanctions=0",
    "--set",
    "sexual_history=false",
]


def run_case(capsys: pytest.CaptureFixture[str], name: str, *options: str) -> tuple[int, str, str]:
    """Run `court-tui rsr` on the demo case NAME; exit code, stdout, stderr."""
    code = main(["rsr", str(DEMO / name), "--today", "2026-03-02", *options])
    out, err = capsys.readouterr()
    return code, out, err


def test_a_case_file_asks_only_for_what_the_case_does_not_hold(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run_case(capsys, "complete-crc.json")
    assert code == 1
    message = json.loads(out)["error"]
    # Date of birth, gender, dates and supervision come from the case; no sexual counts.
    assert message.startswith(
        "the case does not give offence_category, total_sanctions, age_at_first_sanction, "
        "violent_sanctions, sexual_history; give each with --set KEY=VALUE"
    )
    assert "--offences FILE" in message and "04600" in message
    assert "date_of_birth" not in message and "sanctions, sexual_history;" in message
    assert "court-tui rsr: the case does not give" in err


def test_a_case_file_with_the_rest_given_is_scored(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run_case(
        capsys, "complete-crc.json", "--set", "offence_category=theft_non_motor", *HISTORY
    )
    assert (code, err) == (0, "")
    printed = as_printed(out)
    assert printed["ospdc_band"] == "NOT_APPLICABLE"
    assert set(printed) == {
        "snsv_percent",
        "ospdc_percent",
        "ospiic_percent",
        "rsr_percent",
        "band",
        "ospdc_band",
        "ospiic_band",
    }


@pytest.mark.skipif(not OFFENCES.exists(), reason="no shared offence mapping here")
def test_a_case_file_finds_its_category_in_an_offence_mapping(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with_mapping = run_case(capsys, "complete-crc.json", "--offences", str(OFFENCES), *HISTORY)
    by_hand = run_case(
        capsys, "complete-crc.json", "--set", "offence_category=theft_non_motor", *HISTORY
    )
    assert with_mapping[0] == 0
    assert with_mapping[1] == by_hand[1]


def test_a_man_with_sexual_history_is_asked_for_the_sexual_items(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run_case(
        capsys,
        "complete-crc.json",
        "--set",
        "offence_category=theft_non_motor",
        *HISTORY[:-2],
        "--set",
        "sexual_history=true",
    )
    assert code == 1
    message = json.loads(out)["error"]
    assert "current_offence_sexually_motivated" in message
    assert "contact_adult_sanctions" in message


@pytest.mark.parametrize(
    ("options", "said"),
    [
        (["--set", "total_sanctions"], "--set takes KEY=VALUE"),
        (["--set", "shoe_size=9"], "shoe_size: not an input of the RSR"),
        (["--offences", "/nonexistent/offences.json"], "cannot read /nonexistent/offences.json"),
    ],
)
def test_unusable_options_with_a_case_file_exit_2(
    capsys: pytest.CaptureFixture[str], options: list[str], said: str
) -> None:
    code, _, err = run_case(capsys, "complete-crc.json", *options)
    assert code == 2
    assert said in err


def test_a_newer_case_file_exits_2_saying_so(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    case = json.loads((DEMO / "complete-crc.json").read_text())
    case["format_version"] = 99
    code, _, err = run_rsr(capsys, tmp_path, case)
    assert code == 2
    assert "from a newer court-tui" in err


def test_inputs_that_do_not_apply_may_be_left_out(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    inputs = {
        key: value
        for key, value in EXAMPLES["A"]["inputs"].items()
        if value is not None and key != "violence_subtype"
    }
    assert inputs["sexual_history"] is False
    code, out, err = run_rsr(capsys, tmp_path, inputs)
    assert (code, err) == (0, "")
    assert as_printed(out) == EXAMPLES["A"]["expected"]


def test_inputs_that_apply_are_still_demanded(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    inputs = {key: value for key, value in EXAMPLES["D"]["inputs"].items()}
    del inputs["contact_adult_sanctions"]
    code, out, _ = run_rsr(capsys, tmp_path, inputs)
    assert code == 1
    assert json.loads(out) == {"error": "contact_adult_sanctions is missing"}
