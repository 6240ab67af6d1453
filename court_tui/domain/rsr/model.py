"""The static RSR (SNSV + OSP/DC + OSP/IIC) as a named, versioned predictor.

Every coefficient is the public one in rsr.md, and the arithmetic is done as rsr.md and
the published Java implementation do it: doubles, terms summed in rsr.md's order,
polynomials by Horner's rule, HALF_UP rounding of the exact binary value as BigDecimal
does. A score that is off by 0.01 can cross 6.90 and change who supervises the person.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from types import MappingProxyType
from typing import Generic, TypeVar

from court_tui.domain.rsr.bands import (
    RSR_BANDS,
    Band,
    BandScheme,
    one_band_lower,
)
from court_tui.domain.rsr.coefficients import (
    OSP_V1,
    STATIC_SNSV_V1,
    OspCoefficients,
    StaticSnsvCoefficients,
)
from court_tui.domain.rsr.inputs import (
    VIOLENCE_AGAINST_THE_PERSON,
    Gender,
    RsrInputs,
    SupervisionStatus,
)
from court_tui.domain.rsr.javatime import chrono_months, period_years

_CENT = Decimal("0.01")
_SIXTEEN_PLACES = Decimal("1e-16")
_FOUR_PLACES = Decimal("0.0001")
LOWEST_SCORE = Decimal("0.00")
HIGHEST_SCORE = Decimal("99.99")


@dataclass(frozen=True, slots=True)
class RsrScore:
    """A worked-out RSR with its parts, each in percent to two decimals."""

    predictor: str
    snsv_percent: Decimal
    ospdc_percent: Decimal
    ospiic_percent: Decimal
    rsr_percent: Decimal
    band: Band
    ospdc_band: Band
    ospiic_band: Band
    ospdc_points: int | None = None

    def as_output(self) -> dict[str, Decimal | str]:
        """The seven fields `court-tui rsr` prints, in its order."""
        return {
            "snsv_percent": self.snsv_percent,
            "ospdc_percent": self.ospdc_percent,
            "ospiic_percent": self.ospiic_percent,
            "rsr_percent": self.rsr_percent,
            "band": self.band.value,
            "ospdc_band": self.ospdc_band.value,
            "ospiic_band": self.ospiic_band.value,
        }


InputsT = TypeVar("InputsT")


@dataclass(frozen=True, slots=True)
class Predictor(Generic[InputsT]):
    """A scoring model with a name and version, so scores can say which model made them."""

    name: str
    version: str
    title: str
    bands: BandScheme
    score: Callable[[InputsT], RsrScore]

    @property
    def key(self) -> str:
        """`name/version`, as recorded beside a score."""
        return f"{self.name}/{self.version}"


def percent(probability: float) -> Decimal:
    """PROBABILITY in percent, 2 dp HALF_UP on the double's exact binary value."""
    # Rounded to 4 places before scaling: Decimal's 28-digit multiplication would round the
    # exact value first (Java's BigDecimal multiplies exactly).
    return Decimal(probability).quantize(_FOUR_PLACES, rounding=ROUND_HALF_UP).scaleb(2)


def round_16(value: float) -> float:
    """VALUE rounded to 16 decimal places HALF_UP, back as a double."""
    return float(Decimal(value).quantize(_SIXTEEN_PLACES, rounding=ROUND_HALF_UP))


def sigmoid(logit: float) -> float:
    """e^L / (1 + e^L), as the published implementation computes it."""
    if logit > 700:  # e^L overflows a double; the probability is 1 to every printed place
        return 1.0 / (1.0 + math.exp(-logit))
    odds = math.exp(logit)
    return odds / (1 + odds)


def _horner(coefficients: tuple[float, float, float, float], x: float) -> float:
    c0, c1, c2, c3 = coefficients
    return ((c3 * x + c2) * x + c1) * x + c0


