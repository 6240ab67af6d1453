"""Who supervises the person: the allocation rules, with every reason that applied."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import TYPE_CHECKING, cast

from court_tui.domain.fields import Cas, Case, Rosh, Rsr

if TYPE_CHECKING:  # the settings use the labels: the answer model loads with the rules
    from court_tui.domain.answers import AnswerValue

RSR_NPS_THRESHOLD = Decimal("6.90")
RSR_MAXIMUM = Decimal("99.99")
TWO_PLACES = Decimal("0.01")


class Provider(StrEnum):
    """The two kinds of supervision the allocation chooses between."""

    NPS = "nps"
    CRC = "crc"


def provider_of(value: object) -> Provider | None:
    """The provider VALUE names (an allocation decision's stored value), or None."""
    return next((p for p in Provider if p.value == value), None)


@dataclass(frozen=True)
class AllocationLabels:
    """What the two providers are called; the names changed in 2021, the rules did not."""

    id: str
    nps: str
    crc: str

    def label(self, provider: Provider) -> str:
        """The name shown for PROVIDER."""
        return self.nps if provider is Provider.NPS else self.crc


LABEL_SETS = {
    "transforming_rehabilitation": AllocationLabels(
        "transforming_rehabilitation",
        nps="National Probation Service (NPS)",
        crc="Community Rehabilitation Company (CRC)",
    ),
    "unification": AllocationLabels(
        "unification", nps="Retained (enhanced)", crc="Allocated (standard)"
    ),
}
DEFAULT_LABELS = "transforming_rehabilitation"


def labels_from(name: str | None = None) -> AllocationLabels:
    """The label set called NAME, else the default (the configured name is the caller's:
    see `court_tui.domain.settings.Config.labels`)."""
    chosen = name or DEFAULT_LABELS
    try:
        return LABEL_SETS[chosen]
    except KeyError:
        known = ", ".join(sorted(LABEL_SETS))
        raise ValueError(f"Unknown allocation labels '{chosen}' (use one of {known})") from None


@dataclass(frozen=True)
class Criterion:
    """One allocation criterion and the question that answers it."""

    id: str
    question: str
    reason: str


CRITERIA = (
    Criterion("rosh", Rosh.ROSH_LEVEL, "RoSH level is high or very high"),
    Criterion("mappa", Cas.MAPPA_ELIGIBLE, "MAPPA eligible"),
    Criterion("rsr", Rsr.RSR_SCORE, "RSR is 6.90 or higher"),
    Criterion("deportation", Cas.DEPORTATION_ELIGIBLE, "eligible for deportation"),
    Criterion("deferred_sentence", Case.SENTENCE_TYPE, "deferred sentence"),
    Criterion("public_interest", Cas.PUBLIC_INTEREST, "public interest case"),
)


@dataclass(frozen=True)
class Allocation:
    """The decision the rules give, why, how sure it is, and the officer's own decision."""

    decision: Provider | None
    reasons: tuple[str, ...]
    provisional: bool
    not_known: tuple[str, ...]
    unanswered: tuple[str, ...]
    officer_decision: Provider | None
    override: bool
    override_reason: str

    @property
    def decided(self) -> bool:
        """Whether the rules can give a decision yet."""
        return self.decision is not None


def rsr_at_two_places(value: AnswerValue | None) -> Decimal | None:
    """The RSR score rounded half up to two decimals, as the threshold compares it."""
    from court_tui.domain.values import parse_number

    number = parse_number(value)
    if number is None:
        return None
    return number.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def _holds(criterion: Criterion, value: AnswerValue) -> bool:
    if criterion.id == "rosh":
        return value in ("HIGH", "VERY_HIGH")
    if criterion.id == "rsr":
        score = rsr_at_two_places(value)
        # An out-of-range score is an error to correct, not a reason to allocate.
        return score is not None and RSR_NPS_THRESHOLD <= score <= RSR_MAXIMUM
    if criterion.id == "deferred_sentence":
        return value == "deferred_sentence"
    return value == "yes"


def _reason_text(criterion: Criterion, value: AnswerValue) -> str:
    if criterion.id == "rosh":
        return f"RoSH level is {'very high' if value == 'VERY_HIGH' else 'high'}"
    if criterion.id == "rsr":
        return f"RSR is 6.90 or higher ({rsr_at_two_places(value)})"
    return criterion.reason


def allocate(answers: Mapping[str, AnswerValue]) -> Allocation:
    """Apply the allocation rules to ANSWERS: NPS when any criterion holds, otherwise CRC."""
    from court_tui.domain.answers import is_answered, is_not_known

    reasons: list[str] = []
    not_known: list[str] = []
    unanswered: list[str] = []
    for criterion in CRITERIA:
        value = answers.get(criterion.question)
        if is_not_known(value):
            not_known.append(criterion.question)
        elif value is None or not is_answered(value):
            unanswered.append(criterion.question)
        elif _holds(criterion, value):
            reasons.append(_reason_text(criterion, value))
    decision: Provider | None
    if reasons:
        decision = Provider.NPS
    elif unanswered:
        decision = None
    else:
        decision = Provider.CRC
    officer_value = answers.get(Cas.ALLOCATION_DECISION)
    officer = provider_of(officer_value)
    override_reason = answers.get(Cas.ALLOCATION_OVERRIDE_REASON)
    return Allocation(
        decision=decision,
        reasons=tuple(reasons),
        provisional=bool(not_known),
        not_known=tuple(not_known),
        unanswered=tuple(unanswered),
        officer_decision=officer,
        override=decision is not None and officer is not None and officer is not decision,
        override_reason=override_reason.strip() if isinstance(override_reason, str) else "",
    )


def decided_against_rules(answers: Mapping[str, object]) -> bool:
    """Whether the officer's decision in ANSWERS differs from the one the rules give (the
    override reason's form condition)."""
    return allocate(cast("Mapping[str, AnswerValue]", answers)).override
