"""The built-in RSR calculator: rsr.md's worked examples, each input rule, the arithmetic."""

from __future__ import annotations

import dataclasses
import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from court_tui.domain.answers import NOT_KNOWN
from court_tui.domain.forms import load_forms, visible
from court_tui.domain.offences import load_offence_reference
from court_tui.domain.rsr import (
    CSRP_BANDS,
    INPUT_KEYS,
    OFFENCE_CATEGORIES,
    PREDICTORS,
    RSR_BANDS,
    STATIC_RSR_V1,
    VIOLENCE_SUBTYPES,
    Band,
    BandScheme,
    RsrInputError,
    RsrInputs,
    parse_rsr_inputs,
    score_rsr,
)
from court_tui.domain.rsr.bands import OSPDC_POINT_BANDS, one_band_lower
from court_tui.domain.rsr.coefficients import OSP_V1, STATIC_SNSV_V1
from court_tui.domain.rsr.from_case import (
    SEXUAL_HISTORY_ITEMS,
    inputs_that_do_not_apply,
    rsr_discrepancy,
    rsr_inputs_from_answers,
    work_out_case_rsr,
)
from court_tui.domain.rsr.inputs import SEXUAL_COUNT_KEYS
from court_tui.domain.rsr.javatime import chrono_months, period_years
from court_tui.domain.rsr.model import (
    ospdc_points,
    percent,
    round_16,
    score_static_rsr,
    sigmoid,
    snsv_logit,
)

WORKED = json.loads((Path(__file__).parent / "rsr_worked_examples.json").read_text())
EXAMPLES = {example["name"]: example for example in WORKED["examples"]}


def example(name: str, **changes: Any) -> dict[str, Any]:
    """The inputs of worked example NAME with CHANGES."""
    return {**EXAMPLES[name]["inputs"], **changes}


def refusal(raw: dict[str, Any]) -> str:
    """The message the calculator refuses RAW with."""
    with pytest.raises(RsrInputError) as caught:
        parse_rsr_inputs(raw)
    return str(caught.value)


def scored(raw: dict[str, Any]) -> dict[str, str]:
    """The output of the calculator for RAW, each value as it is printed."""
    return {key: str(value) for key, value in score_rsr(parse_rsr_inputs(raw)).as_output().items()}


# The worked examples


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_worked_example_reproduces_exactly(name: str) -> None:
    assert scored(EXAMPLES[name]["inputs"]) == EXAMPLES[name]["expected"]


def test_refused_example_gives_the_exact_message() -> None:
    refused = WORKED["refused"]
    assert refusal(refused["inputs"]) == refused["error"]
    assert refused["error"] == "violent_sanctions (12) must not exceed total_sanctions (9)"


def test_refusal_names_the_field() -> None:
    with pytest.raises(RsrInputError) as caught:
        parse_rsr_inputs(WORKED["refused"]["inputs"])
    assert caught.value.fields == ("violent_sanctions",)


# The predictor is named and versioned


def test_predictor_is_named_and_versioned() -> None:
    assert (STATIC_RSR_V1.name, STATIC_RSR_V1.version) == ("rsr-static", "1")
    assert PREDICTORS["rsr-static/1"] is STATIC_RSR_V1
    assert STATIC_RSR_V1.bands is RSR_BANDS
    assert score_rsr(parse_rsr_inputs(example("A"))).predictor == "rsr-static/1"


def test_coefficients_are_data_a_second_version_can_change() -> None:
    inputs = parse_rsr_inputs(example("B"))
    certain = dataclasses.replace(STATIC_SNSV_V1, intercept=60.0)
    impossible = dataclasses.replace(STATIC_SNSV_V1, intercept=-60.0)
    assert score_static_rsr(inputs, certain, OSP_V1, "test/2").rsr_percent == Decimal("99.99")
    assert score_static_rsr(inputs, impossible, OSP_V1, "test/2").rsr_percent == Decimal("0.00")


# Bands


@pytest.mark.parametrize(
    ("score", "band"),
    [
        ("0.00", Band.LOW),
        ("2.99", Band.LOW),
        ("3.00", Band.MEDIUM),
        ("6.89", Band.MEDIUM),
        ("6.90", Band.HIGH),
        ("99.99", Band.HIGH),
    ],
)
def test_rsr_bands(score: str, band: Band) -> None:
    assert RSR_BANDS.band_for(Decimal(score)) is band


@pytest.mark.parametrize(
    ("score", "band"),
    [
        ("0.99", Band.LOW),
        ("1.00", Band.MEDIUM),
        ("2.99", Band.MEDIUM),
        ("3.00", Band.HIGH),
        ("6.89", Band.HIGH),
        ("6.90", Band.VERY_HIGH),
    ],
)
def test_a_second_model_can_have_four_bands(score: str, band: Band) -> None:
    assert CSRP_BANDS.band_for(Decimal(score)) is band
    assert len(CSRP_BANDS.bands) == 4


