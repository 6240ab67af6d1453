"""Whatever JSON arrives, `check` never crashes: unusable input is exit 2 with a message."""

from __future__ import annotations

import io
import json
import tempfile
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from court_tui.cli import main

DEMO = Path(__file__).resolve().parents[2] / "data" / "demo"

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=5)
        | st.dictionaries(st.text(max_size=12), children, max_size=5)
    ),
    max_leaves=25,
)

DEMO_CASE = json.loads((DEMO / "complete-crc.json").read_text())
CASE_KEYS = sorted(DEMO_CASE["case"])
ANSWER_KEYS = sorted(DEMO_CASE["case"]["answers"])


@st.composite
def damaged_cases(draw: st.DrawFn) -> object:
    """A real case file with one part replaced by arbitrary JSON."""
    case = json.loads(json.dumps(DEMO_CASE))
    where = draw(st.sampled_from(["envelope", "case", "answer", "check", "version"]))
    value = draw(json_values)
    if where == "envelope":
        case[draw(st.sampled_from(["format", "case", "extra"]))] = value
    elif where == "case":
        case["case"][draw(st.sampled_from(CASE_KEYS))] = value
    elif where == "answer":
        case["case"]["answers"][draw(st.sampled_from(ANSWER_KEYS))] = value
    elif where == "check":
        check = case["case"]["checks"]["domestic_abuse"]
        check[draw(st.sampled_from(sorted(check)))] = value
    else:
        case["format_version"] = value
    return case


def _check(text: str) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "case.json"
        path.write_text(text, encoding="utf-8")
        with redirect_stdout(out), redirect_stderr(err):
            code = main(["check", str(path), "--today", "2026-03-02"])
    assert "Traceback" not in out.getvalue() + err.getvalue()
    return code, err.getvalue()


@settings(max_examples=1200)
@given(document=json_values)
def test_arbitrary_json_is_refused_with_exit_2(document: object) -> None:
    code, err = _check(json.dumps(document))
    assert code == 2
    assert err.startswith("court-tui check: ")


@settings(max_examples=800)
@given(document=damaged_cases())
def test_damaged_case_files_never_crash(document: object) -> None:
    code, err = _check(json.dumps(document))
    assert code in (0, 1, 2)
    if code == 2:
        assert err.startswith("court-tui check: ")


@settings(max_examples=200)
@given(text=st.text(max_size=60))
def test_arbitrary_text_never_crashes(text: str) -> None:
    code, _ = _check(text)
    assert code in (1, 2) or text.strip() == ""
