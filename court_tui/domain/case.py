"""The case record: answers keyed by question id, the tracked checks, follow-ups, handover.

Field names here are the ids used in the form files, the store, the JSON case file and
error messages: one name for one thing.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from uuid6 import uuid7

from court_tui.domain.answers import AnswerValue
from court_tui.domain.bounds import (
    BoundedDate,
    BoundedMoment,
    Revision,
    check_case_data,
    check_revision,
)
from court_tui.domain.fields import Case
from court_tui.domain.values import normal_crn

YesNo = Literal["yes", "no"]
CheckResult = Literal["no_concerns", "concerns"]


def new_id() -> str:
    """A new record id: a UUIDv7, which sorts by creation time without trusting the clock."""
    return str(uuid7())


def utc_now() -> datetime:
    """The current time in UTC."""
    return datetime.now(UTC)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True, allow_inf_nan=False)


class CheckRequest(_Model):
    """One tracked check (domestic abuse with the police, or safeguarding with children's
    services): requested, received, or still outstanding."""

    requested: YesNo | None = None
    not_requested_reason: str | None = None
    agency: str | None = None
    requested_on: BoundedDate | None = None
    reference: str | None = None
    expected_by: BoundedDate | None = None
    received_on: BoundedDate | None = None
    result: CheckResult | None = None
    how_checked: str | None = None
    summary: str | None = None
    reported_to_court: YesNo | None = None

    @property
    def outstanding(self) -> bool:
        """Requested and no result received yet."""
        return self.requested == "yes" and self.received_on is None

    def as_answers(self) -> dict[str, AnswerValue]:
        """The check's fields as answers keyed by the checks form's question ids."""
        answers: dict[str, AnswerValue] = {}
        for key, value in self.model_dump().items():
            if value is None:
                continue
            answers[key] = value.isoformat() if isinstance(value, date) else value
        return answers

    @property
    def started(self) -> bool:
        """Whether anything about the check has been recorded."""
        return any(value is not None for value in self.model_dump().values())


class FollowUp(_Model):
    """Who will find out a 'Not known' answer (or chase a check), what they will do, by when."""

    id: str = Field(default_factory=new_id)
    question: str
    owner: str = ""
    action: str = ""
    due: BoundedDate | None = None
    recorded_on: BoundedDate
    recorded_by: str = ""
    closed_on: BoundedDate | None = None
    closed_by: str | None = None
    answer: AnswerValue | None = None
    reviewed_by: str | None = None
    review_note: str | None = None

    @property
    def is_open(self) -> bool:
        """Not yet closed with the real answer."""
        return self.closed_on is None

    def missing_parts(self) -> list[str]:
        """What the follow-up still lacks: 'who', 'what', 'by when'."""
        missing = []
        if not self.owner.strip():
            missing.append("who")
        if not self.action.strip():
            missing.append("what")
        if self.due is None:
            missing.append("by when")
        return missing


class Handover(_Model):
    """Who the handover was sent to, and the responsible officer's reading of the
    must-read items and their acceptance (logins as the central store names them)."""

    sent_to: str | None = Field(default=None, max_length=200)
    sent_to_team: str | None = Field(default=None, max_length=200)
    sent_by: str | None = Field(default=None, max_length=200)
    sent_at: datetime | None = None
    acknowledged: list[str] = Field(default_factory=list, max_length=1000)
    accepted_by: str | None = None
    accepted_at: BoundedMoment | None = None


class CaseRecord(_Model):
    """Everything court-tui knows about one case."""

    id: str = Field(default_factory=new_id)
    revision: Revision = 0
    created_at: BoundedMoment = Field(default_factory=utc_now)
    updated_at: BoundedMoment = Field(default_factory=utc_now)
    officer: str = ""
    team: str = ""
    answers: dict[str, AnswerValue] = Field(default_factory=dict)
    checks: dict[str, CheckRequest] = Field(default_factory=dict)
    follow_ups: list[FollowUp] = Field(default_factory=list)
    handover: Handover = Field(default_factory=Handover)
    drafts: dict[str, str] = Field(default_factory=dict)

    @model_validator(mode="before")
    @classmethod
    def _within_bounds(cls, data: object) -> object:
        # Text, numbers, lists and nesting are bounded before any field is read: a case
        # from a file or the central store is refused here, with where and why.
        if isinstance(data, dict) and isinstance(data.get("revision"), int):
            check_revision(data["revision"])
        check_case_data(data)
        return data

    @field_validator("follow_ups")
    @classmethod
    def _one_id_per_follow_up(cls, follow_ups: list[FollowUp]) -> list[FollowUp]:
        # The store (and the supervisors' lists) know a follow-up by its id.
        seen: set[str] = set()
        for follow_up in follow_ups:
            if follow_up.id in seen:
                raise ValueError(f"two follow-ups have the id {follow_up.id}")
            seen.add(follow_up.id)
        return follow_ups

    @field_validator("answers")
    @classmethod
    def _crn_as_ndelius_writes_it(cls, answers: dict[str, AnswerValue]) -> dict[str, AnswerValue]:
        # A case file, the store or the sync may hold x123456: read it as X123456.
        crn = answers.get(Case.CRN)
        if isinstance(crn, str) and normal_crn(crn) != crn:
            return {**answers, Case.CRN: normal_crn(crn)}
        return answers

    def answer(self, question_id: str) -> AnswerValue | None:
        """The answer to QUESTION_ID, or None when there is none."""
        return self.answers.get(question_id)

    def check(self, kind: str) -> CheckRequest:
        """The tracked check of KIND (empty when nothing is recorded yet)."""
        return self.checks.get(kind) or CheckRequest()

    def open_follow_ups(self, question: str) -> list[FollowUp]:
        """The open follow-ups recorded for QUESTION (a question id or a check kind)."""
        return [f for f in self.follow_ups if f.question == question and f.is_open]

    @property
    def display_name(self) -> str:
        """The person's name and CRN, for captions and lists."""
        name = self.answers.get(Case.NAME)
        crn = self.answers.get(Case.CRN)
        label = name if isinstance(name, str) and name.strip() else "Unnamed case"
        if isinstance(crn, str) and crn.strip():
            return f"{label} ({crn})"
        return label
