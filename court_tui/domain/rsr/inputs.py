"""The calculator's inputs: their JSON form, their types and every rule in rsr.md.

A score worked out from a wrong input looks as trustworthy as a right one, so nothing is
coerced: a count given as `true` or `"3"` is refused, and every refusal names the field.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, fields
from datetime import date
from enum import StrEnum
from typing import Any

from court_tui.domain.rsr.javatime import period_years

OFFENCE_CATEGORIES: tuple[str, ...] = (
    "absconding_or_bail",
    "acquisitive_violence",
    "burglary_domestic",
    "burglary_other",
    "criminal_damage",
    "drink_driving",
    "drug_import_export_or_production",
    "drug_possession_or_supply",
    "drunkenness",
    "fraud_and_forgery",
    "handling_stolen_goods",
    "motoring_offences",
    "other_offences",
    "public_order_and_harassment",
    "sexual_against_child",
    "sexual_not_against_child",
    "theft_non_motor",
    "vehicle_related_theft",
    "violence_against_the_person",
    "welfare_fraud",
)
VIOLENCE_AGAINST_THE_PERSON = "violence_against_the_person"
VIOLENCE_SUBTYPES: tuple[str, ...] = (
    "firearms_most_serious",
    "firearms_other",
    "weapons_non_firearm",
    "abh_plus",
    "sub_abh",
)
SEXUAL_COUNT_KEYS: tuple[str, ...] = (
    "contact_adult_sanctions",
    "contact_child_sanctions",
    "non_contact_sanctions",
    "indecent_image_sanctions",
)
# No court record holds a four-digit count; the cap also keeps the arithmetic finite.
MAXIMUM_COUNT = 999
# Nobody over this age comes before a court: an older date of birth is a typing mistake.
MAXIMUM_AGE = 120
MINIMUM_AGE = 10  # the age of criminal responsibility in England and Wales


class Gender(StrEnum):
    """The model has weights for men and for women only."""

    MALE = "male"
    FEMALE = "female"


class SupervisionStatus(StrEnum):
    """Where the person is when follow-up starts."""

    COMMUNITY = "community"
    CUSTODY = "custody"
    REMAND = "remand"


@dataclass(frozen=True, slots=True)
class InputProblem:
    """One broken rule: the field it belongs to and a plain sentence saying what is wrong."""

    field: str
    message: str


class RsrInputError(ValueError):
    """Inputs the calculator refuses; the message names each field that is wrong."""

    def __init__(self, problems: Iterable[InputProblem]) -> None:
        self.problems: tuple[InputProblem, ...] = tuple(problems)
        super().__init__("; ".join(problem.message for problem in self.problems))

    @property
    def fields(self) -> tuple[str, ...]:
        """The fields named by the problems, in order, each once."""
        return tuple(dict.fromkeys(problem.field for problem in self.problems))


@dataclass(frozen=True, slots=True)
class RsrInputs:
    """Validated inputs of the static RSR; building one with a broken rule raises."""

    gender: Gender
    date_of_birth: date
    assessment_date: date
    conviction_date: date
    followup_start_date: date
    offence_category: str
    violence_subtype: str | None
    total_sanctions: int
    age_at_first_sanction: int
    violent_sanctions: int
    sexual_history: bool
    current_offence_sexually_motivated: bool | None
    contact_adult_sanctions: int | None
    contact_child_sanctions: int | None
    non_contact_sanctions: int | None
    indecent_image_sanctions: int | None
    date_of_most_recent_sexual_sanction: date | None
    stranger_victim: bool | None
    supervision_status: SupervisionStatus
    most_recent_offence_date: date | None = None
    # Worked out once here: the rules and the model both read them.
    age_at_followup: int = field(init=False, repr=False, compare=False)
    age_at_conviction: int = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        born = self.date_of_birth
        object.__setattr__(self, "age_at_followup", period_years(born, self.followup_start_date))
        object.__setattr__(self, "age_at_conviction", period_years(born, self.conviction_date))
        problems = rule_problems(self)
        if problems:
            raise RsrInputError(problems)

    @property
    def is_man_with_sexual_history(self) -> bool:
        """Whether the OSP parts of the score apply."""
        return self.gender is Gender.MALE and self.sexual_history

    def sexual_counts(self) -> tuple[int, int, int, int]:
        """Contact adult, contact child, non-contact and indecent-image counts (null as 0)."""
        return (
            self.contact_adult_sanctions or 0,
            self.contact_child_sanctions or 0,
            self.non_contact_sanctions or 0,
            self.indecent_image_sanctions or 0,
        )

    def as_json(self) -> dict[str, object]:
        """The inputs in the JSON form `parse_rsr_inputs` reads."""
        raw: dict[str, object] = {}
        for key in INPUT_KEYS:
            value = getattr(self, key)
            raw[key] = value.isoformat() if isinstance(value, date) else value
        return raw


INPUT_KEYS: tuple[str, ...] = tuple(f.name for f in fields(RsrInputs) if f.init)
_INPUT_KEY_SET = frozenset(INPUT_KEYS)
OPTIONAL_KEYS = frozenset({"most_recent_offence_date"})
DATE_KEYS = frozenset(
    {
        "date_of_birth",
        "assessment_date",
        "conviction_date",
        "followup_start_date",
        "date_of_most_recent_sexual_sanction",
        "most_recent_offence_date",
    }
)
_NULLABLE_KEYS = frozenset(
    {
        "violence_subtype",
        "current_offence_sexually_motivated",
        *SEXUAL_COUNT_KEYS,
        "date_of_most_recent_sexual_sanction",
        "stranger_victim",
        "most_recent_offence_date",
    }
)
_COUNT_KEYS = frozenset(
    {"total_sanctions", "age_at_first_sanction", "violent_sanctions", *SEXUAL_COUNT_KEYS}
)
_BOOL_KEYS = frozenset({"sexual_history", "current_offence_sexually_motivated", "stranger_victim"})
_COUNT_KEYS_IN_ORDER = tuple(key for key in INPUT_KEYS if key in _COUNT_KEYS)


def _shown(value: object) -> str:
    """VALUE as it was written in JSON, for messages."""
    try:
        return json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        return repr(value)


def _one_of(choices: Iterable[str]) -> str:
    quoted = [f'"{choice}"' for choice in choices]
    return ", ".join(quoted[:-1]) + " or " + quoted[-1]


class _Refused(Exception):
    """A value of the wrong JSON type; the message says what was expected."""


def _count(key: str, value: object, or_null: str) -> int:
    if type(value) is int:
        return value
    raise _Refused(f"{key} must be a whole number{or_null}, not {_shown(value)}")


def _flag(key: str, value: object, or_null: str) -> bool:
    if type(value) is bool:
        return value
    allowed = "true, false or null" if or_null else "true or false"
    raise _Refused(f"{key} must be {allowed}, not {_shown(value)}")


def _date(key: str, value: object, or_null: str) -> date:
    # date.fromisoformat alone would also take 20260302 and week dates such as 2026-W10-1.
    if isinstance(value, str) and len(value) == 10 and value[4] == value[7] == "-":
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise _Refused(f"{key} ({value}) is not a real date") from None
    raise _Refused(f"{key} must be a date written YYYY-MM-DD{or_null}, not {_shown(value)}")


def _choice(choices: Mapping[str, object]) -> Callable[[str, object, str], object]:
    allowed = _one_of(choices)

    def convert(key: str, value: object, or_null: str) -> object:
        if isinstance(value, str) and value in choices:
            return choices[value]
        raise _Refused(f"{key} must be {allowed}{or_null}, not {_shown(value)}")

    return convert


def _converter(key: str) -> Callable[[str, object, str], object]:
    if key in _COUNT_KEYS:
        return _count
    if key in _BOOL_KEYS:
        return _flag
    if key in DATE_KEYS:
        return _date
    choices: dict[str, tuple[object, ...]] = {
        "gender": tuple(Gender),
        "supervision_status": tuple(SupervisionStatus),
        "offence_category": OFFENCE_CATEGORIES,
        "violence_subtype": VIOLENCE_SUBTYPES,
    }
    return _choice({str(choice): choice for choice in choices[key]})


# Each key once, in order: its converter, " or null" when null is allowed, optional or not.
_KEY_TABLE = tuple(
    (key, _converter(key), " or null" if key in _NULLABLE_KEYS else "", key in OPTIONAL_KEYS)
    for key in INPUT_KEYS
)
_ABSENT = object()


def parse_rsr_inputs(raw: Mapping[str, object]) -> RsrInputs:
    """RAW (one JSON object, as decoded) as validated inputs; raises RsrInputError."""
    problems = [
        InputProblem(str(key), f"{key} is not an input of the RSR")
        for key in raw
        if key not in _INPUT_KEY_SET
    ]
    typed: dict[str, Any] = {}
    for key, convert, or_null, optional in _KEY_TABLE:
        value = raw.get(key, _ABSENT)
        if value is _ABSENT:
            if not optional:
                problems.append(InputProblem(key, f"{key} is missing"))
        elif value is None:
            if or_null:
                typed[key] = None
            else:
                problems.append(InputProblem(key, f"{key} must be given, not null"))
        else:
            try:
                typed[key] = convert(key, value, or_null)
            except _Refused as refused:
                problems.append(InputProblem(key, str(refused)))
    if problems:
        raise RsrInputError(problems)
    return RsrInputs(**typed)


def rule_problems(inputs: RsrInputs) -> list[InputProblem]:
    """Every rule of rsr.md that INPUTS break, each naming its field."""
    problems: list[InputProblem] = []

    def refuse(key: str, message: str) -> None:
        problems.append(InputProblem(key, message))

    for key in _COUNT_KEYS_IN_ORDER:
        count = getattr(inputs, key)
        if count is None:
            continue
        if count < 0:
            refuse(key, f"{key} ({count}) must not be negative")
        elif count > MAXIMUM_COUNT:
            refuse(key, f"{key} ({count}) must be at most {MAXIMUM_COUNT}")
    if inputs.total_sanctions == 0:
        refuse("total_sanctions", "total_sanctions (0) must be at least 1: count the current one")

    born = inputs.date_of_birth
    assessed = inputs.assessment_date
    if period_years(born, assessed) > MAXIMUM_AGE:
        refuse(
            "date_of_birth",
            f"date_of_birth ({born}) gives an age over {MAXIMUM_AGE} at assessment_date "
            f"({assessed})",
        )
    for key in (
        "conviction_date",
        "date_of_most_recent_sexual_sanction",
        "most_recent_offence_date",
    ):
        when = getattr(inputs, key)
        if when is not None and when > assessed:
            refuse(key, f"{key} ({when}) must not be after assessment_date ({assessed})")
        elif when is not None and when < born:
            refuse(key, f"{key} ({when}) must not be before date_of_birth ({born})")

    age_at_conviction = inputs.age_at_conviction
    if inputs.conviction_date >= born and age_at_conviction < MINIMUM_AGE:
        refuse(
            "conviction_date",
            f"conviction_date ({inputs.conviction_date}) gives an age of {age_at_conviction}; "
            f"it must be at least {MINIMUM_AGE}",
        )
    if inputs.followup_start_date < inputs.conviction_date:
        refuse(
            "followup_start_date",
            f"followup_start_date ({inputs.followup_start_date}) must not be before "
            f"conviction_date ({inputs.conviction_date})",
        )
    elif inputs.age_at_followup < MINIMUM_AGE:
        refuse(
            "followup_start_date",
            f"followup_start_date ({inputs.followup_start_date}) gives an age of "
            f"{inputs.age_at_followup}; it must be at least {MINIMUM_AGE}",
        )
    if inputs.conviction_date >= born and inputs.age_at_first_sanction > age_at_conviction:
        refuse(
            "age_at_first_sanction",
            f"age_at_first_sanction ({inputs.age_at_first_sanction}) must not exceed the age "
            f"at conviction_date ({age_at_conviction})",
        )
    if inputs.violent_sanctions > inputs.total_sanctions >= 1:
        refuse(
            "violent_sanctions",
            f"violent_sanctions ({inputs.violent_sanctions}) must not exceed total_sanctions "
            f"({inputs.total_sanctions})",
        )

    if inputs.offence_category == VIOLENCE_AGAINST_THE_PERSON:
        if inputs.violence_subtype is None:
            refuse(
                "violence_subtype",
                f"violence_subtype must be given when offence_category is "
                f"{VIOLENCE_AGAINST_THE_PERSON}",
            )
    elif inputs.violence_subtype is not None:
        refuse(
            "violence_subtype",
            f"violence_subtype must be null unless offence_category is "
            f"{VIOLENCE_AGAINST_THE_PERSON} (offence_category is {inputs.offence_category})",
        )

    problems.extend(_sexual_history_problems(inputs))
    return problems


def _sexual_history_problems(inputs: RsrInputs) -> list[InputProblem]:
    problems: list[InputProblem] = []
    counts = {key: getattr(inputs, key) for key in SEXUAL_COUNT_KEYS}
    all_four = ", ".join(SEXUAL_COUNT_KEYS[:-1]) + " and " + SEXUAL_COUNT_KEYS[-1]
    if inputs.gender is Gender.MALE and not inputs.sexual_history:
        for key, count in counts.items():
            if count:
                problems.append(
                    InputProblem(key, f"{key} ({count}) must be 0 or null without sexual_history")
                )
        return problems
    if inputs.is_man_with_sexual_history:
        if inputs.current_offence_sexually_motivated is None:
            problems.append(
                InputProblem(
                    "current_offence_sexually_motivated",
                    "current_offence_sexually_motivated must be true or false for a man with "
                    "sexual_history",
                )
            )
        for key, count in counts.items():
            if count is None:
                problems.append(
                    InputProblem(
                        key, f"{key} must be given (0 or more) for a man with sexual_history"
                    )
                )
        born = inputs.date_of_birth
        latest = inputs.date_of_most_recent_sexual_sanction
        if latest is not None and born <= latest:
            age = period_years(born, latest)
            if age < MINIMUM_AGE:
                problems.append(
                    InputProblem(
                        "date_of_most_recent_sexual_sanction",
                        f"date_of_most_recent_sexual_sanction ({latest}) gives an age of {age}; "
                        f"it must be at least {MINIMUM_AGE}",
                    )
                )
        if problems:
            return problems
        if not any(counts.values()):
            motivated = (
                " and a sexually motivated current offence"
                if inputs.current_offence_sexually_motivated
                else ""
            )
            problems.append(
                InputProblem(
                    SEXUAL_COUNT_KEYS[0],
                    f"one of {all_four} must be above 0 for a man with sexual_history"
                    f"{motivated}: the model gives no score when all four are 0",
                )
            )
        return problems
    # A woman: the counts do not enter her score, but the model still has no score for a
    # sexually motivated offence with a sexual history and no sexual sanctions.
    if (
        inputs.sexual_history
        and inputs.current_offence_sexually_motivated
        and all(count == 0 for count in counts.values())
    ):
        problems.append(
            InputProblem(
                SEXUAL_COUNT_KEYS[0],
                f"{all_four} are all 0 with sexual_history and a sexually motivated current "
                "offence: the model gives no score; give the sexual sanctions",
            )
        )
    return problems
