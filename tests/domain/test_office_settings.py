"""Where a case goes, set once: the office team and first appointment place for each
allocation, pre-filled by the case's allocation, following it while court-tui's own, and
a value that cannot be used said plainly."""

from __future__ import annotations

from datetime import date

import pytest

from court_tui.domain.allocation import Provider, labels_from
from court_tui.domain.answering import answer_question
from court_tui.domain.case import CaseRecord
from court_tui.domain.fields import Cas
from court_tui.domain.forms import FormSet
from court_tui.domain.new_case import new_case
from court_tui.domain.prefill import (
    AllocationOffices,
    after_allocation_change,
    unreadable,
    with_prefills,
)
from court_tui.domain.settings import (
    FIRST_APPOINTMENT_PLACES,
    HANDOVER_TEAMS,
    OFFICE_TEXT_MAX,
    office_text,
)

TODAY = date(2026, 3, 2)
OFFICER = "Sam Patel"
PLACE = "first_appointment_place"
OFFICES = AllocationOffices(
    teams={Provider.NPS: "Leeds NPS", Provider.CRC: "Leeds CRC"},
    places={Provider.NPS: "Albion Street, Leeds", Provider.CRC: "Park Place, Leeds"},
)


def allocated(decision: str | None, **answers: str) -> CaseRecord:
    record = new_case(OFFICER, "Leeds court team", "", TODAY)
    if decision is not None:
        answers[Cas.ALLOCATION_DECISION] = decision
    for question_id, value in answers.items():
        record = answer_question(record, question_id, value, officer=OFFICER, today=TODAY)
    return record


def cas(record: CaseRecord, forms: FormSet, offices: AllocationOffices = OFFICES) -> CaseRecord:
    filled, _ = with_prefills(record, forms, "cas", officer=OFFICER, today=TODAY, offices=offices)
    return filled


def change(
    record: CaseRecord, forms: FormSet, to: str, typed: frozenset[str] = frozenset()
) -> CaseRecord:
    before = record.answers.get(Cas.ALLOCATION_DECISION)
    record = answer_question(record, Cas.ALLOCATION_DECISION, to, officer=OFFICER, today=TODAY)
    changed, _ = after_allocation_change(
        record, forms, before, offices=OFFICES, typed=typed, officer=OFFICER, today=TODAY
    )
    return changed


def test_the_place_set_for_the_cases_allocation_is_pre_filled(forms: FormSet) -> None:
    assert cas(allocated("crc"), forms).answers[PLACE] == "Park Place, Leeds"
    assert cas(allocated("nps"), forms).answers[PLACE] == "Albion Street, Leeds"
    # No allocation yet, or none set for it: nothing is guessed.
    assert PLACE not in cas(allocated(None), forms).answers
    only_nps = AllocationOffices(places={Provider.NPS: "Albion Street, Leeds"})
    assert PLACE not in cas(allocated("crc"), forms, only_nps).answers


def test_the_team_set_for_the_cases_allocation_is_the_one_to_send_to() -> None:
    assert OFFICES.team_for(allocated("nps")) == "Leeds NPS"
    assert OFFICES.team_for(allocated("crc")) == "Leeds CRC"
    assert OFFICES.team_for(allocated(None)) == ""
    assert AllocationOffices().team_for(allocated("nps")) == ""


def test_changing_the_allocation_changes_the_place_court_tui_put_in(forms: FormSet) -> None:
    record = cas(allocated("crc"), forms)
    record = change(record, forms, "nps")
    assert record.answers[PLACE] == "Albion Street, Leeds"
    record = change(record, forms, "crc")
    assert record.answers[PLACE] == "Park Place, Leeds"


def test_a_place_the_officer_typed_never_follows_the_allocation(forms: FormSet) -> None:
    own = allocated("crc", first_appointment_place="Room 4, Bradford")
    assert change(cas(own, forms), forms, "nps").answers[PLACE] == "Room 4, Bradford"
    # Typed, even when it reads like the one set: the officer's, and kept.
    typed = cas(allocated("crc"), forms)
    kept = change(typed, forms, "nps", typed=frozenset({PLACE}))
    assert kept.answers[PLACE] == "Park Place, Leeds"
    # An existing case's place is never changed by opening it: only by a change of the
    # allocation, and only from the place set for the allocation it had.
    other = allocated("crc", first_appointment_place="Albion Street, Leeds")
    assert cas(other, forms).answers[PLACE] == "Albion Street, Leeds"
    assert change(other, forms, "nps").answers[PLACE] == "Albion Street, Leeds"


def test_a_place_left_from_before_with_none_set_for_the_new_allocation_is_cleared(
    forms: FormSet,
) -> None:
    record = cas(allocated("crc"), forms)
    offices = AllocationOffices(places={Provider.CRC: "Park Place, Leeds"})
    before = record.answers[Cas.ALLOCATION_DECISION]
    record = answer_question(record, Cas.ALLOCATION_DECISION, "nps", officer=OFFICER, today=TODAY)
    record, changed = after_allocation_change(
        record, forms, before, offices=offices, typed=(), officer=OFFICER, today=TODAY
    )
    assert changed == (PLACE,)
    assert PLACE not in record.answers  # asked again, never left pointing elsewhere


@pytest.mark.parametrize(
    ("stored", "message"),
    [
        ("x" * (OFFICE_TEXT_MAX + 1), f"must be {OFFICE_TEXT_MAX} characters or fewer"),
        ("Leeds\nNPS", "must be one line of plain text"),
        ("Leeds\x1b[2JNPS", "must be one line of plain text"),
    ],
)
def test_an_office_that_cannot_be_used_is_said_and_not_pre_filled(
    stored: str, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        office_text(stored)
    kept = {HANDOVER_TEAMS[Provider.NPS].key: stored, "unrelated": "x"}
    offices = AllocationOffices.read(kept.get)
    assert offices.team_for(allocated("nps")) == ""
    assert unreadable(kept.get, labels_from()) == [
        (
            HANDOVER_TEAMS[Provider.NPS].key,
            "The office team for National Probation Service (NPS) cases could not be used "
            f"(it {message}): enter it again",
        )
    ]


def test_an_office_is_kept_with_its_spacing_made_even() -> None:
    assert office_text("  Leeds \t CRC ") == "Leeds CRC"
    kept = {FIRST_APPOINTMENT_PLACES[Provider.CRC].key: " Park  Place "}
    assert AllocationOffices.read(kept.get).places[Provider.CRC] == "Park Place"
    assert unreadable(kept.get, labels_from("unification")) == []
