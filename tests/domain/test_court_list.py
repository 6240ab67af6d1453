"""Reading court lists and matching listed defendants: each quirk of court-lists.md."""

from __future__ import annotations

import json
from datetime import date, time
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from court_tui.domain.court_list import (
    ListedDefendant,
    ListedEntry,
    MatchCandidate,
    canonical_pnc,
    case_answers,
    match_defendant,
    normal_room,
    split_listed_name,
)
from court_tui.domain.court_list_files import CourtListFileError, read_court_list
from court_tui.domain.fields import Case
from tests.support.court_lists import (
    BILLION_LAUGHS,
    EXTERNAL_ENTITY,
    cp_defendant,
    cp_hearing,
    libra_case,
    libra_document,
    libra_message,
    libra_session,
)


def _one_libra(*cases: dict[str, object], **session: object) -> bytes:
    return libra_message([libra_document([libra_session(list(cases), **session)])])


def test_a_name_in_capitals_with_a_title_reads_as_a_person_writes_it() -> None:
    parsed = read_court_list(_one_libra(libra_case("1", "MR Abraham LINCOLN")))
    (entry,) = parsed.unique()
    assert (entry.name, entry.forenames, entry.surname) == (
        "Abraham Lincoln",
        "Abraham",
        "Lincoln",
    )


@pytest.mark.parametrize(
    ("listed", "forenames", "surname"),
    [
        ("MRS Mary Ann O'BRIEN-SMITH", "Mary Ann", "O'BRIEN-SMITH"),
        ("MS JANE DOE", "JANE", "DOE"),
        ("Dr. John VAN DER BERG", "John", "VAN DER BERG"),
    ],
)
def test_the_surname_is_the_words_in_capitals_at_the_end(
    listed: str, forenames: str, surname: str
) -> None:
    assert split_listed_name(listed) == (forenames, surname)


def test_name_elements_win_over_the_one_line_name() -> None:
    case = libra_case(
        "1",
        "MR John SMITH",
        name_elements={
            "title": "MR",
            "forename1": "JOHN",
            "forename2": "PAUL",
            "surname": "SMITH",
        },
    )
    (entry,) = read_court_list(_one_libra(case)).unique()
    assert entry.name == "John Paul Smith"


def test_a_missing_date_of_birth_is_no_date_and_never_a_guess() -> None:
    (entry,) = read_court_list(_one_libra(libra_case("1", dob=None))).unique()
    assert entry.date_of_birth is None
    assert ListedEntry(entry).shown([])["date_of_birth"] is None
    assert Case.DATE_OF_BIRTH not in case_answers(entry)


@pytest.mark.parametrize(
    ("given_pnc", "canonical"),
    [
        ("20030011985X", "2003/0011985X"),
        ("2003/11985x", "2003/0011985X"),
        ("03/0011985X", "2003/0011985X"),
        ("030011985X", "2003/0011985X"),
        ("20000012345A", "2000/0012345A"),
        ("1234", None),
        ("", None),
        ("2003/123456789X", None),
    ],
)
def test_a_pnc_is_compared_in_one_canonical_form(given_pnc: str, canonical: str | None) -> None:
    assert canonical_pnc(given_pnc) == canonical


def test_a_pnc_without_the_slash_is_shown_with_it() -> None:
    (entry,) = read_court_list(_one_libra(libra_case("1", pnc="20030011985X"))).unique()
    assert ListedEntry(entry).shown([])["pnc"] == "2003/0011985X"


def test_organisations_and_youths_are_listed_marked_and_never_matched() -> None:
    data = _one_libra(
        libra_case("1", "ACME TRADING LTD", def_type="O", dob=None, pnc=None),
        libra_case("2", "MASTER Tom THUMB", dob="01/01/2012", pnc="20030011985X"),
        libra_case("3", "MR Old ENOUGH", dob="02/03/2008"),  # 18 on the day
    )
    entries = {entry.surname: entry for entry in read_court_list(data).unique()}
    organisation, youth, adult = entries["ACME TRADING LTD"], entries["Thumb"], entries["Enough"]
    assert (organisation.kind, organisation.youth) == ("organisation", False)
    assert (youth.kind, youth.youth) == ("person", True)
    assert not adult.youth
    same_pnc = [MatchCandidate("case-1", "Tom Thumb", "2003/0011985X", date(2012, 1, 1))]
    assert match_defendant(youth, same_pnc).kind == "none"
    assert match_defendant(organisation, same_pnc).kind == "none"


def test_a_common_platform_youth_flag_marks_a_youth() -> None:
    data = cp_hearing("h", [("c", [cp_defendant("d", youth=True, dob="1990-01-01")])])
    (entry,) = read_court_list(data).unique()
    assert entry.youth


