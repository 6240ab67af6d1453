"""The case the officer has open, shared by the screens that work on it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from textual.message import Message

from court_tui.domain.allocation import AllocationLabels, labels_from
from court_tui.domain.assessment import Assessment, assess
from court_tui.domain.case import CaseRecord
from court_tui.domain.forms import FormSet
from court_tui.domain.offences import OffenceCatalogue, empty_catalogue
from court_tui.domain.prefill import NO_OFFICES, AllocationOffices


@dataclass
class OpenCase:
    """The working copy of one case; screens change `record` and post `CaseChanged`."""

    record: CaseRecord
    forms: FormSet
    officer: str
    labels: AllocationLabels
    catalogue: OffenceCatalogue = field(default_factory=empty_catalogue)
    # Supervisors' oversight notes on the case, oldest first, as the officer reads them.
    oversight: tuple[str, ...] = ()
    # Where cases go by allocation, as the officer set it once (pre-filled, changeable).
    offices: AllocationOffices = NO_OFFICES

    @classmethod
    def of(
        cls,
        record: CaseRecord,
        forms: FormSet,
        officer: str,
        catalogue: OffenceCatalogue | None = None,
        oversight: tuple[str, ...] = (),
        labels: AllocationLabels | None = None,
        offices: AllocationOffices = NO_OFFICES,
    ) -> OpenCase:
        """RECORD opened by OFFICER, worded with LABELS (the configured ones), with the
        OFFICES the officer set."""
        return cls(
            record,
            forms,
            officer,
            labels or labels_from(),
            catalogue or empty_catalogue(),
            oversight,
            offices,
        )

    def assess(self) -> Assessment:
        """Where the case stands today."""
        return assess(self.record, self.forms, date.today(), self.labels)

    @property
    def caption(self) -> str:
        """The case as a caption: name and CRN."""
        return self.record.display_name


class CaseChanged(Message):
    """The open case changed: save it soon (debounced)."""


class SaveCaseNow(Message):
    """The officer is leaving a screen: save the open case now if it changed."""


class BackToCases(Message):
    """The officer is done with the open case: show the list of cases (or the review)."""
