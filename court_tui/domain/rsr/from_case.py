"""The calculator's inputs taken from what the case record already holds.

Officers type a date of birth, dates and an offence code once, for the case; the calculator
reads them from there, so a score cannot be worked out from a second, different copy.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Protocol

from court_tui.domain.answers import is_answered, is_not_known
from court_tui.domain.fields import Case, Rsr, RsrCalculator
from court_tui.domain.rsr.inputs import (
    INPUT_KEYS,
    SEXUAL_COUNT_KEYS,
    VIOLENCE_AGAINST_THE_PERSON,
    InputProblem,
    RsrInputError,
    parse_rsr_inputs,
)
from court_tui.domain.rsr.model import STATIC_RSR_V1, RsrScore

DISCREPANCY_TOLERANCE = Decimal("0.01")
_CENT = Decimal("0.01")
_YES_NO = {"yes": True, "no": False}
_COUNT_KEYS = (
    RsrCalculator.TOTAL_SANCTIONS,
    RsrCalculator.AGE_AT_FIRST_SANCTION,
    RsrCalculator.VIOLENT_SANCTIONS,
)
_MISSING = object()
# Inputs that enter only a man's OSP scores, when he has a sexual-offence history (rsr.md).
SEXUAL_HISTORY_ITEMS: tuple[str, ...] = (
    RsrCalculator.CURRENT_OFFENCE_SEXUALLY_MOTIVATED,
    *SEXUAL_COUNT_KEYS,
    RsrCalculator.DATE_OF_MOST_RECENT_SEXUAL_SANCTION,
    RsrCalculator.STRANGER_VICTIM,
)


def sexual_history_items_apply(gender: object, sexual_history: object) -> bool:
    """Whether the sexual-history inputs enter the score: only for a man with that history."""
    return gender == "male" and sexual_history is True


def inputs_that_do_not_apply(raw: Mapping[str, object]) -> tuple[str, ...]:
    """The input keys the model ignores for the person and offence in RAW (JSON inputs):
    the violence subtype unless the offence is violence against the person, and the
    sexual-history items unless he is a man with a sexual-offence history."""
    ignored: list[str] = []
    if raw.get(RsrCalculator.OFFENCE_CATEGORY) != VIOLENCE_AGAINST_THE_PERSON:
        ignored.append(RsrCalculator.VIOLENCE_SUBTYPE)
    if not sexual_history_items_apply(raw.get(Case.GENDER), raw.get(RsrCalculator.SEXUAL_HISTORY)):
        ignored.extend(SEXUAL_HISTORY_ITEMS)
    return tuple(ignored)


def with_inapplicable_inputs_null(raw: Mapping[str, object]) -> dict[str, object]:
    """RAW with every input that does not apply and is left out given as null, so nobody
    is asked for sexual counts when there is no sexual history."""
    filled = dict(raw)
    for key in inputs_that_do_not_apply(raw):
        filled.setdefault(key, None)
    return filled


class OffenceLookup(Protocol):
    """What the calculator needs of the offence catalogue: a code's category and subtype."""

    def category_of(self, code: str) -> tuple[str | None, str | None]:
        """The RSR category and violence subtype for CODE; (None, None) when unknown."""
        ...


def _whole_number(value: object) -> object:
    # Form answers arrive as numbers or digits; only the JSON input is held to strict types.
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return value


def _as_given(value: object) -> object:
    return value


def _yes_no(value: object) -> object:
    if isinstance(value, str) and value.strip().lower() in _YES_NO:
        return _YES_NO[value.strip().lower()]
    return value