def test_dummy_rooms_are_left_out_and_counted() -> None:
    document = libra_document(
        [
            libra_session([libra_case("1")], room="01"),
            libra_session([libra_case("2"), libra_case("3")], room="50", ou_code="B10JQ50"),
            libra_session([libra_case("4")], room="62", ou_code="B10JQ62"),
        ]
    )
    parsed = read_court_list(libra_message([document]))
    assert [entry.room for entry in parsed.unique()] == ["1"]
    assert parsed.dummy_left_out == 3


def test_several_documents_and_rooms_in_one_message() -> None:
    documents = [
        libra_document(
            [libra_session([libra_case("1", "MR B BEE")], room="02", ou_code="B10JQ02")]
        ),
        libra_document(
            [
                libra_session([libra_case("2", "MR A AYE")], room="01"),
                libra_session([libra_case("3", "MR C SEA")], room="01", sstart="14:00"),
            ]
        ),
    ]
    entries = read_court_list(libra_message(documents)).unique()
    assert [(e.room, e.session, e.surname) for e in entries] == [
        ("1", "morning", "Aye"),
        ("1", "afternoon", "Sea"),
        ("2", "morning", "Bee"),
    ]


def test_several_messages_one_after_another_in_one_file() -> None:
    first = _one_libra(libra_case("1", "MR A AYE"))
    second = _one_libra(libra_case("2", "MR B BEE"), room="03", ou_code="B10JQ03")
    entries = read_court_list(first + b"\n" + second).unique()
    assert [entry.surname for entry in entries] == ["Aye", "Bee"]


def test_the_court_code_comes_from_the_file_name_when_there_is_no_ou_code() -> None:
    data = libra_message(
        [libra_document([libra_session([libra_case("1")], ou_code=None, room="03")],
                        file_name="5_02032026_2992_B14LO03_ADULT_COURT_LIST_DAILY")]
    )  # fmt: skip
    (entry,) = read_court_list(data).unique()
    assert (entry.court_code, entry.room) == ("B14LO", "3")


def test_several_cases_and_defendants_per_hearing() -> None:
    data = cp_hearing(
        "h1",
        [
            ("case-1", [cp_defendant("d1", first="Ann", last="ONE"),
                        cp_defendant("d2", first="Bob", last="TWO")]),
            ("case-2", [cp_defendant("d3", first="Cat", last="THREE",
                                     offences=[("TH68010", "Theft", 2), ("CJ88116", "Bail", 3)])]),
        ],
    )  # fmt: skip
    entries = read_court_list(data).unique()
    assert sorted(entry.name for entry in entries) == ["Ann One", "Bob Two", "Cat Three"]
    assert len({entry.key for entry in entries}) == 3
    three = next(entry for entry in entries if entry.surname == "Three")
    assert three.listing == "3rd"
    assert [offence.code for offence in three.offences] == ["TH68010", "CJ88116"]


@pytest.mark.parametrize(
    ("sitting", "local_day", "local_start"),
    [
        ("2026-06-15T09:00:00.000Z", date(2026, 6, 15), time(10, 0)),  # summer: BST
        ("2026-01-15T09:00:00.000Z", date(2026, 1, 15), time(9, 0)),  # winter: GMT
        ("2026-03-29T23:30:00Z", date(2026, 3, 30), time(0, 30)),  # the clocks went forward
    ],
)
def test_a_utc_sitting_time_is_shown_in_uk_time(
    sitting: str, local_day: date, local_start: time
) -> None:
    (entry,) = read_court_list(cp_hearing("h", [("c", [cp_defendant("d")])],
                                          sitting_days=[sitting])).unique()  # fmt: skip
    assert (entry.hearing_date, entry.start_time) == (local_day, local_start)


def test_a_hearing_over_several_days_lists_the_defendant_each_day() -> None:
    data = cp_hearing(
        "h", [("c", [cp_defendant("d")])],
        sitting_days=["2026-06-15T09:00:00Z", "2026-06-16T12:30:00Z"],
    )  # fmt: skip
    entries = read_court_list(data).unique()
    assert [(e.hearing_date.day, e.session) for e in entries] == [
        (15, "morning"),
        (16, "afternoon"),
    ]


def test_elements_out_of_schema_order_read_the_same() -> None:
    cases = [libra_case("1"), libra_case("2", "MS Jo BLOGGS", dob="01/01/1990")]
    in_order = read_court_list(libra_message([libra_document([libra_session(cases)])])).unique()
    reversed_ = read_court_list(
        libra_message([libra_document([libra_session(cases)])], reverse=True)
    ).unique()
    assert in_order == reversed_
    assert {entry.surname for entry in in_order} == {"Lincoln", "Bloggs"}


