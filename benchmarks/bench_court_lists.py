"""Court list rows.

1. Importing a 1,000-defendant Libra daily list (ten rooms, morning and afternoon) into an
   encrypted store that already holds 2,000 cases, a quarter of the listed defendants
   among them: parse, match against every case, save in one audited transaction. Against
   parsing the same file alone (defusedxml, the entries built, nothing saved). Target: at
   most 3x.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from court_tui.domain.case import CaseRecord
from court_tui.domain.court_list_files import read_court_list
from court_tui.store import open_store
from court_tui.store.court_lists import import_files
from court_tui.store.tables import COURT_LIST

PASSPHRASE = "benchmark passphrase"
DEFENDANTS = 1_000
ROOMS = 10
CASES_IN_STORE = 2_000
ROUNDS = 7
SURNAMES = ["REID", "PATEL", "KHAN", "SMITH", "JONES", "EVANS", "HUGHES", "MURPHY", "LEE"]


def _case_xml(n: int) -> str:
    surname = f"{SURNAMES[n % len(SURNAMES)]}{n}"
    return (
        f"<case><c_id>{n}</c_id><h_id>H{n}</h_id><caseno>{n:08d}</caseno><type>C</type>"
        f"<def_name>MR Alex {surname}</def_name><def_type>P</def_type><def_sex>M</def_sex>"
        f"<def_dob>{1 + n % 28:02d}/{1 + n % 12:02d}/{1960 + n % 40}</def_dob>"
        f"<pnc_id>2010{n:07d}A</pnc_id><cro_number>{n}/79J</cro_number>"
        "<def_addr><line1>1 High Street</line1><pcode>LS1 1AA</pcode></def_addr>"
        f"<cseq>{n}</cseq><listno>1st</listno><offences>"
        "<offence><oseq>1</oseq><code>TH68010</code><title>Theft from a shop</title>"
        "<sum>Stole goods to the value of 20 pounds belonging to a shop</sum>"
        "<as>Theft Act 1968 s.1</as></offence>"
        "<offence><oseq>2</oseq><code>CJ88116</code><title>Fail to surrender to bail</title>"
        "<sum>Failed to surrender to custody as appointed</sum><as>Bail Act 1976</as></offence>"
        "</offences></case>"
    )


def big_libra_list() -> bytes:
    """A Libra message of DEFENDANTS defendants over ROOMS rooms, two sessions each."""
    per_session = DEFENDANTS // (ROOMS * 2)
    sessions = []
    n = 0
    for room in range(1, ROOMS + 1):
        for start in ("09:30", "14:00"):
            cases = "".join(_case_xml(n + i) for i in range(per_session))
            n += per_session
            sessions.append(
                f"<session><ou_code>B10JQ{room:02d}</ou_code><doh>02/03/2026</doh>"
                f"<court>Leeds Magistrates' Court</court><room>{room:02d}</room>"
                f"<sstart>{start}</sstart><send>12:30</send>"
                f"<blocks><block><cases>{cases}</cases></block></blocks></session>"
            )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope"><soap:Body>'
        "<ExternalDocumentRequest><documents><document><info><source_file_name>"
        "5_02032026_2992_B10JQ00_ADULT_COURT_LIST_DAILY</source_file_name></info>"
        f"<data><job><sessions>{''.join(sessions)}</sessions></job></data></document>"
        "</documents></ExternalDocumentRequest></soap:Body></soap:Envelope>"
    ).encode()


def _fill_store(store: Any) -> None:
    """CASES_IN_STORE cases; every fourth listed defendant has one (same PNC and name)."""
    for n in range(CASES_IN_STORE):
        listed = n % 4 == 0 and n < DEFENDANTS
        name = f"Alex {SURNAMES[n % len(SURNAMES)].title()}{n}" if listed else f"Sam Other{n}"
        pnc = f"2010/{n:07d}A" if listed else ""
        store.repository.save_case(
            CaseRecord(
                officer="Sam Patel",
                team="Leeds court team",
                answers={"name": name, "pnc": pnc, "hearing_date": "2026-01-05"},
            ),
            actor="benchmark",
        )


def import_thousand_defendants() -> dict[str, Any]:
    """Import (parse, match, save) vs parse alone, for a 1,000-defendant Libra list."""
    data = big_libra_list()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "list.xml"
        path.write_bytes(data)
        store = open_store(Path(folder) / "store.db", PASSPHRASE, create=True)
        try:
            _fill_store(store)
            done = import_files(store.repository, [path], actor="benchmark")  # warm
            assert done.saved is not None and done.saved.new == DEFENDANTS, done.summary()
            assert done.matches["exact"] == DEFENDANTS // 4, done.matches
            subject: list[float] = []
            for _ in range(ROUNDS):
                with store.repository.transaction() as conn:
                    conn.execute(sa.delete(COURT_LIST))  # each round saves every entry anew
                start = time.perf_counter()
                import_files(store.repository, [path], actor="benchmark")
                subject.append(time.perf_counter() - start)
        finally:
            store.close()
    read_court_list(data)
    baseline: list[float] = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        read_court_list(data)
        baseline.append(time.perf_counter() - start)
    return {
        "name": "import a 1,000-defendant Libra list (parse, match, save)",
        "subject_seconds": statistics.median(subject),
        "baseline_seconds": statistics.median(baseline),
        "baseline": "parsing the same file alone",
        "note": (
            f"{len(data):,} bytes, {ROOMS} rooms; {CASES_IN_STORE:,} cases in the store, "
            f"{DEFENDANTS // 4} exact matches; listed on {date(2026, 3, 2)}; target at most 3x"
        ),
    }


ROWS = [import_thousand_defendants]
