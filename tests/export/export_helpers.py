"""Cases and helpers for the export tests: the demo cases and one that takes every branch."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime
from pathlib import Path

from pypdf import PdfReader

from court_tui.domain.case import CaseRecord
from court_tui.domain.casefile import loads
from court_tui.domain.follow_ups import close_follow_up, record_not_known
from court_tui.domain.forms import FormSet
from court_tui.domain.handover import acknowledge, must_read_items
from court_tui.resources import data_dir

TODAY = date(2026, 3, 3)
DEMO_DIR = data_dir() / "demo"
DEMO_FILES = sorted(DEMO_DIR.glob("*.json"))


def demo(forms: FormSet, name: str) -> CaseRecord:
    """The demo case NAME (the file name without .json)."""
    return loads((DEMO_DIR / f"{name}.json").read_text(encoding="utf-8"), forms)


def rich_case(forms: FormSet) -> CaseRecord:
    """A case that takes every branch: not known, override, risk review, RoSH actions."""
    record = demo(forms, "nps-by-mappa")
    answers = dict(record.answers)
    answers.update(
        {
            "name": "\u0141ukasz W\u00f3jcik-O\u2019Brien",
            "crn": "Y765432",
            "offence_analysis": "First line of the analysis.\n- a dash at the start\n2. a number",
            "rosh_level": "HIGH",
            "rosh_full_analysis_needed": "yes",
            "rosh_full_analysis_done": "no",
            "ro_rosh_actions": "Interview the victim liaison officer and complete OASys R10.",
            "allocation_decision": "crc",
            "allocation_override_reason": "Manager agreed: the MAPPA record is wrong.",
            "risk_review_required": "yes",
            "risk_review_date": "2026-06-01",
            "risk_review_reason": "Partner's child returns home in May.",
            "deportation_eligible": "no",
        }
    )
    record = record.model_copy(update={"answers": answers})
    record = record_not_known(
        record,
        forms,
        "rsr_score",
        owner="Priya Shah",
        action="Complete the RSR in OASys and record the score",
        due=date(2026, 3, 4),
        today=date(2026, 3, 2),
        recorded_by="Sam Patel",
    )
    record = record_not_known(
        record,
        forms,
        "deportation_eligible",
        owner="Sam Patel",
        action="Ask the Home Office about the person's immigration status",
        due=date(2026, 3, 3),
        today=date(2026, 3, 2),
        recorded_by="Sam Patel",
    )
    closed = next(f for f in record.follow_ups if f.question == "deportation_eligible")
    record = close_follow_up(
        record, closed.id, answer="no", closed_by="Sam Patel", closed_on=date(2026, 3, 3)
    )
    for item in must_read_items(record, forms):
        if item.id in ("rosh", "rsr"):
            record = acknowledge(record, item)
    handover = record.handover.model_copy(
        update={
            "sent_to": "Jo Bloggs",
            "sent_by": "Sam Patel",
            "sent_at": datetime(2026, 3, 2, 16, 0, tzinfo=UTC),
            "accepted_by": "Jo Bloggs",
            "accepted_at": datetime(2026, 3, 3, 14, 5, tzinfo=UTC),
        }
    )
    return record.model_copy(update={"handover": handover})


def pdf_pages(data: bytes) -> list[str]:
    """The text of each page of the PDF DATA."""
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def squash(text: str) -> str:
    """TEXT with every run of white space made one space, so wrapped lines compare."""
    return " ".join(text.split())


def all_demo_names() -> list[str]:
    return [Path(path).stem for path in DEMO_FILES]
