"""The built-in RSR calculator: validated inputs, the static model, its bands."""

from court_tui.domain.rsr.bands import CSRP_BANDS, RSR_BANDS, Band, BandScheme
from court_tui.domain.rsr.inputs import (
    INPUT_KEYS,
    OFFENCE_CATEGORIES,
    VIOLENCE_SUBTYPES,
    Gender,
    InputProblem,
    RsrInputError,
    RsrInputs,
    SupervisionStatus,
    parse_rsr_inputs,
)
from court_tui.domain.rsr.model import PREDICTORS, STATIC_RSR_V1, Predictor, RsrScore


def score_rsr(inputs: RsrInputs) -> RsrScore:
    """The RSR for INPUTS with the current predictor (static RSR v1)."""
    return STATIC_RSR_V1.score(inputs)


__all__ = [
    "CSRP_BANDS",
    "INPUT_KEYS",
    "OFFENCE_CATEGORIES",
    "PREDICTORS",
    "RSR_BANDS",
    "STATIC_RSR_V1",
    "VIOLENCE_SUBTYPES",
    "Band",
    "BandScheme",
    "Gender",
    "InputProblem",
    "Predictor",
    "RsrInputError",
    "RsrInputs",
    "RsrScore",
    "SupervisionStatus",
    "parse_rsr_inputs",
    "score_rsr",
]