@pytest.mark.parametrize(
    ("points", "band"),
    [(0, Band.LOW), (21, Band.LOW), (22, Band.MEDIUM), (29, Band.MEDIUM), (30, Band.HIGH)]
    + [(35, Band.HIGH), (36, Band.VERY_HIGH), (64, Band.VERY_HIGH)],
)
def test_ospdc_bands_by_points(points: int, band: Band) -> None:
    assert OSPDC_POINT_BANDS.band_for(points) is band


def test_band_scheme_bounds_must_rise() -> None:
    with pytest.raises(ValueError, match="must rise"):
        BandScheme("bad", Band.LOW, ((Decimal(5), Band.HIGH), (Decimal(3), Band.MEDIUM)))


def test_one_band_lower() -> None:
    assert one_band_lower(Band.VERY_HIGH) is Band.HIGH
    assert one_band_lower(Band.HIGH) is Band.MEDIUM
    assert one_band_lower(Band.MEDIUM) is Band.LOW
    assert one_band_lower(Band.LOW) is Band.LOW
    assert one_band_lower(Band.NOT_APPLICABLE) is Band.NOT_APPLICABLE


# Rounding: HALF_UP on the exact binary value of the double


@pytest.mark.parametrize(
    ("probability", "shown"),
    [
        (0.06895, "6.89"),  # the double is just below 0.06895: MEDIUM, not the NPS
        (0.06905, "6.91"),
        (0.02585, "2.59"),
        (0.01005, "1.00"),
        (0.00125, "0.13"),
        (0.0, "0.00"),
        (1.0, "100.00"),
    ],
)
def test_percent_rounds_half_up_on_the_exact_binary_value(probability: float, shown: str) -> None:
    assert str(percent(probability)) == shown


def test_round_16_is_half_up_on_the_exact_binary_value() -> None:
    assert round_16(0.1) == 0.1
    assert round_16(1 / 3) == 0.3333333333333333
    assert round_16(2.5e-17) == 0.0
    assert round_16(5.1e-17) == 1e-16


def test_sigmoid_is_e_to_the_l_over_one_plus() -> None:
    assert sigmoid(0.0) == 0.5
    assert sigmoid(-800.0) == 0.0
    assert sigmoid(800.0) == 1.0


def test_parts_are_summed_as_doubles_then_rounded() -> None:
    # 0.16 + 2.46 + 0.28 is 2.9000000000000004 as doubles; shown 2.90.
    assert scored(example("D"))["rsr_percent"] == "2.90"


# Whole years and months as java.time counts them


@pytest.mark.parametrize(
    ("born", "on", "years"),
    [
        (date(2000, 2, 29), date(2001, 2, 28), 0),
        (date(2000, 2, 29), date(2001, 3, 1), 1),
        (date(2000, 2, 29), date(2004, 2, 28), 3),
        (date(2000, 2, 29), date(2004, 2, 29), 4),
        (date(1999, 6, 15), date(2026, 6, 14), 26),
        (date(1999, 6, 15), date(2026, 6, 15), 27),
        (date(1990, 1, 31), date(1990, 1, 31), 0),
        (date(2001, 3, 1), date(2000, 2, 29), -1),
        (date(2001, 3, 1), date(2000, 3, 2), 0),
    ],
)
def test_period_years_counts_like_java_period(born: date, on: date, years: int) -> None:
    assert period_years(born, on) == years


@pytest.mark.parametrize(
    ("start", "end", "months"),
    [
        (date(2024, 1, 31), date(2024, 2, 29), 0),
        (date(2024, 1, 31), date(2024, 3, 1), 1),
        (date(2024, 1, 31), date(2024, 3, 31), 2),
        (date(2024, 3, 31), date(2024, 4, 30), 0),
        (date(2024, 2, 29), date(2025, 2, 28), 11),
        (date(2024, 2, 29), date(2025, 3, 1), 12),
        (date(2024, 1, 1), date(2025, 1, 1), 12),
        (date(2024, 3, 1), date(2024, 1, 31), -1),  # towards zero, as Java divides
        (date(2024, 3, 15), date(2024, 1, 15), -2),
    ],
)
def test_chrono_months_counts_like_java_chronounit(start: date, end: date, months: int) -> None:
    assert chrono_months(start, end) == months


def test_age_is_taken_at_followup_start() -> None:
    # Example A: 44 at follow-up (2024-01-01), 45 at assessment; the score uses 44.
    inputs = parse_rsr_inputs(example("A"))
    assert inputs.age_at_followup == 44


def test_birthday_not_yet_reached_means_one_year_less() -> None:
    day_before = parse_rsr_inputs(example("B", date_of_birth="1999-03-03"))
    on_birthday = parse_rsr_inputs(example("B", date_of_birth="1999-03-02"))
    assert (day_before.age_at_followup, on_birthday.age_at_followup) == (26, 27)
    assert snsv_logit(day_before, STATIC_SNSV_V1) != snsv_logit(on_birthday, STATIC_SNSV_V1)


