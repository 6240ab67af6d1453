"""The static RSR's published coefficients (rsr.md), apart from the arithmetic that uses
them, so that a new version of the weights is a new table here and nothing else."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from types import MappingProxyType

from court_tui.domain.rsr.bands import OSPDC_POINT_BANDS, BandScheme
from court_tui.domain.rsr.inputs import OFFENCE_CATEGORIES, VIOLENCE_SUBTYPES, Gender


@dataclass(frozen=True, slots=True)
class BySex:
    """A weight that differs for men and women."""

    male: float
    female: float

    def for_gender(self, gender: Gender) -> float:
        """The weight for GENDER."""
        return self.male if gender is Gender.MALE else self.female


@dataclass(frozen=True, slots=True)
class StaticSnsvCoefficients:
    """The static two-year SNSV: a logistic regression on criminal history and age."""

    intercept: float
    female: float
    age_polynomial: Mapping[Gender, tuple[float, float, float, float]]
    offence_category: Mapping[str, float]
    violence_subtype: Mapping[str, float]
    second_sanction_years: BySex
    months_since_sanction: tuple[float, float, float, float]
    months_since_sanction_cap: int
    three_plus_sanctions: BySex
    no_violent_sanctions: BySex
    one_violent_sanction: float
    per_violent_sanction: float
    violence_rate: float
    per_sanction: float
    one_sanction: float
    two_sanctions: float


@dataclass(frozen=True, slots=True)
class OspCoefficients:
    """OSP/DC points and logistic weights, OSP/IIC rules, and the constant for women."""

    contact_adult_points: tuple[int, int, int]
    contact_child_points: tuple[int, int, int]
    non_contact_points: tuple[int, int, int]
    age_points_start: int
    age_points_from: int
    age_points_every_years: int
    age_points_zero_from: int
    sexual_sanction_age_points: tuple[tuple[int, int], ...]
    earlier_sanction_points: int
    stranger_victim_points: int
    ospdc_intercept: float
    ospdc_per_point: float
    ospdc_bands: BandScheme
    band_reduction_years: int
    female_with_sexual_history_percent: Decimal


STATIC_SNSV_V1 = StaticSnsvCoefficients(
    intercept=3.60407707356772,
    female=-16.6220270089011,
    age_polynomial=MappingProxyType(
        {
            Gender.MALE: (
                -0.546062410902905,
                0.0170043887737295,
                -0.000232716989498981,
                0.000001094922933981,
            ),
            Gender.FEMALE: (
                1.09365106131567,
                -0.042733609488121,
                0.000697583963826421,
                -0.00000404895085233227,
            ),
        }
    ),
    offence_category=MappingProxyType(
        {
            "absconding_or_bail": 0.304896300301182,
            "acquisitive_violence": 0.326858080852591,
            "burglary_domestic": 0.151649692548355,
            "burglary_other": -0.194200416367268,
            "criminal_damage": 0.186977546333514,
            "drink_driving": -0.212258595209629,
            "drug_import_export_or_production": 0.0818982459627011,
            "drug_possession_or_supply": 0.0694507822486554,
            "drunkenness": 0.0841789642942883,
            "fraud_and_forgery": -0.136811424047985,
            "handling_stolen_goods": -0.2245058213129,
            "motoring_offences": -0.0286442357674878,
            "other_offences": -0.215779995107354,
            "public_order_and_harassment": 0.0446132016665715,
            "sexual_against_child": -0.442179128494551,
            "sexual_not_against_child": -0.0455228893277184,
            "theft_non_motor": 0.0202407984946185,
            "vehicle_related_theft": 0.226781312933932,
            "violence_against_the_person": 0.0192703822415124,
            "welfare_fraud": -0.0169128022430282,
        }
    ),
    violence_subtype=MappingProxyType(
        {
            "firearms_most_serious": 0.503126183131338,
            "firearms_other": 0.296194351653227,
            "weapons_non_firearm": 0.331898861349699,
            "abh_plus": 0.238802610774108,
            "sub_abh": 0.0,
        }
    ),
    second_sanction_years=BySex(male=-0.0292205730647305, female=-0.0841673003341906),
    months_since_sanction=(
        -0.038382727965819,
        0.000548515180678996,
        0.0000662558757635182,
        -0.00000159636460181398,
    ),
    months_since_sanction_cap=36,
    three_plus_sanctions=BySex(male=0.769213898314811, female=0.793186572461819),
    no_violent_sanctions=BySex(male=-0.942816163300621, female=-2.32321324569237),
    one_violent_sanction=-0.0633592949212861,
    per_violent_sanction=0.0188685880078656,
    violence_rate=0.207442427665471,
    per_sanction=-0.0147495874606046,
    one_sanction=-2.09447596484765,
    two_sanctions=-1.67613460779912,
)

OSP_V1 = OspCoefficients(
    contact_adult_points=(5, 10, 15),
    contact_child_points=(3, 6, 9),
    non_contact_points=(2, 4, 6),
    age_points_start=14,
    age_points_from=18,
    age_points_every_years=3,
    age_points_zero_from=60,
    sexual_sanction_age_points=((10, 0), (16, 5), (18, 10)),
    earlier_sanction_points=6,
    stranger_victim_points=4,
    ospdc_intercept=-8.633,
    ospdc_per_point=0.1598,
    ospdc_bands=OSPDC_POINT_BANDS,
    band_reduction_years=5,
    female_with_sexual_history_percent=Decimal("0.38"),
)

if set(STATIC_SNSV_V1.offence_category) != set(OFFENCE_CATEGORIES) or set(
    STATIC_SNSV_V1.violence_subtype
) != set(VIOLENCE_SUBTYPES):
    raise RuntimeError("the static SNSV weights do not cover the input categories")
