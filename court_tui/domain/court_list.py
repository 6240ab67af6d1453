"""The day's court list: who is listed, where and when, and which probation record is theirs.

Everything a court list says is bounded and checked here, as it enters: a court code of
five characters, a room without "Courtroom" and its leading zeros, a UK local start time,
a name as a person writes it, a PNC number in one canonical form. Matching a listed
defendant to a case follows court-lists.md: PNC first, then names and date of birth, and
a lenient date of birth only ever gives a possible match, for the officer to confirm.
"""

from __future__ import annotations

import contextlib
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from typing import Any, Literal

from court_tui.domain.answers import AnswerValue
from court_tui.domain.dates import to_local
from court_tui.domain.fields import Case

Source = Literal["libra", "common_platform"]
Kind = Literal["person", "organisation"]
Session = Literal["morning", "afternoon"]
MatchKind = Literal["exact", "possible", "none"]

SOURCE_NAMES: dict[Source, str] = {"libra": "Libra", "common_platform": "Common Platform"}

# Bounds on what a list may say: a longer value is a broken or hostile file, not a name.
MAX_ID = 100
MAX_NAME = 200
MAX_TEXT = 500
MAX_WORDING = 4000
MAX_OFFENCES = 100
# Rooms 50 and above are the court's dummy rooms (lists of work, not sittings).
FIRST_DUMMY_ROOM = 50
AFTERNOON_FROM = time(12, 0)
ADULT_AGE = 18

TITLES = frozenset(
    {"mr", "mrs", "miss", "ms", "mx", "dr", "master", "sir", "dame", "lady", "lord", "rev",
     "revd", "prof", "capt", "sgt", "cllr"}
)  # fmt: skip

_COURT_CODE = re.compile(r"^[A-Z0-9]{5}$")
_DIGITS = re.compile(r"^[0-9]+$")
# A two-digit PNC year from 50 is 19YY, below it 20YY.
PNC_CENTURY_PIVOT = 50
_ROOM_WORDS = re.compile(r"^(court\s*room|courtroom|court|room)\s*", re.IGNORECASE)
_SEPARATORS = re.compile(r"([\s'\-]+)")


class ListValueError(ValueError):
    """A value of a court list entry cannot be used; the message says which and why."""


def clean_text(value: object, what: str, limit: int = MAX_TEXT) -> str:
    """VALUE as one line of text without control characters, at most LIMIT long."""
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise ListValueError(f"{what} is not text")
    text = "".join(" " if unicodedata.category(char)[0] in "CZ" else char for char in str(value))
    text = " ".join(text.split())
    if len(text) > limit:
        raise ListValueError(f"{what} is longer than {limit} characters")
    return text


def source_id(value: object, what: str) -> str:
    """A source's own id (a case, hearing or defendant id): present, short, printable."""
    text = clean_text(value, what, MAX_ID)
    if not text:
        raise ListValueError(f"{what} is missing")
    return text


def court_code(value: object) -> str:
    """The court's code: the first five characters of an OU code, upper case."""
    text = clean_text(value, "the court code", MAX_ID).upper()[:5]
    if not _COURT_CODE.match(text):
        raise ListValueError(f"the court code {text!r} is not five letters and digits")
    return text


def is_number(text: str) -> bool:
    """Whether TEXT is digits 0-9 only ('²' and other Unicode digits are not numbers here)."""
    return bool(text) and text.isascii() and text.isdigit()


def normal_room(value: object) -> str:
    """A court room as people say it: 'Courtroom 05' and '05' are both '5'."""
    text = _ROOM_WORDS.sub("", clean_text(value, "the court room", MAX_NAME)).strip()
    if is_number(text):
        return str(int(text))
    return text.lstrip("0") or ("0" if text else "")


def is_dummy_room(room: str) -> bool:
    """Whether ROOM is one of the court's dummy rooms (50 and above)."""
    return is_number(room) and int(room) >= FIRST_DUMMY_ROOM