def test_born_on_29_february_ages_on_1_march() -> None:
    raw = example(
        "B", date_of_birth="2008-02-29", conviction_date="2026-02-28", age_at_first_sanction=10
    )
    on_28th = parse_rsr_inputs({**raw, "followup_start_date": "2026-02-28"})
    on_1st = parse_rsr_inputs({**raw, "followup_start_date": "2026-03-01"})
    assert (on_28th.age_at_conviction, on_28th.age_at_followup, on_1st.age_at_followup) == (
        17,
        17,
        18,
    )


def test_months_since_followup_count_up_to_36() -> None:
    def logit(followup: str) -> float:
        raw = example("A", date_of_birth="1979-07-01", followup_start_date=followup)
        return snsv_logit(parse_rsr_inputs(raw), STATIC_SNSV_V1)

    assert logit("2021-01-01") == logit("2021-06-01")  # 48 and 43 months count as 36; 41 at both
    assert logit("2022-01-01") != logit("2022-02-01")  # 36 and 35 months; 42 at both


def test_followup_on_or_after_assessment_counts_no_months() -> None:
    # Born 1999-06-15: 26 on both days, so only the months term could differ.
    after = parse_rsr_inputs(example("B", followup_start_date="2026-06-01"))
    same = parse_rsr_inputs(example("B"))
    assert snsv_logit(after, STATIC_SNSV_V1) == snsv_logit(same, STATIC_SNSV_V1)


# OSP/DC and OSP/IIC


def man_with_sexual_history(**changes: Any) -> dict[str, Any]:
    """Example D (OSP/DC 31 points, HIGH) with CHANGES."""
    return example("D", **changes)


@pytest.mark.parametrize(
    ("born", "points"),
    [
        ("2009-03-02", 14 + 10),  # 17: under 18 still 14; the sanction at 17 gives 5
        ("2008-03-02", 14 + 10),  # 18
        ("2005-03-02", 13 + 10),  # 21
        ("1966-03-03", 1 + 10),  # 59
        ("1966-03-02", 0 + 10),  # 60
    ],
)
def test_ospdc_age_points(born: str, points: int) -> None:
    raw = man_with_sexual_history(
        date_of_birth=born,
        age_at_first_sanction=17,
        contact_adult_sanctions=0,
        non_contact_sanctions=1,
        total_sanctions=1,
        stranger_victim=False,
    )
    sexual_sanction_points = 5 if born == "2009-03-02" else 10
    expected = points - 10 + sexual_sanction_points + 2
    assert ospdc_points(parse_rsr_inputs(raw), OSP_V1) == expected


@pytest.mark.parametrize(
    ("last_sexual_sanction", "points"),
    [("1990-04-03", 0), ("1991-04-02", 0), ("1991-04-03", 5), ("1993-04-03", 10), (None, 0)],
)
def test_ospdc_points_for_age_at_most_recent_sexual_sanction(
    last_sexual_sanction: str | None, points: int
) -> None:
    # Born 1975-04-03: 15 on 1990-04-03, still 15 on 1991-04-02, 16 the next day, 18 in 1993.
    raw = man_with_sexual_history(date_of_most_recent_sexual_sanction=last_sexual_sanction)
    base = man_with_sexual_history(date_of_most_recent_sexual_sanction=None)
    extra = ospdc_points(parse_rsr_inputs(raw), OSP_V1) - ospdc_points(
        parse_rsr_inputs(base), OSP_V1
    )
    assert extra == points


@pytest.mark.parametrize(
    ("counts", "points"),
    [
        ((1, 0, 0), 5),
        ((2, 0, 0), 10),
        ((7, 0, 0), 15),
        ((0, 1, 0), 3),
        ((0, 2, 0), 6),
        ((0, 3, 0), 9),
        ((0, 0, 1), 2),
        ((0, 0, 2), 4),
        ((0, 0, 30), 6),
    ],
)
def test_ospdc_points_for_sexual_sanction_counts(
    counts: tuple[int, int, int], points: int
) -> None:
    adult, child, non_contact = counts
    raw = man_with_sexual_history(
        contact_adult_sanctions=adult,
        contact_child_sanctions=child,
        non_contact_sanctions=non_contact,
        stranger_victim=None,
        total_sanctions=1,
        age_at_first_sanction=50,
        date_of_most_recent_sexual_sanction=None,
    )
    # 50 at follow-up: 14 - (32 // 3) = 4 points for age.
    assert ospdc_points(parse_rsr_inputs(raw), OSP_V1) == points + 4


def test_example_d_has_31_ospdc_points() -> None:
    # contact adult 1 (5) + non-contact 1 (2) + age 50 (4) + sanction at 50 (10) + earlier
    # sanction (6) + stranger (4)
    assert ospdc_points(parse_rsr_inputs(example("D")), OSP_V1) == 31


def test_stranger_victim_null_scores_as_false() -> None:
    assert scored(man_with_sexual_history(stranger_victim=None)) == scored(
        man_with_sexual_history(stranger_victim=False)
    )


