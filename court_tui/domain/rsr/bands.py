"""Risk bands as data, so each predictor states its own cut-offs."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum


class Band(StrEnum):
    """A risk band, written in upper case as OASys and nDelius write it."""

    LOW = "LOW"
    MEDIUM = "MEDIUM"
    HIGH = "HIGH"
    VERY_HIGH = "VERY_HIGH"
    NOT_APPLICABLE = "NOT_APPLICABLE"


_BAND_ORDER = (Band.LOW, Band.MEDIUM, Band.HIGH, Band.VERY_HIGH)


def one_band_lower(band: Band) -> Band:
    """The band below BAND; LOW and NOT_APPLICABLE stay as they are."""
    if band not in _BAND_ORDER or band is Band.LOW:
        return band
    return _BAND_ORDER[_BAND_ORDER.index(band) - 1]


@dataclass(frozen=True, slots=True)
class BandScheme:
    """Cut-offs of a score: LOWEST below the first step, each step's band from its bound up."""

    name: str
    lowest: Band
    steps: tuple[tuple[Decimal, Band], ...]

    def __post_init__(self) -> None:
        bounds = [bound for bound, _ in self.steps]
        if bounds != sorted(bounds) or len(set(bounds)) != len(bounds):
            raise ValueError(f"band scheme {self.name}: bounds must rise")

    def band_for(self, value: Decimal | int) -> Band:
        """The band VALUE falls in; compare the score as it is shown (2 dp), not the raw."""
        band = self.lowest
        for bound, step_band in self.steps:
            if value >= bound:
                band = step_band
        return band

    @property
    def bands(self) -> tuple[Band, ...]:
        """Every band of the scheme, lowest first."""
        return (self.lowest, *(band for _, band in self.steps))


# 6.90 or more means automatic allocation to the NPS; 6.89 is MEDIUM.
RSR_BANDS = BandScheme(
    name="rsr",
    lowest=Band.LOW,
    steps=((Decimal("3.00"), Band.MEDIUM), (Decimal("6.90"), Band.HIGH)),
)
OSPDC_POINT_BANDS = BandScheme(
    name="osp-dc-points",
    lowest=Band.LOW,
    steps=((Decimal(22), Band.MEDIUM), (Decimal(30), Band.HIGH), (Decimal(36), Band.VERY_HIGH)),
)
# The Combined Serious Reoffending Predictor that is replacing RSR has four bands.
CSRP_BANDS = BandScheme(
    name="csrp",
    lowest=Band.LOW,
    steps=(
        (Decimal("1"), Band.MEDIUM),
        (Decimal("3"), Band.HIGH),
        (Decimal("6.9"), Band.VERY_HIGH),
    ),
)
