"""Court list files for tests, written from court-lists.md's description of the formats
(our own fixtures: no file from HMCTS or the MoJ's repositories).

`libra_message` writes a Libra SOAP message from plain dicts; `cp_hearing` a Common
Platform hearing. Each element is optional so a test can leave one out, and `reverse`
writes every element's children in the opposite order to the schema's.
"""

from __future__ import annotations

import json
from typing import Any
from xml.sax.saxutils import escape

SOAP = "http://www.w3.org/2003/05/soap-envelope"
LIBRA_NS = "http://www.justice.gov.uk/magistrates/external/ExternalDocumentRequest"


def _element(name: str, value: Any, reverse: bool) -> str:
    if value is None:
        return ""
    if isinstance(value, dict):
        items = list(value.items())
        if reverse:
            items.reverse()
        inner = "".join(_element(key, item, reverse) for key, item in items)
        return f"<{name}>{inner}</{name}>"
    if isinstance(value, list):
        return "".join(_element(name, item, reverse) for item in value)
    return f"<{name}>{escape(str(value))}</{name}>"


def libra_case(
    c_id: str,
    name: str = "MR Abraham LINCOLN",
    *,
    dob: str | None = "12/02/1980",
    pnc: str | None = "20030011985X",
    sex: str = "M",
    def_type: str = "P",
    caseno: str | None = None,
    listno: str = "1st",
    seq: int = 1,
    offences: list[tuple[str, str, str]] | None = None,
    name_elements: dict[str, str] | None = None,
    age: int | None = None,
) -> dict[str, Any]:
    """One Libra case (one defendant)."""
    offences = offences if offences is not None else [
        ("TH68010", "Theft from a shop", "Stole food to the value of 20 pounds")
    ]  # fmt: skip
    return {
        "c_id": c_id,
        "h_id": f"H{c_id}",
        "caseno": caseno or f"CASE{c_id}",
        "type": "C",
        "def_name": name,
        "def_name_elements": name_elements,
        "def_type": def_type,
        "def_sex": sex,
        "def_dob": dob,
        "def_age": age,
        "pnc_id": pnc,
        "cro_number": "11111/79J" if def_type == "P" else None,
        "def_addr": {"line1": "1 High Street", "line2": "Leeds", "pcode": "LS1 1AA"},
        "cseq": seq,
        "listno": listno,
        "offences": {
            "offence": [
                {"oseq": index, "code": code, "title": title, "sum": wording, "as": "Theft Act"}
                for index, (code, title, wording) in enumerate(offences, start=1)
            ]
        },
    }


def libra_session(
    cases: list[dict[str, Any]],
    *,
    ou_code: str | None = "B10JQ01",
    room: str | None = "01",
    doh: str = "02/03/2026",
    court: str = "Leeds Magistrates' Court",
    sstart: str = "09:30",
) -> dict[str, Any]:
    """One session of a Libra list: its cases in one block."""
    return {
        "ou_code": ou_code,
        "doh": doh,
        "court": court,
        "room": room,
        "sstart": sstart,
        "send": "12:30",
        "blocks": {"block": [{"bstart": sstart, "cases": {"case": cases}}]},
    }


def libra_document(
    sessions: list[dict[str, Any]],
    file_name: str = "5_02032026_2992_B10JQ01_ADULT_COURT_LIST_DAILY",
) -> dict[str, Any]:
    """One document: one court room and date."""
    return {
        "info": {"source_file_name": file_name},
        "data": {"job": {"printdate": "01/03/2026", "sessions": {"session": sessions}}},
    }


def libra_message(documents: list[dict[str, Any]], *, reverse: bool = False) -> bytes:
    """A Libra SOAP message holding DOCUMENTS."""
    inner = _element("documents", {"document": documents}, reverse)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<soap:Envelope xmlns:soap="{SOAP}"><soap:Body>'
        f'<ns2:ExternalDocumentRequest xmlns:ns2="{LIBRA_NS}">'
        f"{inner}"
        "</ns2:ExternalDocumentRequest></soap:Body></soap:Envelope>"
    ).encode()


def cp_defendant(
    defendant_id: str,
    *,
    first: str = "Jane",
    last: str = "DOE",
    title: str = "MS",
    dob: str | None = "1982-06-29",
    pnc: str | None = "2004/0046583U",
    youth: bool = False,
    organisation: str | None = None,
    offences: list[tuple[str, str, int]] | None = None,
) -> dict[str, Any]:
    """One Common Platform defendant (a person, or an organisation when ORGANISATION)."""
    offences = offences if offences is not None else [("TH68010", "Theft from a shop", 1)]
    defendant: dict[str, Any] = {
        "id": defendant_id,
        "pncId": pnc,
        "croNumber": None,
        "isYouth": youth,
        "offences": [
            {"id": f"{defendant_id}-{n}", "offenceCode": code, "offenceTitle": title,
             "wording": f"{title}, as charged", "offenceLegislation": "Theft Act 1968 s.1",
             "listingNumber": listing}
            for n, (code, title, listing) in enumerate(offences)
        ],
    }  # fmt: skip
    if organisation is not None:
        defendant["legalEntityDefendant"] = {"organisation": {"name": organisation}}
    else:
        defendant["personDefendant"] = {
            "personDetails": {
                "title": title,
                "firstName": first,
                "lastName": last,
                "dateOfBirth": dob,
                "gender": "FEMALE",
                "address": {"address1": "2 Low Road", "postcode": "LS2 2BB"},
            }
        }
    return defendant


def cp_hearing(
    hearing_id: str,
    cases: list[tuple[str, list[dict[str, Any]]]],
    *,
    sitting_days: list[str] | None = None,
    room: str = "Courtroom 05",
    code: str = "B10JQ00",
) -> bytes:
    """A Common Platform hearing: CASES as (case id, defendants)."""
    days = sitting_days or ["2026-03-02T09:00:00.000Z"]
    hearing = {
        "hearing": {
            "id": hearing_id,
            "jurisdictionType": "MAGISTRATES",
            "type": {"description": "Sentence"},
            "courtCentre": {"id": "c1", "code": code, "name": "Leeds Magistrates' Court",
                            "roomName": room, "address": {"address1": "Westgate"}},
            "hearingDays": [{"sittingDay": day, "listingSequence": 1} for day in days],
            "prosecutionCases": [
                {"id": case_id, "prosecutionCaseIdentifier": {"caseURN": f"URN{case_id}"},
                 "defendants": defendants}
                for case_id, defendants in cases
            ],
        }
    }  # fmt: skip
    return json.dumps(hearing, indent=1).encode()


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<Envelope><Body><documents><document><data><job><sessions><session>
<doh>02/03/2026</doh><ou_code>B10JQ01</ou_code><court>&lol9;</court>
</session></sessions></job></data></document></documents></Body></Envelope>
"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<Envelope><Body><documents><document><data><job><sessions><session>
<doh>02/03/2026</doh><ou_code>B10JQ01</ou_code><court>&xxe;</court>
</session></sessions></job></data></document></documents></Body></Envelope>
"""