def rsr_inputs_from_answers(
    answers: Mapping[str, object],
    extra: Mapping[str, object],
    catalogue: OffenceLookup | None,
    assessment_date: date,
) -> tuple[dict[str, object], list[str]]:
    """The calculator inputs that ANSWERS and EXTRA give, and the input keys still missing.

    EXTRA holds the calculator's own questions (ids as rsr.md's keys) and wins over the
    case answers. Inputs that the model ignores for this person are null, not missing.
    The result is in the JSON form `parse_rsr_inputs` validates.
    """

    def given(*keys: str) -> object:
        for source in (extra, answers):
            for key in keys:
                value = source.get(key)
                if is_answered(value):
                    return value
        return _MISSING

    def not_known(key: str) -> bool:
        return is_not_known(extra.get(key, answers.get(key)))

    inputs: dict[str, object] = {"assessment_date": assessment_date.isoformat()}
    missing: list[str] = []

    def take(key: str, value: object) -> None:
        if value is _MISSING:
            missing.append(key)
        else:
            inputs[key] = value

    take(Case.GENDER, given(Case.GENDER))
    take(Case.DATE_OF_BIRTH, given(Case.DATE_OF_BIRTH))
    take(Case.CONVICTION_DATE, given(Case.CONVICTION_DATE))
    # The date of sentence, unless a release date for custody was given to the calculator.
    take("followup_start_date", given("followup_start_date", Case.SENTENCE_DATE))

    code = given(Case.MAIN_OFFENCE_CODE)
    code_category: str | None = None
    code_subtype: str | None = None
    if catalogue is not None and isinstance(code, str):
        code_category, code_subtype = catalogue.category_of(code)
    category = given(RsrCalculator.OFFENCE_CATEGORY)
    if category is _MISSING and code_category is not None:
        category = code_category
    take(RsrCalculator.OFFENCE_CATEGORY, category)
    if category == VIOLENCE_AGAINST_THE_PERSON:
        subtype = given(RsrCalculator.VIOLENCE_SUBTYPE)
        if subtype is _MISSING and category == code_category and code_subtype is not None:
            subtype = code_subtype
        take(RsrCalculator.VIOLENCE_SUBTYPE, subtype)
    else:
        inputs[RsrCalculator.VIOLENCE_SUBTYPE] = None

    for key in _COUNT_KEYS:
        value = given(key)
        take(key, value if value is _MISSING else _whole_number(value))

    sexual_history = given(RsrCalculator.SEXUAL_HISTORY)
    take(
        RsrCalculator.SEXUAL_HISTORY,
        sexual_history if sexual_history is _MISSING else _yes_no(sexual_history),
    )
    man_with_sexual_history = sexual_history_items_apply(
        inputs.get(Case.GENDER), inputs.get(RsrCalculator.SEXUAL_HISTORY)
    )

    def sexual_history_item(key: str, convert: Callable[[object], object]) -> None:
        value = given(key)
        if not man_with_sexual_history:
            # These enter only a man's OSP scores; stale answers must not refuse his score.
            inputs[key] = None
        elif value is not _MISSING:
            inputs[key] = convert(value)
        elif not_known(key):
            inputs[key] = None  # the model's own 'unknown'
        else:
            missing.append(key)

    sexual_history_item(RsrCalculator.CURRENT_OFFENCE_SEXUALLY_MOTIVATED, _yes_no)
    for key in SEXUAL_COUNT_KEYS:
        sexual_history_item(key, _whole_number)
    sexual_history_item(RsrCalculator.DATE_OF_MOST_RECENT_SEXUAL_SANCTION, _as_given)
    sexual_history_item(RsrCalculator.STRANGER_VICTIM, _yes_no)

    status = given("supervision_status")
    if status is _MISSING:
        sentence_type = given(Case.SENTENCE_TYPE)
        if sentence_type is not _MISSING:
            status = "custody" if sentence_type == "custody" else "community"
    take("supervision_status", status)

    latest_offence = given("most_recent_offence_date", Case.MAIN_OFFENCE_DATE)
    if latest_offence is not _MISSING:
        inputs["most_recent_offence_date"] = latest_offence

    order = {key: index for index, key in enumerate(INPUT_KEYS)}
    missing.sort(key=lambda key: order.get(key, len(order)))
    return {key: inputs[key] for key in INPUT_KEYS if key in inputs}, missing


def _two_places(score: Decimal | float) -> Decimal:
    # A float score from a form is read as it was typed, not as its binary expansion.
    exact = score if isinstance(score, Decimal) else Decimal(str(score))
    return exact.quantize(_CENT, rounding=ROUND_HALF_UP)


def rsr_discrepancy(
    oasys: Decimal | float | None, calculated: Decimal | float | None
) -> str | None:
    """A plain warning when an OASys RSR and a calculated RSR differ by more than 0.01."""
    if oasys is None or calculated is None:
        return None
    shown_oasys = _two_places(oasys)
    shown_calculated = _two_places(calculated)
    difference = abs(shown_oasys - shown_calculated)
    if difference <= DISCREPANCY_TOLERANCE:
        return None
    return (
        f"The OASys RSR ({shown_oasys}) and the calculated RSR ({shown_calculated}) differ by "
        f"{difference}. Check the inputs before allocation."
    )


@dataclass(frozen=True, slots=True)
class CaseRsr:
    """The calculator run on a case: what it took, what is missing, the score or refusal."""

    inputs: dict[str, object]
    missing: tuple[str, ...]
    problems: tuple[InputProblem, ...] = ()
    score: RsrScore | None = None
    discrepancy: str | None = None


def work_out_case_rsr(
    answers: Mapping[str, object],
    extra: Mapping[str, object],
    catalogue: OffenceLookup | None,
    assessment_date: date,
) -> CaseRsr:
    """The calculated RSR for a case, and how it compares with an OASys score on the case."""
    inputs, missing = rsr_inputs_from_answers(answers, extra, catalogue, assessment_date)
    if missing:
        return CaseRsr(inputs, tuple(missing))
    try:
        score = STATIC_RSR_V1.score(parse_rsr_inputs(inputs))
    except RsrInputError as refused:
        return CaseRsr(inputs, (), refused.problems)
    oasys = answers.get(Rsr.RSR_SCORE)
    discrepancy = None
    if (
        answers.get(Rsr.RSR_SOURCE) == "oasys"
        and isinstance(oasys, int | float | Decimal)
        and not isinstance(oasys, bool)
    ):
        discrepancy = rsr_discrepancy(oasys, score.rsr_percent)
    return CaseRsr(inputs, (), (), score, discrepancy)