def long_ago(**changes: Any) -> dict[str, Any]:
    """Example D, but follow-up and the last sexual sanction more than five years ago."""
    raw = man_with_sexual_history(
        conviction_date="2019-01-10",
        followup_start_date="2020-01-10",
        date_of_most_recent_sexual_sanction="2019-01-10",
        age_at_first_sanction=40,
    )
    return {**raw, **changes}


def test_ospdc_band_drops_a_level_after_five_years_offence_free_in_the_community() -> None:
    result = score_rsr(parse_rsr_inputs(long_ago()))
    assert result.ospdc_points == 33  # HIGH by points; 44 at follow-up gives 6 for age
    assert result.ospdc_band is Band.MEDIUM


@pytest.mark.parametrize(
    "changes",
    [
        {"supervision_status": "custody"},
        {"followup_start_date": "2021-03-03"},  # 4 whole years before the assessment
        {"date_of_most_recent_sexual_sanction": "2021-03-03"},
        {"most_recent_offence_date": "2025-12-01"},
    ],
)
def test_ospdc_band_keeps_its_level(changes: dict[str, Any]) -> None:
    raw = long_ago()
    raw.update(changes)
    result = score_rsr(parse_rsr_inputs(raw))
    assert result.ospdc_band is Band.HIGH


def test_ospdc_band_reduction_changes_the_band_not_the_score() -> None:
    reduced = score_rsr(parse_rsr_inputs(long_ago()))
    kept = score_rsr(parse_rsr_inputs(long_ago(supervision_status="custody")))
    assert reduced.ospdc_percent == kept.ospdc_percent
    assert (reduced.ospdc_band, kept.ospdc_band) == (Band.MEDIUM, Band.HIGH)


def test_remand_is_not_custody_for_the_band_reduction() -> None:
    result = score_rsr(parse_rsr_inputs(long_ago(supervision_status="remand")))
    assert result.ospdc_band is Band.MEDIUM


def test_low_ospdc_band_stays_low() -> None:
    raw = long_ago(
        contact_adult_sanctions=0,
        non_contact_sanctions=1,
        stranger_victim=False,
        date_of_most_recent_sexual_sanction=None,
    )
    assert score_rsr(parse_rsr_inputs(raw)).ospdc_band is Band.LOW


@pytest.mark.parametrize(
    ("counts", "shown", "band"),
    [
        ((0, 0, 0, 2), "10.31", Band.HIGH),
        ((5, 5, 5, 9), "10.31", Band.HIGH),
        ((0, 0, 0, 1), "3.33", Band.MEDIUM),
        ((0, 2, 0, 0), "0.93", Band.LOW),
        ((0, 1, 0, 0), "0.63", Band.LOW),
        ((1, 0, 0, 0), "0.28", Band.LOW),
        ((0, 0, 1, 0), "0.28", Band.LOW),
    ],
)
def test_ospiic_first_rule_that_matches(
    counts: tuple[int, int, int, int], shown: str, band: Band
) -> None:
    adult, child, non_contact, images = counts
    raw = man_with_sexual_history(
        contact_adult_sanctions=adult,
        contact_child_sanctions=child,
        non_contact_sanctions=non_contact,
        indecent_image_sanctions=images,
    )
    result = score_rsr(parse_rsr_inputs(raw))
    assert (str(result.ospiic_percent), result.ospiic_band) == (shown, band)


def test_woman_with_sexual_history_adds_the_constant() -> None:
    without = score_rsr(parse_rsr_inputs(example("C")))
    raw = example("C", sexual_history=True, current_offence_sexually_motivated=False)
    with_history = score_rsr(parse_rsr_inputs(raw))
    assert with_history.snsv_percent == without.snsv_percent
    assert str(with_history.ospdc_percent) == "0.38"
    assert str(with_history.rsr_percent) == "0.47"
    assert with_history.ospdc_band is Band.NOT_APPLICABLE
    assert with_history.ospiic_band is Band.NOT_APPLICABLE


def test_men_without_sexual_history_have_no_osp() -> None:
    result = score_rsr(parse_rsr_inputs(example("B")))
    assert (result.ospdc_points, result.ospdc_band, result.ospiic_band) == (
        None,
        Band.NOT_APPLICABLE,
        Band.NOT_APPLICABLE,
    )