@pytest.mark.parametrize("hostile", [BILLION_LAUGHS, EXTERNAL_ENTITY])
def test_entity_declarations_are_refused(hostile: bytes) -> None:
    with pytest.raises(CourtListFileError, match="DTD or entities"):
        read_court_list(hostile)


@pytest.mark.parametrize("kind", ["libra", "common_platform"])
def test_a_truncated_file_is_refused_whole(kind: str) -> None:
    data = (
        _one_libra(libra_case("1"), libra_case("2"))
        if kind == "libra"
        else cp_hearing("h", [("c", [cp_defendant("d1"), cp_defendant("d2")])])
    )
    with pytest.raises(CourtListFileError, match="cut short"):
        read_court_list(data[: len(data) * 2 // 3])


def test_one_bad_entry_is_set_aside_and_said_and_the_rest_read() -> None:
    data = _one_libra(
        libra_case("1", "MR Good ONE"),
        libra_case("2", "MR Bad DATE", dob="31/02/1980"),
        libra_case("", "MR No ID"),
        libra_case("4", "MR Good TWO"),
    )
    parsed = read_court_list(data)
    assert [entry.surname for entry in parsed.unique()] == ["One", "Two"]
    assert len(parsed.set_aside) == 2
    assert "31/02/1980" in parsed.set_aside[0] and "not a real day" in parsed.set_aside[0]
    assert "c_id" in parsed.set_aside[1]


def test_a_value_longer_than_any_name_is_set_aside() -> None:
    parsed = read_court_list(_one_libra(libra_case("1", "MR A " + "LONG" * 200)))
    assert not parsed.entries
    assert "longer than" in parsed.set_aside[0]


@pytest.mark.parametrize(("given_room", "room"), [("Courtroom 05", "5"), ("05", "5"),
                                                    ("00", "0"), ("Court 1A", "1A")])  # fmt: skip
def test_rooms_are_shown_without_courtroom_and_leading_zeros(given_room: str, room: str) -> None:
    assert normal_room(given_room) == room


# -- matching ---------------------------------------------------------------------------

LINCOLN_PNC = "2003/0011985X"


def _lincoln(**overrides: Any) -> ListedDefendant:
    case = libra_case("1", **overrides)
    (entry,) = read_court_list(_one_libra(case)).unique()
    return entry


def test_a_pnc_written_differently_matches_exactly() -> None:
    entry = _lincoln(pnc="20030011985X")
    found = match_defendant(entry, [MatchCandidate("a", "Abraham Lincoln", "03/11985x", None)])
    assert (found.kind, found.case_id) == ("exact", "a")


def test_name_and_date_of_birth_match_exactly_without_a_pnc() -> None:
    entry = _lincoln(pnc=None)
    candidates = [
        MatchCandidate("a", "Abraham Lincoln", None, date(1980, 2, 12)),
        MatchCandidate("b", "Abraham Lincoln", None, date(1981, 2, 12)),
    ]
    assert match_defendant(entry, candidates).case_id == "a"


def test_two_hits_are_only_a_possible_match() -> None:
    entry = _lincoln(pnc=None)
    twins = [MatchCandidate(i, "Abe Lincoln", None, date(1980, 2, 12)) for i in ("a", "b")]
    found = match_defendant(entry, twins)
    assert (found.kind, found.case_id, found.case_ids) == ("possible", None, ("a", "b"))


@pytest.mark.parametrize(
    "recorded", [date(1980, 12, 2), date(1980, 5, 12), date(1980, 2, 13), date(1980, 2, 11)]
)
def test_a_lenient_date_of_birth_gives_only_a_possible_match(recorded: date) -> None:
    entry = _lincoln(pnc=None)
    found = match_defendant(entry, [MatchCandidate("a", "Abraham Lincoln", None, recorded)])
    assert found.kind == "possible"
    assert found.case_id is None


def test_a_rejected_case_is_not_offered_again() -> None:
    entry = _lincoln(pnc=None)
    candidate = MatchCandidate("a", "Abraham Lincoln", None, date(1980, 2, 13))
    assert match_defendant(entry, [candidate], rejected=["a"]).kind == "none"


def test_a_missing_date_of_birth_matches_by_pnc_only() -> None:
    entry = _lincoln(dob=None, pnc=None)
    candidate = MatchCandidate("a", "Abraham Lincoln", None, date(1980, 2, 12))
    assert match_defendant(entry, [candidate]).kind == "none"


def test_show_gives_exactly_the_issue_fields() -> None:
    entry = _lincoln()
    shown = ListedEntry(entry).shown([])
    assert list(shown) == [
        "source", "court_code", "court", "room", "date", "session", "start_time", "listing",
        "name", "surname", "forenames", "date_of_birth", "pnc", "cro", "kind", "youth",
        "offences", "match", "case_id",
    ]  # fmt: skip
    assert shown["offences"] == [
        {"code": "TH68010", "title": "Theft from a shop",
         "wording": "Stole food to the value of 20 pounds"}
    ]  # fmt: skip
    json.dumps(shown)


def test_a_started_case_takes_the_list_answers_and_keeps_cjs_codes_out_of_the_ho_code() -> None:
    entry = _lincoln(offences=[("TH68010", "Theft from a shop", "w"), ("CJ88116", "Bail", "w")])
    answers = case_answers(entry)
    assert answers[Case.NAME] == "Abraham Lincoln"
    assert answers[Case.DATE_OF_BIRTH] == "1980-02-12"
    assert answers[Case.GENDER] == "male"
    assert answers[Case.PNC] == LINCOLN_PNC
    assert answers[Case.COURTROOM] == "1"
    assert answers[Case.HEARING_DATE] == "2026-03-02"
    assert answers[Case.MAIN_OFFENCE] == "Theft from a shop"
    assert answers[Case.OTHER_OFFENCES] == "Bail (CJS CJ88116)"
    assert Case.MAIN_OFFENCE_CODE not in answers


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.binary(max_size=400) | st.text(max_size=300).map(str.encode))
def test_garbage_is_refused_in_words_never_with_a_traceback(data: bytes) -> None:
    try:
        read_court_list(data)
    except CourtListFileError as error:
        assert str(error)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=150, deadline=None)
