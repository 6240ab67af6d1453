"""Properties of the RSR calculator over any valid input."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal, localcontext
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from court_tui.domain.rsr import (
    OFFENCE_CATEGORIES,
    VIOLENCE_SUBTYPES,
    Band,
    RsrInputError,
    parse_rsr_inputs,
    score_rsr,
)
from court_tui.domain.rsr.javatime import period_years
from court_tui.domain.rsr.model import percent

SEXUAL_COUNTS = (
    "contact_adult_sanctions",
    "contact_child_sanctions",
    "non_contact_sanctions",
    "indecent_image_sanctions",
)


def years_after(day: date, years: int) -> date:
    """DAY moved on by YEARS; 29 February becomes 1 March."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return date(day.year + years, 3, 1)


def dates_between(start: date, end: date) -> st.SearchStrategy[date]:
    """Any day from START to END."""
    return st.integers(0, (end - start).days).map(lambda days: start + timedelta(days=days))


def counts(high: int = 999) -> st.SearchStrategy[int]:
    """A count, mostly small as in real records, now and then up to HIGH."""
    return st.one_of(st.integers(0, 12), st.integers(0, high))


@st.composite
def valid_inputs(draw: st.DrawFn) -> dict[str, Any]:
    """A JSON object of calculator inputs that keeps every rule of rsr.md."""
    gender = draw(st.sampled_from(["male", "female"]))
    born = draw(dates_between(date(1920, 1, 1), date(2015, 12, 31)))
    assessed = draw(
        dates_between(years_after(born, 10), min(years_after(born, 100), date(2040, 1, 1)))
    )
    convicted = draw(dates_between(years_after(born, 10), assessed))
    followup = draw(dates_between(convicted, convicted + timedelta(days=366 * 12)))
    age_at_conviction = period_years(born, convicted)
    total = draw(st.one_of(st.integers(1, 30), st.integers(1, 999)))
    category = draw(st.sampled_from(OFFENCE_CATEGORIES))
    subtype = (
        draw(st.sampled_from(VIOLENCE_SUBTYPES))
        if category == "violence_against_the_person"
        else None
    )
    sexual_history = draw(st.booleans())
    motivated = draw(st.none() | st.booleans())
    sexual: dict[str, int | None]
    last_sexual: date | None = None
    if gender == "male" and sexual_history:
        motivated = draw(st.booleans())
        sexual = {key: draw(counts()) for key in SEXUAL_COUNTS}
        if not any(sexual.values()):
            sexual[draw(st.sampled_from(SEXUAL_COUNTS))] = draw(st.integers(1, 999))
        last_sexual = draw(st.none() | dates_between(years_after(born, 10), assessed))
    elif gender == "male":
        sexual = {key: draw(st.sampled_from([None, 0])) for key in SEXUAL_COUNTS}
    else:
        sexual = {key: draw(st.none() | counts()) for key in SEXUAL_COUNTS}
        if sexual_history and motivated and all(v == 0 for v in sexual.values()):
            motivated = False
        last_sexual = draw(st.none() | dates_between(born, assessed))
    raw: dict[str, Any] = {
        "gender": gender,
        "date_of_birth": born.isoformat(),
        "assessment_date": assessed.isoformat(),
        "conviction_date": convicted.isoformat(),
        "followup_start_date": followup.isoformat(),
        "offence_category": category,
        "violence_subtype": subtype,
        "total_sanctions": total,
        "age_at_first_sanction": draw(st.integers(0, age_at_conviction)),
        "violent_sanctions": draw(st.integers(0, total)),
        "sexual_history": sexual_history,
        "current_offence_sexually_motivated": motivated,
        **sexual,
        "date_of_most_recent_sexual_sanction": last_sexual and last_sexual.isoformat(),
        "stranger_victim": draw(st.none() | st.booleans()),
        "supervision_status": draw(st.sampled_from(["community", "custody", "remand"])),
    }
    latest_offence = draw(st.none() | dates_between(born, assessed))
    if draw(st.booleans()):
        raw["most_recent_offence_date"] = latest_offence and latest_offence.isoformat()
    return raw


def expected_band(score: Decimal) -> Band:
    """rsr.md's bands, written out again rather than read from the scheme under test."""
    if score < Decimal("3.00"):
        return Band.LOW
    if score < Decimal("6.90"):
        return Band.MEDIUM
    return Band.HIGH


@settings(max_examples=400, deadline=None)
@given(valid_inputs())
def test_any_valid_input_scores_from_0_to_99_99_in_its_band(raw: dict[str, Any]) -> None:
    result = score_rsr(parse_rsr_inputs(raw))
    score = result.rsr_percent
    assert Decimal("0.00") <= score <= Decimal("99.99")
    assert score == score.quantize(Decimal("0.01"))
    assert result.band is expected_band(score)
    for part in (result.snsv_percent, result.ospdc_percent, result.ospiic_percent):
        assert Decimal("0.00") <= part <= Decimal("100.00")


@settings(max_examples=150, deadline=None)
@given(valid_inputs())
def test_score_is_the_sum_of_its_parts(raw: dict[str, Any]) -> None:
    result = score_rsr(parse_rsr_inputs(raw))
    total = result.snsv_percent + result.ospdc_percent + result.ospiic_percent
    if Decimal("0") < total < Decimal("100"):
        assert result.rsr_percent == total


@settings(max_examples=150, deadline=None)
@given(valid_inputs())
def test_osp_applies_to_men_with_sexual_history_only(raw: dict[str, Any]) -> None:
    result = score_rsr(parse_rsr_inputs(raw))
    if raw["gender"] == "male" and raw["sexual_history"]:
        assert result.ospdc_band is not Band.NOT_APPLICABLE
        assert result.ospiic_band is not Band.NOT_APPLICABLE
    else:
        assert (result.ospdc_band, result.ospiic_band) == (Band.NOT_APPLICABLE,) * 2
        assert result.ospiic_percent == Decimal("0.00")


@settings(max_examples=150, deadline=None)
@given(valid_inputs())
def test_validated_inputs_round_trip(raw: dict[str, Any]) -> None:
    inputs = parse_rsr_inputs(raw)
    assert parse_rsr_inputs(inputs.as_json()) == inputs


@settings(max_examples=150, deadline=None)
@given(
    valid_inputs(),
    st.sampled_from(["total_sanctions", "age_at_first_sanction", "violent_sanctions"]),
    st.sampled_from([True, False, "3", 3.0, [], {}]),
)
def test_a_count_of_the_wrong_json_type_is_always_refused(
    raw: dict[str, Any], key: str, wrong: object
) -> None:
    try:
        parse_rsr_inputs({**raw, key: wrong})
    except RsrInputError as refused:
        assert key in refused.fields
    else:
        raise AssertionError(f"{key}={wrong!r} was accepted")


@given(st.floats(min_value=0.0, max_value=1.0))
def test_percent_is_half_up_on_the_exact_product(probability: float) -> None:
    with localcontext() as exact:
        exact.prec = 1200  # enough for every digit of any double times 100
        expected = (Decimal(probability) * 100).quantize(Decimal("0.01"), ROUND_HALF_UP)
    assert str(percent(probability)) == str(expected)