def snsv_logit(inputs: RsrInputs, weights: StaticSnsvCoefficients) -> float:
    """The SNSV linear predictor L, its terms summed in the published order."""
    gender = inputs.gender
    age = float(inputs.age_at_followup)
    sanctions = inputs.total_sanctions
    violent = inputs.violent_sanctions
    years_since_first = inputs.age_at_conviction - inputs.age_at_first_sanction

    months = 0
    if inputs.followup_start_date < inputs.assessment_date:
        months = min(
            chrono_months(inputs.followup_start_date, inputs.assessment_date),
            weights.months_since_sanction_cap,
        )
    if violent == 0:
        violent_history = weights.no_violent_sanctions.for_gender(gender)
    elif violent == 1:
        violent_history = weights.one_violent_sanction
    else:
        violent_history = 0.0
    violence_rate = 0.0
    if violent >= 1:
        violence_rate = round_16(
            math.log(violent / (years_since_first + 30)) * weights.violence_rate
        )
    subtype = 0.0
    if inputs.offence_category == VIOLENCE_AGAINST_THE_PERSON and inputs.violence_subtype:
        subtype = weights.violence_subtype[inputs.violence_subtype]

    terms = (
        weights.intercept,
        weights.female if gender is Gender.FEMALE else 0.0,
        age * _horner(weights.age_polynomial[gender], age),
        weights.offence_category[inputs.offence_category],
        years_since_first * weights.second_sanction_years.for_gender(gender)
        if sanctions == 2
        else 0.0,
        months * _horner(weights.months_since_sanction, float(months)),
        math.log(sanctions / (years_since_first + 12))
        * weights.three_plus_sanctions.for_gender(gender)
        if sanctions >= 3
        else 0.0,
        violent_history,
        violent * weights.per_violent_sanction,
        violence_rate,
        subtype,
        sanctions * weights.per_sanction,
        weights.one_sanction
        if sanctions == 1
        else weights.two_sanctions
        if sanctions == 2
        else 0.0,
    )
    logit = 0.0
    for term in terms:
        logit += term
    return logit


def snsv_probability(inputs: RsrInputs, weights: StaticSnsvCoefficients) -> float:
    """The static two-year SNSV probability, rounded to 16 dp as published."""
    return round_16(sigmoid(snsv_logit(inputs, weights)))


def _count_points(count: int, points: tuple[int, int, int]) -> int:
    return 0 if count <= 0 else points[min(count, 3) - 1]


def ospdc_points(inputs: RsrInputs, osp: OspCoefficients) -> int:
    """OSP/DC points for a man with a sexual history."""
    contact_adult, contact_child, non_contact, _ = inputs.sexual_counts()
    age = inputs.age_at_followup
    if age >= osp.age_points_zero_from:
        age_points = 0
    else:
        age_points = osp.age_points_start - max(
            0, (age - osp.age_points_from) // osp.age_points_every_years
        )
    sexual_sanction_points = 0
    latest = inputs.date_of_most_recent_sexual_sanction
    if latest is not None:
        age_then = period_years(inputs.date_of_birth, latest)
        for from_age, points in osp.sexual_sanction_age_points:
            if age_then >= from_age:
                sexual_sanction_points = points
    return (
        _count_points(contact_adult, osp.contact_adult_points)
        + _count_points(contact_child, osp.contact_child_points)
        + _count_points(non_contact, osp.non_contact_points)
        + age_points
        + sexual_sanction_points
        + (osp.earlier_sanction_points if inputs.total_sanctions >= 2 else 0)
        + (osp.stranger_victim_points if inputs.stranger_victim else 0)
    )


