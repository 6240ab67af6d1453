"""The JSON case file: a lossless round trip, a format version, clear refusals."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from court_tui.domain.answers import NOT_KNOWN, NotKnown
from court_tui.domain.bounds import MAX_NUMBER
from court_tui.domain.case import CaseRecord, CheckRequest, FollowUp, Handover
from court_tui.domain.casefile import (
    FORMAT_VERSION,
    CaseFileError,
    Unusable,
    dumps,
    from_data,
    json_schema,
    loads,
)
from court_tui.domain.forms import FormSet, load_forms

DEMO_FILES = sorted((Path(__file__).resolve().parents[2] / "data" / "demo").glob("*.json"))


def test_there_are_demo_cases_to_round_trip(demo_dir: Path) -> None:
    assert sorted(demo_dir.glob("*.json")) == DEMO_FILES
    assert len(DEMO_FILES) == 6


@pytest.mark.parametrize("path", DEMO_FILES, ids=lambda p: p.stem)
def test_every_demo_case_round_trips_byte_for_byte(path: Path, forms: FormSet) -> None:
    text = path.read_text(encoding="utf-8")
    record = loads(text, forms)
    assert dumps(record) == text
    assert loads(dumps(record), forms) == record


def test_the_envelope_names_the_format_and_its_version(make_case) -> None:
    data = json.loads(dumps(make_case()))
    assert data["format"] == "court-tui-case"
    assert data["format_version"] == FORMAT_VERSION == 1
    assert set(data) == {"format", "format_version", "case"}


def test_a_full_record_round_trips(make_case, forms: FormSet) -> None:
    chase = FollowUp(
        question="rsr_score",
        owner="Sam Patel",
        action="Complete the RSR in OASys",
        due=date(2026, 3, 4),
        recorded_on=date(2026, 3, 2),
        recorded_by="Sam Patel",
    )
    closed = FollowUp(
        question="mappa_eligible",
        owner="Sam Patel",
        action="Ask ViSOR",
        due=date(2026, 3, 3),
        recorded_on=date(2026, 3, 2),
        closed_on=date(2026, 3, 3),
        closed_by="Alex Morgan",
        answer="no",
        reviewed_by="Pat Singh (SPO)",
        review_note="Checked with ViSOR myself",
    )
    record = make_case(
        name="Siân O'Connor-Łukasz",
        rsr_score=NOT_KNOWN,
        rar_days=10,
        factors_linked_to_offending=["finance", "other"],
        factors_other_details="Gambling – online",
        checks={"safeguarding": CheckRequest(requested="no", not_requested_reason="None")},
        follow_ups=[chase, closed],
    )
    record = record.model_copy(
        update={
            "revision": 7,
            "created_at": datetime(2026, 3, 2, 10, 15, 0, 123456, tzinfo=UTC),
            "updated_at": datetime(2026, 3, 2, 11, 0, tzinfo=timezone(timedelta(hours=1))),
            "drafts": {"date_of_birth": "31/2/1990"},
            "handover": Handover(
                acknowledged=["rosh", "rsr"],
                accepted_by="Alex Morgan",
                accepted_at=datetime(2026, 3, 3, 9, 30, tzinfo=UTC),
            ),
        }
    )
    text = dumps(record)
    again = loads(text, forms)
    assert again == record
    assert dumps(again) == text
    assert isinstance(again.answers["rsr_score"], NotKnown)
    assert again.answers["rar_days"] == 10
    assert again.updated_at.utcoffset() == timedelta(hours=1)
    assert again.created_at.microsecond == 123456
    assert again.drafts == {"date_of_birth": "31/2/1990"}


def test_a_not_known_answer_is_written_as_an_object_and_read_back(make_case, forms) -> None:
    text = dumps(make_case(crn=NOT_KNOWN))
    assert json.loads(text)["case"]["answers"]["crn"] == {"not_known": True}
    assert loads(text, forms).answers["crn"] == NOT_KNOWN


def test_text_and_numbers_keep_their_types(make_case, forms) -> None:
    record = make_case(rsr_score="6.90", rar_days=10, courtroom="10")
    again = loads(dumps(record), forms)
    assert again.answers["rsr_score"] == "6.90"
    assert again.answers["rar_days"] == 10
    assert again.answers["courtroom"] == "10"


def test_bytes_are_read_too(make_case, forms) -> None:
    record = make_case()
    assert loads(dumps(record).encode("utf-8"), forms) == record


# Text within the bounds: no control characters other than tab, line and page breaks.
_CHARACTERS = st.characters(exclude_categories=("Cs", "Cc")) | st.sampled_from("\t\n\r\v\f")
_ANSWER = st.one_of(
    st.text(_CHARACTERS, max_size=40),
    st.integers(min_value=-(10**12), max_value=10**12),
    # Numbers past the case's bounds are refused (tests/domain/test_bounds.py).
    st.floats(min_value=-MAX_NUMBER, max_value=MAX_NUMBER),
    st.lists(st.text(_CHARACTERS, max_size=10), max_size=4),
    st.just(NOT_KNOWN),
)
_SOME_IDS = ["name", "crn", "rsr_score", "other_offences", "rar_days", "sources_of_information"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    answers=st.dictionaries(st.sampled_from(_SOME_IDS), _ANSWER),
    officer=st.text(_CHARACTERS, max_size=30),
)
def test_any_answers_round_trip(answers: dict[str, object], officer: str) -> None:
    forms = load_forms()
    record = CaseRecord.model_validate(
        {"answers": answers, "officer": officer, "created_at": "2026-03-02T10:15:00Z"}
    )
    text = dumps(record)
    again = loads(text, forms)
    assert again == record
    assert dumps(again) == text


# Refusals.


def refusal(text: str | bytes, forms: FormSet) -> CaseFileError:
    with pytest.raises(CaseFileError) as raised:
        loads(text, forms)
    return raised.value


def envelope(make_case, **changes: object) -> dict[str, object]:
    data = json.loads(dumps(make_case()))
    data.update(changes)
    return data


def test_a_newer_format_version_is_refused_saying_to_update(make_case, forms) -> None:
    error = refusal(json.dumps(envelope(make_case, format_version=2)), forms)
    assert error.reason is Unusable.NEWER_VERSION
    assert error.message == (
        "This case file is format version 2, from a newer court-tui; this version reads up "
        "to version 1. Update court-tui to open it."
    )


def test_a_newer_version_is_refused_even_with_a_case_this_version_cannot_read(forms) -> None:
    data = {"format": "court-tui-case", "format_version": 3, "case": {"answers": {"x": {}}}}
    assert refusal(json.dumps(data), forms).reason is Unusable.NEWER_VERSION


@pytest.mark.parametrize("text", ["", "{", "not json", "{'format': 1}"])
def test_text_that_is_not_json(forms, text: str) -> None:
    error = refusal(text, forms)
    assert error.reason is Unusable.NOT_JSON
    assert error.message.startswith("Not JSON")


@pytest.mark.parametrize(
    "data",
    [
        [],
        "court-tui-case",
        {"format": "something-else", "format_version": 1, "case": {}},
        {"case": {}},
    ],
)
def test_json_that_is_not_a_case_file(forms, data: object) -> None:
    error = refusal(json.dumps(data), forms)
    assert error.reason is Unusable.NOT_A_CASE
    assert error.message == 'Not a court-tui case file: it has no "format": "court-tui-case"'


@pytest.mark.parametrize("version", ["1", None, True, 1.0])
def test_a_format_version_that_is_not_a_whole_number(make_case, forms, version: object) -> None:
    error = refusal(json.dumps(envelope(make_case, format_version=version)), forms)
    assert error.reason is Unusable.NOT_A_CASE


def test_format_version_zero_is_not_a_case(make_case, forms) -> None:
    error = refusal(json.dumps(envelope(make_case, format_version=0)), forms)
    assert error.reason is Unusable.NOT_A_CASE
    assert error.message == "Not a court-tui case file: format_version 0"


def test_an_unknown_question_id_is_refused_by_name(make_case, forms) -> None:
    data = envelope(make_case)
    data["case"]["answers"]["shoe_size"] = "9"  # type: ignore[index]
    error = refusal(json.dumps(data), forms)
    assert error.reason is Unusable.NOT_A_CASE
    assert error.message == "Not a court-tui case: answers has an unknown question 'shoe_size'"


def test_an_unknown_check_and_an_unknown_follow_up_question(make_case, forms) -> None:
    data = envelope(make_case)
    data["case"]["checks"]["housing"] = {"requested": "yes"}  # type: ignore[index]
    assert refusal(json.dumps(data), forms).message == (
        "Not a court-tui case: unknown check 'housing'"
    )
    data = envelope(make_case)
    data["case"]["follow_ups"] = [  # type: ignore[index]
        {"question": "shoe_size", "recorded_on": "2026-03-02"}
    ]
    assert refusal(json.dumps(data), forms).message == (
        "Not a court-tui case: a follow-up is for an unknown question 'shoe_size'"
    )


def test_a_check_question_is_not_an_answer(make_case, forms) -> None:
    # The checks form's questions live on each check, not among the answers.
    data = envelope(make_case)
    data["case"]["answers"]["requested"] = "yes"  # type: ignore[index]
    assert refusal(json.dumps(data), forms).reason is Unusable.NOT_A_CASE


def test_a_malformed_field_is_named(make_case, forms) -> None:
    data = envelope(make_case)
    data["case"]["checks"]["safeguarding"]["requested_on"] = "last week"  # type: ignore[index]
    error = refusal(json.dumps(data), forms)
    assert error.reason is Unusable.NOT_A_CASE
    assert error.message.startswith(
        "Not a usable court-tui case: case.checks.safeguarding.requested_on:"
    )


def test_an_unexpected_field_is_refused(make_case, forms) -> None:
    data = envelope(make_case)
    data["case"]["colour"] = "blue"  # type: ignore[index]
    error = refusal(json.dumps(data), forms)
    assert error.reason is Unusable.NOT_A_CASE
    assert "colour" in error.message


def test_deep_nesting_is_refused_not_a_crash(forms) -> None:
    text = "[" * 100_000 + "]" * 100_000
    assert refusal(text, forms).reason in (Unusable.NOT_JSON, Unusable.NOT_A_CASE)


def test_from_data_reads_parsed_json(make_case, forms) -> None:
    record = make_case()
    assert from_data(json.loads(dumps(record)), forms) == record


def test_the_schema_describes_the_envelope() -> None:
    schema = json_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert set(schema["required"]) >= {"case"}
    assert {"format", "format_version", "case"} <= set(schema["properties"])