# Input types: refused, never coerced


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("total_sanctions", True, "total_sanctions must be a whole number, not true"),
        ("total_sanctions", "3", 'total_sanctions must be a whole number, not "3"'),
        ("total_sanctions", 3.0, "total_sanctions must be a whole number, not 3.0"),
        ("total_sanctions", None, "total_sanctions must be given, not null"),
        ("violent_sanctions", [1], "violent_sanctions must be a whole number, not [1]"),
        (
            "contact_adult_sanctions",
            "0",
            'contact_adult_sanctions must be a whole number or null, not "0"',
        ),
        ("sexual_history", 0, "sexual_history must be true or false, not 0"),
        ("sexual_history", "no", 'sexual_history must be true or false, not "no"'),
        ("stranger_victim", "yes", 'stranger_victim must be true, false or null, not "yes"'),
        ("gender", "M", 'gender must be "male" or "female", not "M"'),
        (
            "supervision_status",
            "prison",
            'supervision_status must be "community", "custody" or "remand", not "prison"',
        ),
        ("date_of_birth", "15/06/1999", "date_of_birth must be a date written YYYY-MM-DD"),
        ("date_of_birth", "19990615", "date_of_birth must be a date written YYYY-MM-DD"),
        ("date_of_birth", 19990615, "date_of_birth must be a date written YYYY-MM-DD"),
        ("date_of_birth", "1999-02-30", "date_of_birth (1999-02-30) is not a real date"),
        ("conviction_date", "2026-13-01", "conviction_date (2026-13-01) is not a real date"),
        ("offence_category", "assault", "offence_category must be "),
        ("violence_subtype", "knife", "violence_subtype must be "),
    ],
)
def test_wrong_types_are_refused_naming_the_field(key: str, value: Any, message: str) -> None:
    with pytest.raises(RsrInputError) as caught:
        parse_rsr_inputs(example("B", **{key: value}))
    assert str(caught.value).startswith(message)
    assert caught.value.fields == (key,)


def test_booleans_are_not_accepted_as_true_false_strings_or_numbers() -> None:
    assert "stranger_victim must be true, false or null, not 1" in refusal(
        example("B", stranger_victim=1)
    )


def test_stranger_victim_message_has_no_doubled_or_null() -> None:
    message = refusal(example("B", stranger_victim="yes"))
    assert message == 'stranger_victim must be true, false or null, not "yes"'


def test_missing_keys_are_refused() -> None:
    raw = example("B")
    del raw["gender"], raw["violence_subtype"]
    assert refusal(raw) == "gender is missing; violence_subtype is missing"


def test_most_recent_offence_date_may_be_left_out() -> None:
    raw = example("B")
    assert "most_recent_offence_date" not in raw
    assert parse_rsr_inputs(raw).most_recent_offence_date is None
    assert (
        parse_rsr_inputs({**raw, "most_recent_offence_date": None}).most_recent_offence_date
        is None
    )


def test_unknown_keys_are_refused() -> None:
    assert refusal(example("B", age=26)) == "age is not an input of the RSR"


def test_every_problem_is_reported_at_once() -> None:
    raw = example("B", total_sanctions="9", gender="M", extra=1)
    with pytest.raises(RsrInputError) as caught:
        parse_rsr_inputs(raw)
    assert caught.value.fields == ("extra", "gender", "total_sanctions")


# The rules of rsr.md, each refused with a message naming the field


def test_total_sanctions_at_least_one() -> None:
    message = refusal(example("A", total_sanctions=0, violent_sanctions=0))
    assert message == "total_sanctions (0) must be at least 1: count the current one"


@pytest.mark.parametrize(
    "key",
    ["total_sanctions", "age_at_first_sanction", "violent_sanctions"],
)
def test_counts_not_negative(key: str) -> None:
    assert f"{key} (-1) must not be negative" in refusal(example("B", **{key: -1}))


def test_counts_have_a_ceiling() -> None:
    message = refusal(example("B", total_sanctions=1000))
    assert message == "total_sanctions (1000) must be at most 999"


def test_age_at_first_sanction_not_above_age_at_conviction() -> None:
    message = refusal(example("B", age_at_first_sanction=27))
    assert message == "age_at_first_sanction (27) must not exceed the age at conviction_date (26)"


def test_age_at_first_sanction_may_equal_age_at_conviction() -> None:
    parse_rsr_inputs(example("B", age_at_first_sanction=26))


def test_violent_sanctions_may_equal_total_sanctions() -> None:
    parse_rsr_inputs(example("B", violent_sanctions=9))


def test_followup_not_before_conviction() -> None:
    message = refusal(example("C", followup_start_date="2026-02-15"))
    assert message == (
        "followup_start_date (2026-02-15) must not be before conviction_date (2026-02-16)"
    )


def test_age_at_followup_at_least_ten() -> None:
    # Only reachable with a conviction at 10 and a follow-up the same day: 10 is allowed.
    raw = example(
        "B",
        date_of_birth="2016-03-02",
        age_at_first_sanction=10,
        violent_sanctions=1,
        total_sanctions=1,
    )
    assert parse_rsr_inputs(raw).age_at_followup == 10
    message = refusal({**raw, "date_of_birth": "2016-03-03"})
    assert "conviction_date (2026-03-02) gives an age of 9; it must be at least 10" in message


def test_violence_subtype_required_for_violence_against_the_person() -> None:
    message = refusal(example("B", violence_subtype=None))
    assert message == (
        "violence_subtype must be given when offence_category is violence_against_the_person"
    )


def test_violence_subtype_null_for_other_categories() -> None:
    message = refusal(example("A", violence_subtype="abh_plus"))
    assert message.startswith(
        "violence_subtype must be null unless offence_category is violence_against_the_person"
    )