def canonical_pnc(value: object) -> str | None:
    """A PNC number as YYYY/NNNNNNNL (serial seven digits, check letter upper case), from
    any of the ways lists write it ('20030011985X', '2003/11985x', '03/0011985X'); None when
    VALUE is empty or not a PNC number."""
    text = clean_text(value, "the PNC number", MAX_ID).upper().replace(" ", "")
    if len(text) < 3 or not text[-1].isalpha() or not text[-1].isascii():
        return None
    body, letter = text[:-1], text[-1]
    if "/" in body:
        year, _, serial = body.partition("/")
        serial = serial.lstrip("0") or "0"
    elif len(body) in (9, 11):
        # Without the slash only a full seven-digit serial says where the year ends.
        year, serial = body[:-7], body[-7:]
    else:
        return None
    if not (_DIGITS.match(year) and len(year) in (2, 4)):
        return None
    if not (_DIGITS.match(serial) and len(serial.lstrip("0") or "0") <= 7):
        return None
    if len(year) == 2:
        year = ("19" if int(year) >= PNC_CENTURY_PIVOT else "20") + year
    return f"{year}/{serial[-7:].zfill(7)}{letter}"


def _word_case(word: str) -> str:
    if word.isupper() or word.islower():
        return word[:1].upper() + word[1:].lower()
    return word  # McDonald, DeSouza: already as the person writes it


def person_case(text: str) -> str:
    """A name in normal case: 'LINCOLN' is 'Lincoln', "O'BRIEN-SMITH" is "O'Brien-Smith";
    a name already in mixed case is left as it is."""
    return "".join(
        part if _SEPARATORS.fullmatch(part) else _word_case(part)
        for part in _SEPARATORS.split(text)
    )


def split_listed_name(text: str) -> tuple[str, str]:
    """Forenames and surname from a list's one-line name, 'MR Abraham LINCOLN': the title
    dropped, the surname the words in capitals at the end (else the last word)."""
    words = text.split()
    if words and words[0].lower().rstrip(".") in TITLES and len(words) > 1:
        words = words[1:]
    if not words:
        return "", ""
    tail = len(words)
    while tail > 0 and words[tail - 1].isupper() and any(c.isalpha() for c in words[tail - 1]):
        tail -= 1
    if tail == 0 or tail == len(words):
        tail = len(words) - 1  # all in capitals, or none: the surname is the last word
    return " ".join(words[:tail]), " ".join(words[tail:])


@dataclass(frozen=True)
class ListedOffence:
    """One offence as the list gives it: a CJS offence code (not a Home Office code)."""

    code: str
    title: str
    wording: str


def listed_offence(code: object, title: object, wording: object) -> ListedOffence:
    """An offence from a list, bounded."""
    return ListedOffence(
        code=clean_text(code, "an offence code", MAX_ID).upper(),
        title=clean_text(title, "an offence title", MAX_TEXT),
        wording=clean_text(wording, "an offence's wording", MAX_WORDING),
    )


