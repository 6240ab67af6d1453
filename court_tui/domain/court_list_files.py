"""Reading a court list file: a Libra daily list (SOAP XML) or a Common Platform hearing
(JSON), told apart by content.

A file that cannot be read at all (not XML or JSON, truncated, declaring entities) is
refused whole, so nothing of it is half-imported. Inside a readable file, one entry that
cannot be used is set aside with the reason, and never stops the rest. XML goes through
defusedxml with DTDs, entity declarations and external references all refused.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from datetime import UTC, date, datetime, time
from typing import Any
from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree as safe_xml
from defusedxml import DefusedXmlException

from court_tui.domain.court_list import (
    MAX_NAME,
    MAX_OFFENCES,
    Kind,
    ListedDefendant,
    ListedOffence,
    ListValueError,
    ParsedList,
    canonical_pnc,
    clean_text,
    court_code,
    gender_of,
    is_dummy_room,
    is_number,
    is_youth,
    listed_offence,
    local_time,
    normal_room,
    ordinal,
    person_case,
    source_id,
    split_listed_name,
)

# A day's list for a big court is a few megabytes; anything far larger is not a list.
MAX_FILE_BYTES = 64 * 1024 * 1024

_OU_IN_FILE_NAME = re.compile(r"(?:^|_)([A-Z]\d{2}[A-Z]{2}\d{2})(?:_|$)")
_UK_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_HOURS = re.compile(r"^(\d{1,2}):(\d{2})(?::\d{2})?$")


class CourtListFileError(ValueError):
    """A file that cannot be used as a court list, with the reason in plain words."""


def read_court_list(data: bytes) -> ParsedList:
    """The entries of a Libra or Common Platform list in DATA; raises CourtListFileError
    when the file as a whole cannot be used."""
    if len(data) > MAX_FILE_BYTES:
        raise CourtListFileError(
            f"it is {len(data) // (1024 * 1024)} MB, more than any court list "
            f"({MAX_FILE_BYTES // (1024 * 1024)} MB at most)"
        )
    text = data.lstrip(b"\xef\xbb\xbf \t\r\n")
    if text.startswith(b"<"):
        return read_libra(data)
    if text.startswith((b"{", b"[")):
        return read_common_platform(data)
    raise CourtListFileError(
        "neither a Libra court list (XML) nor a Common Platform hearing (JSON)"
    )


# -- Libra -------------------------------------------------------------------------------


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _child(element: Element, name: str) -> Element | None:
    for child in element:
        if _local(child.tag) == name:
            return child
    return None


def _children(element: Element, name: str) -> Iterator[Element]:
    return (child for child in element.iter() if _local(child.tag) == name)


def _text(element: Element | None, name: str) -> str:
    found = _child(element, name) if element is not None else None
    if found is None:
        return ""
    return "".join(found.itertext()).strip()


def _parse_xml(data: bytes) -> Element:
    try:
        root: Element = safe_xml.fromstring(data, forbid_dtd=True)
    except DefusedXmlException:
        raise CourtListFileError(
            "it declares a DTD or entities, which a court list never does (refused, as it "
            "could expand without end or read other files)"
        ) from None
    except ParseError as error:
        if "junk after document element" in str(error):
            return _parse_several(data)
        raise CourtListFileError(_xml_problem(error)) from None
    return root


def _xml_problem(error: ParseError) -> str:
    message = str(error).split(":", 1)[0]
    line, column = getattr(error, "position", (0, 0))
    if "no element found" in message or "unclosed token" in message:
        return f"the XML stops part way (line {line}): the file is cut short"
    return f"it is not well-formed XML ({message} at line {line}, column {column})"


def _parse_several(data: bytes) -> Element:
    """Several messages one after another in one file: read as children of one root."""
    body = re.sub(rb"<\?xml[^>]*\?>", b"", data)
    try:
        root: Element = safe_xml.fromstring(
            b"<court-tui-lists>" + body + b"</court-tui-lists>", forbid_dtd=True
        )
    except DefusedXmlException:
        raise CourtListFileError(
            "it declares a DTD or entities, which a court list never does"
        ) from None
    except ParseError as error:
        raise CourtListFileError(_xml_problem(error)) from None
    return root


def _uk_date(text: str, what: str) -> date:
    found = _UK_DATE.match(text)
    if found is None:
        raise ListValueError(f"{what} {text!r} is not a date like 26/10/2020")
    day, month, year = (int(part) for part in found.groups())
    try:
        return date(year, month, day)
    except ValueError:
        raise ListValueError(f"{what} {text!r} is not a real day") from None


def _hours(text: str, what: str) -> time:
    found = _HOURS.match(text)
    if found is None:
        raise ListValueError(f"{what} {text!r} is not a time like 09:30")
    hour, minute = int(found.group(1)), int(found.group(2))
    if hour > 23 or minute > 59:
        raise ListValueError(f"{what} {text!r} is not a time of day")
    return time(hour, minute)


def read_libra(data: bytes) -> ParsedList:
    """The entries of a Libra daily court list: one or many documents, one or many
    messages, elements found by name wherever the document puts them."""
    root = _parse_xml(data)
    parsed = ParsedList("libra")
    documents = list(_children(root, "document"))
    if not documents:
        raise CourtListFileError("it is XML but not a Libra court list (no document in it)")
    for number, document in enumerate(documents, start=1):
        info = _child(document, "info")
        file_name = _text(info, "source_file_name")
        for session in _children(document, "session"):
            _read_session(parsed, session, file_name, f"document {number}")
    return parsed


def _read_session(parsed: ParsedList, session: Element, file_name: str, where: str) -> None:
    cases = list(_children(session, "case"))
    try:
        ou_code = _text(session, "ou_code") or _ou_from_file_name(file_name)
        code = court_code(ou_code)
        room = normal_room(_text(session, "room") or ou_code[5:7])
        day = _uk_date(_text(session, "doh"), "the date of hearing")
        start = _hours(_text(session, "sstart") or "00:00", "the session's start")
        court = clean_text(_text(session, "court"), "the court's name", MAX_NAME)
    except ListValueError as error:
        if cases:
            parsed.set_aside.append(
                f"{where}: a session with {len(cases)} listed set aside: {error}"
            )
        return
    if is_dummy_room(room):
        parsed.dummy_left_out += len(cases)
        return
    for case in cases:
        label = f"{where}, room {room}, case {_text(case, 'caseno') or _text(case, 'c_id')}"
        try:
            parsed.add(_libra_entry(case, code, court, room, day, start))
        except ListValueError as error:
            parsed.set_aside.append(f"{label} ({_text(case, 'def_name')[:60]}): {error}")


def _ou_from_file_name(file_name: str) -> str:
    found = _OU_IN_FILE_NAME.search(file_name.upper())
    if found is None:
        raise ListValueError("the session has no ou_code and its file name gives no court")
    return found.group(1)


def _libra_entry(
    case: Element, code: str, court: str, room: str, day: date, start: time
) -> ListedDefendant:
    case_id = source_id(_text(case, "c_id"), "the case id (c_id)")
    hearing_id = clean_text(_text(case, "h_id"), "the hearing id (h_id)", 100)
    kind: Kind = "organisation" if _text(case, "def_type").upper() == "O" else "person"
    forenames, surname = _libra_name(case, kind)
    if not surname:
        raise ListValueError("the defendant has no name")
    born_text = _text(case, "def_dob") if kind == "person" else ""
    born = _uk_date(born_text, "the date of birth") if born_text else None
    age_text = _text(case, "def_age")
    age = int(age_text) if is_number(age_text) and len(age_text) <= 3 else None
    offences = [
        listed_offence(_text(offence, "code"), _text(offence, "title"), _text(offence, "sum"))
        for offence in sorted(_children(case, "offence"), key=_offence_order)
    ]
    if len(offences) > MAX_OFFENCES:
        raise ListValueError(f"it lists more than {MAX_OFFENCES} offences")
    return ListedDefendant(
        key=f"libra:{hearing_id or day.isoformat()}:{case_id}",
        source="libra",
        court_code=code,
        court=court,
        room=room,
        hearing_date=day,
        start_time=start,
        listing=clean_text(_text(case, "listno"), "the listing", 20),
        surname=surname,
        forenames=forenames,
        kind=kind,
        youth=kind == "person" and is_youth(born, day, age),
        date_of_birth=born,
        pnc=canonical_pnc(_text(case, "pnc_id")),
        cro=clean_text(_text(case, "cro_number"), "the CRO number", 100) or None,
        gender=gender_of(_text(case, "def_sex")) if kind == "person" else None,
        offences=tuple(offences),
    )


def _offence_order(offence: Element) -> int:
    sequence = _text(offence, "oseq")
    return int(sequence) if is_number(sequence) and len(sequence) < 6 else 0


def _libra_name(case: Element, kind: str) -> tuple[str, str]:
    listed = clean_text(_text(case, "def_name"), "the defendant's name", MAX_NAME)
    if kind == "organisation":
        return "", listed
    elements = _child(case, "def_name_elements")
    if elements is not None and _text(elements, "surname"):
        forenames = " ".join(
            clean_text(_text(elements, f"forename{n}"), "a forename", MAX_NAME) for n in (1, 2, 3)
        ).split()
        surname = clean_text(_text(elements, "surname"), "the surname", MAX_NAME)
        return person_case(" ".join(forenames)), person_case(surname)
    forenames_text, surname = split_listed_name(listed)
    return person_case(forenames_text), person_case(surname)


# -- Common Platform ---------------------------------------------------------------------


def read_common_platform(data: bytes) -> ParsedList:
    """The entries of Common Platform hearings: one JSON hearing, or an array of them."""
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise CourtListFileError("it is not UTF-8 text") from None
    except json.JSONDecodeError as error:
        if _json_cut_short(error.doc):
            raise CourtListFileError("the JSON stops part way: the file is cut short") from None
        raise CourtListFileError(
            f"it is not valid JSON ({error.msg} at line {error.lineno})"
        ) from None
    except RecursionError:
        raise CourtListFileError("its JSON is nested deeper than any hearing") from None
    hearings = document if isinstance(document, list) else [document]
    parsed = ParsedList("common_platform")
    readable = 0
    for number, item in enumerate(hearings, start=1):
        hearing = item.get("hearing") if isinstance(item, dict) else None
        if not isinstance(hearing, dict):
            parsed.set_aside.append(f"item {number}: not a Common Platform hearing")
            continue
        readable += 1
        _read_hearing(parsed, hearing, f"hearing {number}")
    if not readable:
        raise CourtListFileError('it is JSON but not a Common Platform hearing (no "hearing")')
    return parsed


def _json_cut_short(text: str) -> bool:
    """Whether TEXT ends inside a string or with brackets left open: a file cut short."""
    depth, in_string, escaped = 0, False, False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
        elif char in "]}":
            depth -= 1
    return in_string or depth > 0


def _mapping(value: object) -> Mapping[str, Any]:
    return value if isinstance(value, dict) else {}


def _items(value: object, what: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise ListValueError(f"{what} is not a list")
    return value


def _sitting(value: object) -> tuple[date, time]:
    text = clean_text(value, "the sitting day", 40)
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise ListValueError(f"the sitting day {text!r} is not a date and time") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)  # the Common Platform's times are UTC
    try:
        return local_time(moment)
    except OverflowError:
        raise ListValueError(f"the sitting day {text!r} is not a day a court sits") from None


def _read_hearing(parsed: ParsedList, hearing: Mapping[str, Any], where: str) -> None:
    try:
        hearing_id = source_id(hearing.get("id"), "the hearing id")
        centre = _mapping(hearing.get("courtCentre"))
        code = court_code(centre.get("code"))
        court = clean_text(centre.get("name"), "the court's name", MAX_NAME)
        room = normal_room(centre.get("roomName"))
        days = [_sitting(_mapping(day).get("sittingDay")) for day in
                _items(hearing.get("hearingDays"), "hearingDays")]  # fmt: skip
        cases = _items(hearing.get("prosecutionCases"), "prosecutionCases")
    except ListValueError as error:
        parsed.set_aside.append(f"{where}: set aside whole: {error}")
        return
    if not days:
        parsed.set_aside.append(f"{where} ({hearing_id}): set aside whole: it has no sitting day")
        return
    defendants = [
        (case, defendant)
        for case in cases
        for defendant in _items(_mapping(case).get("defendants"), "defendants")
    ]
    if is_dummy_room(room):
        parsed.dummy_left_out += len(defendants) * len(days)
        return
    for case, defendant in defendants:
        for day, start in days:
            try:
                parsed.add(_cp_entry(hearing_id, case, defendant, code, court, room, day, start))
            except ListValueError as error:
                person = _mapping(_mapping(defendant).get("personDefendant"))
                details = _mapping(person.get("personDetails"))
                who = clean_text(str(details.get("lastName") or "")[:60], "name", 60)
                parsed.set_aside.append(f"{where}, room {room}, defendant {who}: {error}")


def _cp_entry(
    hearing_id: str,
    case: Any,
    defendant: Any,
    code: str,
    court: str,
    room: str,
    day: date,
    start: time,
) -> ListedDefendant:
    if not isinstance(case, dict) or not isinstance(defendant, dict):
        raise ListValueError("not a case and defendant")
    case_id = source_id(case.get("id"), "the prosecution case id")
    defendant_id = source_id(defendant.get("id"), "the defendant id")
    person = _mapping(_mapping(defendant.get("personDefendant")).get("personDetails"))
    organisation = _mapping(_mapping(defendant.get("legalEntityDefendant")).get("organisation"))
    kind: Kind
    if person:
        kind = "person"
        forenames = " ".join(
            clean_text(person.get(part), "a forename", MAX_NAME)
            for part in ("firstName", "middleName")
        ).split()
        surname = person_case(clean_text(person.get("lastName"), "the surname", MAX_NAME))
        forename_text = person_case(" ".join(forenames))
        born_text = clean_text(person.get("dateOfBirth"), "the date of birth", 40)
        born = _iso_date(born_text) if born_text else None
        gender = gender_of(person.get("gender"))
    elif organisation:
        kind = "organisation"
        surname = clean_text(organisation.get("name"), "the organisation's name", MAX_NAME)
        forename_text, born, gender = "", None, None
    else:
        raise ListValueError("the defendant is neither a person nor an organisation")
    if not surname:
        raise ListValueError("the defendant has no name")
    offences_data = _items(defendant.get("offences"), "offences")
    if len(offences_data) > MAX_OFFENCES:
        raise ListValueError(f"it lists more than {MAX_OFFENCES} offences")
    offences: list[ListedOffence] = []
    listings: list[int] = []
    for offence in offences_data:
        offence = _mapping(offence)
        offences.append(
            listed_offence(
                offence.get("offenceCode"), offence.get("offenceTitle"), offence.get("wording")
            )
        )
        number = offence.get("listingNumber")
        if isinstance(number, int) and not isinstance(number, bool) and 0 < number < 1000:
            listings.append(number)
    youth_flag = defendant.get("isYouth")
    return ListedDefendant(
        key=f"cp:{hearing_id}:{case_id}:{defendant_id}:{day.isoformat()}",
        source="common_platform",
        court_code=code,
        court=court,
        room=room,
        hearing_date=day,
        start_time=start,
        listing=ordinal(max(listings)) if listings else "",
        surname=surname,
        forenames=forename_text,
        kind=kind,
        youth=kind == "person" and (youth_flag is True or is_youth(born, day)),
        date_of_birth=born,
        pnc=canonical_pnc(defendant.get("pncId")),
        cro=clean_text(defendant.get("croNumber"), "the CRO number", 100) or None,
        gender=gender,
        offences=tuple(offences),
    )


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        raise ListValueError(f"the date of birth {text!r} is not a date") from None