def test_man_with_sexual_history_needs_sexual_motivation_answered() -> None:
    message = refusal(example("D", current_offence_sexually_motivated=None))
    assert message == (
        "current_offence_sexually_motivated must be true or false for a man with sexual_history"
    )


def test_man_with_sexual_history_needs_all_four_counts() -> None:
    message = refusal(example("D", indecent_image_sanctions=None))
    assert message == (
        "indecent_image_sanctions must be given (0 or more) for a man with sexual_history"
    )


def test_man_with_sexual_history_needs_one_count_above_zero() -> None:
    raw = example("D", contact_adult_sanctions=0, non_contact_sanctions=0)
    message = refusal(raw)
    assert "one of contact_adult_sanctions, contact_child_sanctions, non_contact_sanctions" in (
        message
    )
    assert "the model gives no score" in message


def test_sexually_motivated_with_all_four_counts_zero_is_refused_for_a_woman_too() -> None:
    raw = example(
        "C",
        sexual_history=True,
        current_offence_sexually_motivated=True,
        contact_adult_sanctions=0,
        contact_child_sanctions=0,
        non_contact_sanctions=0,
        indecent_image_sanctions=0,
    )
    assert "are all 0 with sexual_history and a sexually motivated current offence" in (
        refusal(raw)
    )
    parse_rsr_inputs({**raw, "current_offence_sexually_motivated": False})


def test_man_without_sexual_history_counts_zero_or_null() -> None:
    parse_rsr_inputs(example("B", contact_adult_sanctions=0, indecent_image_sanctions=0))
    message = refusal(example("B", contact_child_sanctions=2))
    assert message == "contact_child_sanctions (2) must be 0 or null without sexual_history"


def test_most_recent_sexual_sanction_at_ten_or_more() -> None:
    raw = example("D", date_of_most_recent_sexual_sanction="1985-04-02")
    assert refusal(raw) == (
        "date_of_most_recent_sexual_sanction (1985-04-02) gives an age of 9; "
        "it must be at least 10"
    )
    parse_rsr_inputs({**raw, "date_of_most_recent_sexual_sanction": "1985-04-03"})


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        (
            "conviction_date",
            "2026-03-03",
            "conviction_date (2026-03-03) must not be after assessment_date (2026-03-02)",
        ),
        (
            "date_of_most_recent_sexual_sanction",
            "2026-03-03",
            "date_of_most_recent_sexual_sanction (2026-03-03) must not be after assessment_date",
        ),
        (
            "most_recent_offence_date",
            "2026-04-01",
            "most_recent_offence_date (2026-04-01) must not be after assessment_date",
        ),
        (
            "most_recent_offence_date",
            "1970-01-01",
            "most_recent_offence_date (1970-01-01) must not be before date_of_birth",
        ),
        (
            "date_of_birth",
            "1900-01-01",
            "date_of_birth (1900-01-01) gives an age over 120 at assessment_date",
        ),
    ],
)
def test_impossible_dates_are_refused(key: str, value: str, message: str) -> None:
    assert message in refusal(example("D", **{key: value}))


def test_inputs_cannot_be_built_breaking_a_rule() -> None:
    inputs = parse_rsr_inputs(example("B"))
    with pytest.raises(RsrInputError, match="violent_sanctions"):
        dataclasses.replace(inputs, violent_sanctions=12)


def test_inputs_round_trip_through_json() -> None:
    for name in EXAMPLES:
        inputs = parse_rsr_inputs(example(name))
        assert parse_rsr_inputs(inputs.as_json()) == inputs
        assert set(inputs.as_json()) == set(INPUT_KEYS)


def test_inputs_type_is_frozen() -> None:
    inputs: RsrInputs = parse_rsr_inputs(example("A"))
    with pytest.raises(dataclasses.FrozenInstanceError):
        inputs.total_sanctions = 3  # type: ignore[misc]


# Inputs taken from the case record


def case_answers(**changes: Any) -> dict[str, Any]:
    """Case answers for example B's person, as the case record holds them."""
    answers: dict[str, Any] = {
        "date_of_birth": "1999-06-15",
        "gender": "male",
        "conviction_date": "2026-03-02",
        "sentence_date": "2026-03-02",
        "sentence_type": "community_order",
        "main_offence_code": "00873",
        "main_offence_date": "2025-11-20",
        "rsr_source": "calculated",
    }
    return {**answers, **changes}


CALCULATOR_ANSWERS = {
    "total_sanctions": 9,
    "age_at_first_sanction": 15,
    "violent_sanctions": 5,
    "sexual_history": "no",
}


class FakeCatalogue:
    """Offence code 00873 is violence against the person, ABH and more."""

    def category_of(self, code: str) -> tuple[str | None, str | None]:
        if code == "00873":
            return "violence_against_the_person", "abh_plus"
        return None, None


