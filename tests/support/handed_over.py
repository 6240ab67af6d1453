"""A case truly handed over, for tests: the complete CRC demo case sent to a responsible
officer, every must-read item acknowledged, and accepted by that officer."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from court_tui.domain.assessment import assess
from court_tui.domain.case import CaseRecord, Handover
from court_tui.domain.casefile import loads
from court_tui.domain.form_model import FormSet
from court_tui.domain.handover import accept_handover, send_handover
from court_tui.domain.must_read import acknowledge, unacknowledged
from court_tui.resources import data_dir

RESPONSIBLE_OFFICER = "rokafor"
DEMO_DAY = date(2026, 3, 2)  # the day the demo cases are set on


def handed_over_demo(forms: FormSet, accepted_at: datetime) -> CaseRecord:
    """The complete CRC demo case, sent by its author and accepted at ACCEPTED_AT by
    RESPONSIBLE_OFFICER after reading every item."""
    demo = data_dir() / "demo" / "complete-crc.json"
    record = loads(demo.read_text(encoding="utf-8"), forms)
    record = record.model_copy(update={"handover": Handover()})
    record = send_handover(
        record,
        assess(record, forms, DEMO_DAY),
        to=RESPONSIBLE_OFFICER,
        by=record.officer,
        at=accepted_at - timedelta(hours=1),
    )
    for item in unacknowledged(record, forms):
        record = acknowledge(record, item)
    return accept_handover(
        record, forms, assess(record, forms, DEMO_DAY), by=RESPONSIBLE_OFFICER, at=accepted_at
    )