@given(
    st.fixed_dictionaries(
        {"id": JSON_VALUES, "courtCentre": JSON_VALUES, "hearingDays": JSON_VALUES,
         "prosecutionCases": JSON_VALUES}
    )
)  # fmt: skip
def test_hostile_hearing_json_is_set_aside_in_words(hearing: dict[str, object]) -> None:
    data = json.dumps({"hearing": hearing}).encode()
    try:
        parsed = read_court_list(data)
    except CourtListFileError as error:
        assert str(error)
        return
    assert all(isinstance(reason, str) and reason for reason in parsed.set_aside)


HOSTILE_TEXT = st.text(max_size=30) | st.sampled_from(
    ["²", "٣", "05", "Courtroom 77", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59-14:00",
     "2026-06-15T09:00:00Z", "1990-02-30", "20030011985X", "", " "]
)  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(
    room=HOSTILE_TEXT,
    code=HOSTILE_TEXT,
    sitting=HOSTILE_TEXT,
    born=HOSTILE_TEXT,
    pnc=HOSTILE_TEXT,
    last=HOSTILE_TEXT,
    listing=st.integers() | st.text(max_size=5) | st.none(),
)
def test_hostile_values_in_a_hearing_are_set_aside_in_words(
    room: str, code: str, sitting: str, born: str, pnc: str, last: str, listing: object
) -> None:
    defendant = cp_defendant("d", last=last, dob=born, pnc=pnc)
    defendant["offences"][0]["listingNumber"] = listing
    hearing = json.loads(cp_hearing("h", [("c", [defendant])], room=room, code=code + "XXXXX",
                                    sitting_days=[sitting]))  # fmt: skip
    parsed = read_court_list(json.dumps(hearing).encode())
    assert len(parsed.entries) + len(parsed.set_aside) + parsed.dummy_left_out == 1
    for entry in parsed.entries:
        assert len(entry.court_code) == 5
        assert entry.pnc is None or canonical_pnc(entry.pnc) == entry.pnc
        json.dumps(ListedEntry(entry).shown([]))


@settings(max_examples=150, deadline=None)
@given(room=HOSTILE_TEXT, doh=HOSTILE_TEXT, sstart=HOSTILE_TEXT, name=HOSTILE_TEXT,
       dob=HOSTILE_TEXT, age=HOSTILE_TEXT, pnc=HOSTILE_TEXT)  # fmt: skip
def test_hostile_values_in_a_libra_list_are_set_aside_in_words(
    room: str, doh: str, sstart: str, name: str, dob: str, age: str, pnc: str
) -> None:
    case = libra_case("1", name, dob=dob or None, pnc=pnc or None)
    case["def_age"] = age or None
    data = _one_libra(case, room=room or None, doh=doh, sstart=sstart)
    try:
        parsed = read_court_list(data)
    except CourtListFileError as error:  # a character XML cannot hold at all
        assert "XML" in str(error)
        return
    assert len(parsed.entries) + len(parsed.set_aside) + parsed.dummy_left_out == 1