def test_case_answers_fill_the_calculator_so_nothing_is_typed_twice() -> None:
    inputs, missing = rsr_inputs_from_answers(
        case_answers(), CALCULATOR_ANSWERS, FakeCatalogue(), date(2026, 3, 2)
    )
    assert missing == []
    assert inputs["followup_start_date"] == "2026-03-02"
    assert inputs["supervision_status"] == "community"
    assert (inputs["offence_category"], inputs["violence_subtype"]) == (
        "violence_against_the_person",
        "abh_plus",
    )
    assert inputs["most_recent_offence_date"] == "2025-11-20"
    assert inputs["sexual_history"] is False
    result = score_rsr(parse_rsr_inputs(inputs))
    assert str(result.rsr_percent) == EXAMPLES["B"]["expected"]["rsr_percent"]


def test_custody_sentence_means_custody_supervision() -> None:
    inputs, _ = rsr_inputs_from_answers(
        case_answers(sentence_type="custody"), CALCULATOR_ANSWERS, None, date(2026, 3, 2)
    )
    assert inputs["supervision_status"] == "custody"


def test_without_a_catalogue_the_category_is_asked() -> None:
    inputs, missing = rsr_inputs_from_answers(
        case_answers(), CALCULATOR_ANSWERS, None, date(2026, 3, 2)
    )
    assert missing == ["offence_category"]
    chosen = {**CALCULATOR_ANSWERS, "offence_category": "violence_against_the_person"}
    inputs, missing = rsr_inputs_from_answers(case_answers(), chosen, None, date(2026, 3, 2))
    assert missing == ["violence_subtype"]


def test_calculator_answers_win_over_the_code() -> None:
    chosen = {**CALCULATOR_ANSWERS, "violence_subtype": "weapons_non_firearm"}
    inputs, _ = rsr_inputs_from_answers(case_answers(), chosen, FakeCatalogue(), date(2026, 3, 2))
    assert inputs["violence_subtype"] == "weapons_non_firearm"


def test_missing_case_answers_are_listed_in_input_order() -> None:
    answers = case_answers()
    del answers["date_of_birth"], answers["sentence_date"], answers["sentence_type"]
    _, missing = rsr_inputs_from_answers(answers, {}, FakeCatalogue(), date(2026, 3, 2))
    assert missing == [
        "date_of_birth",
        "followup_start_date",
        "total_sanctions",
        "age_at_first_sanction",
        "violent_sanctions",
        "sexual_history",
        "supervision_status",
    ]


def test_not_known_is_missing_for_a_required_input() -> None:
    _, missing = rsr_inputs_from_answers(
        case_answers(gender=NOT_KNOWN), CALCULATOR_ANSWERS, FakeCatalogue(), date(2026, 3, 2)
    )
    assert missing == ["gender"]


def test_man_with_sexual_history_needs_the_osp_answers() -> None:
    with_history = {**CALCULATOR_ANSWERS, "sexual_history": "yes"}
    _, missing = rsr_inputs_from_answers(
        case_answers(), with_history, FakeCatalogue(), date(2026, 3, 2)
    )
    assert missing == [
        "current_offence_sexually_motivated",
        *SEXUAL_COUNT_KEYS,
        "date_of_most_recent_sexual_sanction",
        "stranger_victim",
    ]
    answered = {
        **with_history,
        "current_offence_sexually_motivated": "yes",
        "contact_adult_sanctions": 1.0,
        "contact_child_sanctions": 0,
        "non_contact_sanctions": "0",
        "indecent_image_sanctions": 0,
        "date_of_most_recent_sexual_sanction": NOT_KNOWN,
        "stranger_victim": NOT_KNOWN,
    }
    inputs, missing = rsr_inputs_from_answers(
        case_answers(), answered, FakeCatalogue(), date(2026, 3, 2)
    )
    assert missing == []
    assert inputs["contact_adult_sanctions"] == 1
    assert inputs["non_contact_sanctions"] == 0
    assert inputs["date_of_most_recent_sexual_sanction"] is None
    assert inputs["stranger_victim"] is None
    parse_rsr_inputs(inputs)


def test_stale_osp_answers_do_not_refuse_a_man_without_sexual_history() -> None:
    stale = {**CALCULATOR_ANSWERS, "contact_adult_sanctions": 3, "stranger_victim": "yes"}
    inputs, missing = rsr_inputs_from_answers(
        case_answers(), stale, FakeCatalogue(), date(2026, 3, 2)
    )
    assert missing == []
    assert inputs["contact_adult_sanctions"] is None
    parse_rsr_inputs(inputs)


def test_a_release_date_given_to_the_calculator_is_the_followup_start() -> None:
    release = {**CALCULATOR_ANSWERS, "followup_start_date": "2027-09-01"}
    inputs, _ = rsr_inputs_from_answers(
        case_answers(sentence_type="custody"), release, FakeCatalogue(), date(2026, 3, 2)
    )
    assert inputs["followup_start_date"] == "2027-09-01"


