"""The offence codes as the store keeps them: reference data of one kind, read back here.

`court-tui offences import` writes them and a sync may bring a mapping published centrally;
the command line and the app both read them through `stored_catalogue`.
"""

from __future__ import annotations

from typing import Any

from court_tui.domain.offences import (
    OffenceCatalogue,
    OffenceDataError,
    empty_catalogue,
    parse_offence_mapping,
)

OFFENCE_CODES_KIND = "offence-codes"


def offence_codes_payload(
    catalogue: OffenceCatalogue, *, source: str, imported_on: str
) -> dict[str, Any]:
    """CATALOGUE's codes as the reference data the store keeps."""
    return {
        "kind": OFFENCE_CODES_KIND,
        "source": source,
        "imported_on": imported_on,
        "codes": catalogue.to_mapping(),
    }


def stored_catalogue(payload: dict[str, Any] | None) -> OffenceCatalogue:
    """The catalogue kept as reference data (a raw mapping published centrally works too)."""
    if payload is None:
        return empty_catalogue()
    codes = payload.get("codes") if payload.get("kind") == OFFENCE_CODES_KIND else payload
    try:
        return parse_offence_mapping(codes)
    except OffenceDataError as exc:
        raise OffenceDataError(
            f"the offence codes in the local store are damaged ({exc}); import them again"
        ) from None