@dataclass(frozen=True)
class ListedDefendant:
    """One defendant listed on one day in one court room, keyed by the source's own ids."""

    key: str
    source: Source
    court_code: str
    court: str
    room: str
    hearing_date: date
    start_time: time
    listing: str
    surname: str
    forenames: str
    kind: Kind
    youth: bool
    date_of_birth: date | None = None
    pnc: str | None = None
    cro: str | None = None
    gender: str | None = None
    offences: tuple[ListedOffence, ...] = ()

    @property
    def session(self) -> Session:
        """'morning' before 12:00, else 'afternoon'."""
        return "morning" if self.start_time < AFTERNOON_FROM else "afternoon"

    @property
    def name(self) -> str:
        """The name as a person writes it: forenames then surname, no title."""
        return " ".join(part for part in (self.forenames, self.surname) if part)

    @property
    def probation_case(self) -> bool:
        """Whether the entry may become a probation case: never a youth or organisation."""
        return self.kind == "person" and not self.youth

    def to_json(self) -> dict[str, Any]:
        """The entry as stored: every field, dates and times in ISO."""
        return {
            "key": self.key,
            "source": self.source,
            "court_code": self.court_code,
            "court": self.court,
            "room": self.room,
            "hearing_date": self.hearing_date.isoformat(),
            "start_time": self.start_time.strftime("%H:%M"),
            "listing": self.listing,
            "surname": self.surname,
            "forenames": self.forenames,
            "kind": self.kind,
            "youth": self.youth,
            "date_of_birth": self.date_of_birth.isoformat() if self.date_of_birth else None,
            "pnc": self.pnc,
            "cro": self.cro,
            "gender": self.gender,
            "offences": [offence.__dict__ for offence in self.offences],
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ListedDefendant:
        """An entry as `to_json` wrote it."""
        born = data.get("date_of_birth")
        return cls(
            key=data["key"],
            source=data["source"],
            court_code=data["court_code"],
            court=data["court"],
            room=data["room"],
            hearing_date=date.fromisoformat(data["hearing_date"]),
            start_time=time.fromisoformat(data["start_time"]),
            listing=data["listing"],
            surname=data["surname"],
            forenames=data["forenames"],
            kind=data["kind"],
            youth=bool(data["youth"]),
            date_of_birth=date.fromisoformat(born) if born else None,
            pnc=data.get("pnc"),
            cro=data.get("cro"),
            gender=data.get("gender"),
            offences=tuple(ListedOffence(**offence) for offence in data.get("offences", [])),
        )


def age_on(born: date, day: date) -> int:
    """Age in whole years on DAY of someone born on BORN."""
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def is_youth(born: date | None, day: date, age: int | None = None) -> bool:
    """Whether a defendant is under 18 on the day they are listed (by date of birth, else
    by the age the list gives)."""
    if born is not None:
        return age_on(born, day) < ADULT_AGE
    return age is not None and age < ADULT_AGE


def local_time(moment: datetime) -> tuple[date, time]:
    """A UTC sitting time as the day and time in England and Wales: 09:00Z in June is 10:00."""
    local = to_local(moment)
    return local.date(), local.time().replace(second=0, microsecond=0, tzinfo=None)


def ordinal(number: int) -> str:
    """1st, 2nd, 3rd, 4th, 11th, 21st: how lists say how many times a case was listed."""
    if 10 <= number % 100 <= 20:
        return f"{number}th"
    return f"{number}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(number % 10, 'th') }"


def gender_of(value: object) -> str | None:
    """The case form's gender from a list's M/F or MALE/FEMALE; None when neither."""
    text = clean_text(value, "the gender", MAX_ID).lower()
    return {"m": "male", "male": "male", "f": "female", "female": "female"}.get(text)


def sort_key(entry: ListedDefendant) -> tuple[Any, ...]:
    """The list's order: by room (numbers as numbers), session time, then surname."""
    room = (0, int(entry.room), "") if is_number(entry.room) else (1, 0, entry.room.lower())
    return (entry.hearing_date, entry.court_code, room, entry.start_time, entry.surname.lower(),
            entry.forenames.lower(), entry.key)  # fmt: skip


# -- matching ---------------------------------------------------------------------------


@dataclass(frozen=True)
class MatchCandidate:
    """What matching needs of a case already in the store."""

    case_id: str
    name: str
    pnc: str | None
    date_of_birth: date | None

    @property
    def surname(self) -> str:
        """The last word of the case's name, for comparing."""
        words = self.name.split()
        return words[-1] if words else ""

    @property
    def forenames(self) -> str:
        """Every word of the case's name but the last."""
        return " ".join(self.name.split()[:-1])


@dataclass(frozen=True)
class Match:
    """How a listed defendant matches the store: exact (one case), possible, or none."""

    kind: MatchKind
    case_ids: tuple[str, ...] = ()
    reason: str = ""

    @property
    def case_id(self) -> str | None:
        """The matched case when the match is exact."""
        return self.case_ids[0] if self.kind == "exact" and self.case_ids else None


NO_MATCH = Match("none")


def _same(left: str, right: str) -> bool:
    return bool(left) and " ".join(left.casefold().split()) == " ".join(right.casefold().split())


def lenient_dates(born: date) -> set[date]:
    """Dates of birth a list or a record may have got slightly wrong: day and month
    swapped, the same day in another month, one day either side."""
    near: set[date] = {born - timedelta(days=1), born + timedelta(days=1)}
    with contextlib.suppress(ValueError):
        near.add(born.replace(day=born.month, month=born.day))
    for month in range(1, 13):
        try:
            near.add(born.replace(month=month))
        except ValueError:
            continue
    near.discard(born)
    return near


def _folded(text: str) -> str:
    return " ".join(text.casefold().split())


class Candidates:
    """The cases to match against, looked up by canonical PNC and by surname, so matching a
    list of a thousand against thousands of cases compares only the cases that could hit."""

    def __init__(self, candidates: Iterable[MatchCandidate]) -> None:
        self.by_pnc: dict[str, list[MatchCandidate]] = {}
        self.by_surname: dict[str, list[MatchCandidate]] = {}
        self.by_id: dict[str, MatchCandidate] = {}
        for candidate in candidates:
            self.by_id[candidate.case_id] = candidate
            pnc = canonical_pnc(candidate.pnc or "")
            if pnc is not None:
                self.by_pnc.setdefault(pnc, []).append(candidate)
            surname = _folded(candidate.surname)
            if surname:
                self.by_surname.setdefault(surname, []).append(candidate)

    def near(self, entry: ListedDefendant) -> list[MatchCandidate]:
        """The cases sharing ENTRY's PNC or surname: every step of matching needs one."""
        found = list(self.by_pnc.get(entry.pnc, [])) if entry.pnc else []
        for candidate in self.by_surname.get(_folded(entry.surname), []):
            if candidate not in found:
                found.append(candidate)
        return found


def match_defendant(
    entry: ListedDefendant,
    candidates: Sequence[MatchCandidate] | Candidates,
    *,
    rejected: Iterable[str] = (),
) -> Match:
    """ENTRY against the cases CANDIDATES, in court-lists.md's order, stopping at the first
    step with a hit: all details; PNC with surname or date of birth; full name and date of
    birth; surname and date of birth; then a lenient date of birth. One hit at a strict
    step is exact; more, or any lenient hit, is possible. Youth defendants and
    organisations are never matched; cases the officer REJECTED are left out."""
    if not entry.probation_case:
        return NO_MATCH
    refused = set(rejected)
    near = (candidates if isinstance(candidates, Candidates) else Candidates(candidates)).near(
        entry
    )
    pool = [candidate for candidate in near if candidate.case_id not in refused]
    born = entry.date_of_birth

    def has_pnc(candidate: MatchCandidate) -> bool:
        return entry.pnc is not None and canonical_pnc(candidate.pnc or "") == entry.pnc

    def has_surname(candidate: MatchCandidate) -> bool:
        return _same(entry.surname, candidate.surname)

    def has_names(candidate: MatchCandidate) -> bool:
        return has_surname(candidate) and _same(entry.forenames, candidate.forenames)

    def has_born(candidate: MatchCandidate) -> bool:
        return born is not None and candidate.date_of_birth == born

    steps: tuple[tuple[str, Callable[[MatchCandidate], bool]], ...] = (
        ("all details", lambda c: has_pnc(c) and has_names(c) and has_born(c)),
        ("PNC and surname or date of birth",
         lambda c: has_pnc(c) and (has_surname(c) or has_born(c))),
        ("name and date of birth", lambda c: has_names(c) and has_born(c)),
        ("surname and date of birth", lambda c: has_surname(c) and has_born(c)),
    )  # fmt: skip
    for reason, test in steps:
        hits = tuple(candidate.case_id for candidate in pool if test(candidate))
        if hits:
            return Match("exact" if len(hits) == 1 else "possible", hits, reason)
    if born is not None:
        close = lenient_dates(born)
        hits = tuple(
            candidate.case_id
            for candidate in pool
            if has_surname(candidate) and candidate.date_of_birth in close
        )
        if hits:
            return Match("possible", hits, "surname, and a date of birth close to the list's")
    return NO_MATCH


@dataclass(frozen=True)
class ListedEntry:
    """A stored entry with what the officer decided: the case linked (matched, confirmed or
    started) and the cases rejected as not this person."""

    defendant: ListedDefendant
    case_id: str | None = None
    rejected: tuple[str, ...] = ()

    def match(self, candidates: Sequence[MatchCandidate] | Candidates) -> Match:
        """The entry's match: its linked case, else a fresh match against CANDIDATES."""
        if self.case_id is not None:
            return Match("exact", (self.case_id,), "linked")
        return match_defendant(self.defendant, candidates, rejected=self.rejected)

    def shown(self, candidates: Sequence[MatchCandidate] | Candidates) -> dict[str, Any]:
        """The entry as `court-tui list show --json` gives it, exactly its fields."""
        entry = self.defendant
        found = self.match(candidates)
        return {
            "source": entry.source,
            "court_code": entry.court_code,
            "court": entry.court,
            "room": entry.room,
            "date": entry.hearing_date.isoformat(),
            "session": entry.session,
            "start_time": entry.start_time.strftime("%H:%M"),
            "listing": entry.listing,
            "name": entry.name,
            "surname": entry.surname,
            "forenames": entry.forenames,
            "date_of_birth": entry.date_of_birth.isoformat() if entry.date_of_birth else None,
            "pnc": entry.pnc,
            "cro": entry.cro,
            "kind": entry.kind,
            "youth": entry.youth,
            "offences": [offence.__dict__ for offence in entry.offences],
            "match": found.kind,
            "case_id": found.case_id,
        }


def case_answers(entry: ListedDefendant) -> dict[str, AnswerValue]:
    """The case form's answers a listed defendant gives: name, date of birth, gender, PNC,
    court, room, hearing date and the offences (titles; the list's CJS codes stay in the
    text, never in the Home Office code)."""
    answers: dict[str, AnswerValue] = {
        Case.NAME: entry.name,
        Case.COURT: entry.court or entry.court_code,
        Case.HEARING_DATE: entry.hearing_date.isoformat(),
    }
    if entry.room:
        answers[Case.COURTROOM] = entry.room
    if entry.date_of_birth is not None:
        answers[Case.DATE_OF_BIRTH] = entry.date_of_birth.isoformat()
    if entry.gender is not None:
        answers[Case.GENDER] = entry.gender
    if entry.pnc is not None:
        answers[Case.PNC] = entry.pnc
    if entry.offences:
        answers[Case.MAIN_OFFENCE] = entry.offences[0].title or entry.offences[0].code
        others = [_offence_line(offence) for offence in entry.offences[1:]]
        if others:
            answers[Case.OTHER_OFFENCES] = "\n".join(others)
    return answers


def _offence_line(offence: ListedOffence) -> str:
    code = f" (CJS {offence.code})" if offence.code else ""
    return f"{offence.title}{code}"


def offence_search_text(answers: Mapping[str, AnswerValue]) -> str:
    """What the offence code search starts from: the main offence's words (the list's
    offence title, for a case started from the list) while no code is given."""
    code, offence = answers.get(Case.MAIN_OFFENCE_CODE), answers.get(Case.MAIN_OFFENCE)
    if isinstance(code, str) and code.strip():
        return ""
    return offence.strip() if isinstance(offence, str) else ""


@dataclass
class ParsedList:
    """What reading one court list file gave: the entries, what was set aside and why, and
    how many dummy-room entries were left out."""

    source: Source
    entries: list[ListedDefendant] = field(default_factory=list)
    set_aside: list[str] = field(default_factory=list)
    dummy_left_out: int = 0

    def add(self, entry: ListedDefendant) -> None:
        """Keep ENTRY (a later one with the same key, listed twice in a file, wins)."""
        self.entries.append(entry)

    def unique(self) -> list[ListedDefendant]:
        """The entries, one per key (the last given), in the list's order."""
        by_key = {entry.key: entry for entry in self.entries}
        return sorted(by_key.values(), key=sort_key)


def with_case(entry: ListedEntry, case_id: str) -> ListedEntry:
    """ENTRY linked to CASE_ID."""
    return replace(entry, case_id=case_id)