@pytest.mark.parametrize(
    ("oasys", "calculated", "message"),
    [
        (
            Decimal("6.95"),
            Decimal("6.80"),
            "The OASys RSR (6.95) and the calculated RSR (6.80) differ by 0.15. "
            "Check the inputs before allocation.",
        ),
        (Decimal("2.59"), Decimal("2.60"), None),
        (Decimal("2.59"), Decimal("2.58"), None),
        (Decimal("2.59"), Decimal("2.57"), "differ by 0.02"),
        (6.9, Decimal("6.91"), None),
        (None, Decimal("6.91"), None),
        (Decimal("6.91"), None, None),
    ],
)
def test_rsr_discrepancy(
    oasys: Decimal | float | None, calculated: Decimal | None, message: str | None
) -> None:
    found = rsr_discrepancy(oasys, calculated)
    if message is None:
        assert found is None
    else:
        assert found is not None and message in found


def test_case_rsr_scores_and_flags_a_different_oasys_score() -> None:
    answers = case_answers(rsr_source="oasys", rsr_score=2.75)
    result = work_out_case_rsr(answers, CALCULATOR_ANSWERS, FakeCatalogue(), date(2026, 3, 2))
    assert result.score is not None and str(result.score.rsr_percent) == "2.59"
    assert result.discrepancy == (
        "The OASys RSR (2.75) and the calculated RSR (2.59) differ by 0.16. "
        "Check the inputs before allocation."
    )
    same = case_answers(rsr_source="oasys", rsr_score=2.6)
    agreed = work_out_case_rsr(same, CALCULATOR_ANSWERS, FakeCatalogue(), date(2026, 3, 2))
    assert agreed.discrepancy is None


def test_case_rsr_lists_missing_inputs_or_the_refusal() -> None:
    result = work_out_case_rsr(case_answers(), {}, FakeCatalogue(), date(2026, 3, 2))
    assert result.score is None and "total_sanctions" in result.missing
    too_many = {**CALCULATOR_ANSWERS, "violent_sanctions": 12}
    refused = work_out_case_rsr(case_answers(), too_many, FakeCatalogue(), date(2026, 3, 2))
    assert refused.score is None and refused.missing == ()
    assert [p.message for p in refused.problems] == [
        "violent_sanctions (12) must not exceed total_sanctions (9)"
    ]


# The calculator's form


def test_calculator_form_asks_the_remaining_inputs_by_their_rsr_keys() -> None:
    forms = load_forms()
    form = next(form for form in forms.forms if form.id == "rsr_calculator")
    ids = {question.id for question in form.questions}
    assert ids == {
        "total_sanctions",
        "age_at_first_sanction",
        "violent_sanctions",
        "sexual_history",
        "current_offence_sexually_motivated",
        *SEXUAL_COUNT_KEYS,
        "date_of_most_recent_sexual_sanction",
        "stranger_victim",
        "offence_category",
        "violence_subtype",
    }
    assert ids <= set(INPUT_KEYS)
    assert not any(question.required for question in form.questions)
    everything = {
        "rsr_source": "calculated",
        "sexual_history": "yes",
        "offence_category": "violence_against_the_person",
    }
    for question in form.questions:
        assert visible(question, everything, forms)
        assert not visible(question, {**everything, "rsr_source": "oasys"}, forms)


def test_calculator_form_choices_are_the_model_names_with_the_shipped_titles() -> None:
    forms = load_forms()
    reference = load_offence_reference()
    category = forms.question("offence_category")
    subtype = forms.question("violence_subtype")
    assert [o.value for o in category.options] == list(OFFENCE_CATEGORIES)
    assert [o.value for o in subtype.options] == list(VIOLENCE_SUBTYPES)
    assert [o.label for o in category.options] == [c.title for c in reference.categories]
    assert [o.label for o in subtype.options] == [s.title for s in reference.subtypes]


def test_calculator_form_says_what_counts_as_violent() -> None:
    forms = load_forms()
    for question_id in ("violent_sanctions", "offence_category"):
        help_text = " ".join(forms.question(question_id).help.split())
        assert "Never violent" in help_text
        for violent in ("robbery", "public order and harassment", "criminal damage"):
            assert violent in help_text
        assert "arson" in help_text and "drunkenness" in help_text


@pytest.mark.parametrize(
    ("raw", "ignored"),
    [
        (
            {"gender": "male", "sexual_history": False, "offence_category": "theft_non_motor"},
            ("violence_subtype", *SEXUAL_HISTORY_ITEMS),
        ),
        (
            {"gender": "female", "sexual_history": True, "offence_category": "theft_non_motor"},
            ("violence_subtype", *SEXUAL_HISTORY_ITEMS),
        ),
        (
            {
                "gender": "male",
                "sexual_history": True,
                "offence_category": "violence_against_the_person",
            },
            (),
        ),
    ],
)
def test_inputs_that_do_not_apply_follow_rsr_md(
    raw: dict[str, object], ignored: tuple[str, ...]
) -> None:
    assert inputs_that_do_not_apply(raw) == ignored