def ospdc_band_reduced(inputs: RsrInputs, band: Band, osp: OspCoefficients) -> Band:
    """BAND one level lower when the person has been in the community offence-free long enough.

    The band drops only when none of these hold: custody; follow-up started less than five
    whole years ago; a sexual sanction or offence less than five years ago; band LOW.
    """
    assessed = inputs.assessment_date
    years = osp.band_reduction_years

    def recent(when: date | None) -> bool:
        return when is not None and period_years(when, assessed) < years

    keeps_band = (
        inputs.supervision_status is SupervisionStatus.CUSTODY
        or period_years(inputs.followup_start_date, assessed) < years
        or recent(inputs.date_of_most_recent_sexual_sanction)
        or recent(inputs.most_recent_offence_date)
        or band is Band.LOW
    )
    return band if keeps_band else one_band_lower(band)


def ospiic(inputs: RsrInputs) -> tuple[float, Band]:
    """OSP/IIC probability and band: the first rule that matches."""
    contact_adult, contact_child, non_contact, images = inputs.sexual_counts()
    if images >= 2:
        return 0.10310, Band.HIGH
    if images == 1:
        return 0.03328, Band.MEDIUM
    if contact_child >= 2:
        return 0.00926, Band.LOW
    if contact_child == 1:
        return 0.00634, Band.LOW
    if contact_adult == contact_child == non_contact == images == 0:
        return 0.00062, Band.LOW
    return 0.00281, Band.LOW


def score_static_rsr(
    inputs: RsrInputs,
    snsv: StaticSnsvCoefficients,
    osp: OspCoefficients,
    predictor_key: str,
) -> RsrScore:
    """The static RSR for INPUTS with the given coefficients."""
    snsv_percent = percent(snsv_probability(inputs, snsv))
    ospdc_percent = ospiic_percent = LOWEST_SCORE
    ospdc_band = ospiic_band = Band.NOT_APPLICABLE
    points: int | None = None
    if inputs.is_man_with_sexual_history:
        points = ospdc_points(inputs, osp)
        probability = 0.0
        if points:
            probability = sigmoid(osp.ospdc_intercept + osp.ospdc_per_point * points)
        ospdc_percent = percent(probability)
        ospdc_band = ospdc_band_reduced(inputs, osp.ospdc_bands.band_for(points), osp)
        iic_probability, ospiic_band = ospiic(inputs)
        ospiic_percent = percent(iic_probability)
    elif inputs.sexual_history:
        ospdc_percent = osp.female_with_sexual_history_percent
    total = float(snsv_percent) + float(ospdc_percent) + float(ospiic_percent)
    rsr_percent = Decimal(total).quantize(_CENT, rounding=ROUND_HALF_UP)
    if rsr_percent <= 0:
        rsr_percent = LOWEST_SCORE
    elif rsr_percent >= 100:
        rsr_percent = HIGHEST_SCORE
    return RsrScore(
        predictor=predictor_key,
        snsv_percent=snsv_percent,
        ospdc_percent=ospdc_percent,
        ospiic_percent=ospiic_percent,
        rsr_percent=rsr_percent,
        band=RSR_BANDS.band_for(rsr_percent),
        ospdc_band=ospdc_band,
        ospiic_band=ospiic_band,
        ospdc_points=points,
    )


_STATIC_RSR_NAME = "rsr-static"
_STATIC_RSR_V1_VERSION = "1"


def _score_static_rsr_v1(inputs: RsrInputs) -> RsrScore:
    key = f"{_STATIC_RSR_NAME}/{_STATIC_RSR_V1_VERSION}"
    return score_static_rsr(inputs, STATIC_SNSV_V1, OSP_V1, key)


STATIC_RSR_V1: Predictor[RsrInputs] = Predictor(
    name=_STATIC_RSR_NAME,
    version=_STATIC_RSR_V1_VERSION,
    title="RSR, static (SNSV static two-year + OSP/DC + OSP/IIC)",
    bands=RSR_BANDS,
    score=_score_static_rsr_v1,
)

PREDICTORS: Mapping[str, Predictor[RsrInputs]] = MappingProxyType(
    {STATIC_RSR_V1.key: STATIC_RSR_V1}
)
