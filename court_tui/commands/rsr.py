"""`court-tui rsr [FILE]`: work out static RSR scores from JSON inputs."""

from __future__ import annotations

import argparse
import json
from decimal import Decimal
from typing import Any

from court_tui.commands.common import add_command, fail, read_input
from court_tui.commands.output import write_stdout
from court_tui.domain.rsr import INPUT_KEYS, RsrInputError, parse_rsr_inputs, score_rsr
from court_tui.domain.settings import Config

EXIT_ALL_SCORED = 0
EXIT_SOME_REFUSED = 1
EXIT_NOT_JSON = 2

_EPILOG = (
    "Input keys (rsr.md): "
    + ", ".join(INPUT_KEYS)
    + ". Dates are YYYY-MM-DD; counts are JSON whole numbers. Output: snsv_percent, "
    "ospdc_percent, ospiic_percent, rsr_percent (two decimals), band, ospdc_band, ospiic_band."
)


def register(subparsers: Any) -> None:
    """Add `rsr` to the command line."""
    parser = add_command(
        subparsers,
        "rsr",
        run,
        summary="work out static RSR scores from JSON inputs",
        description=(
            "Work out the static RSR for one JSON object of inputs, or for each object of a "
            "JSON array (one result per item, in order; a refused item gives "
            '{"error": ...}). Exit 0 when every input is scored, 1 when any is refused, '
            "2 when the input is not JSON."
        ),
        epilog=_EPILOG,
    )
    parser.add_argument(
        "file", metavar="FILE", nargs="?", default="-", help="the inputs (default: stdin)"
    )


class _JsonObject(dict[str, Any]):
    """A decoded JSON object that remembers keys written more than once."""

    repeated: tuple[str, ...] = ()


def _object(pairs: list[tuple[str, Any]]) -> _JsonObject:
    decoded = _JsonObject(pairs)
    if len(decoded) != len(pairs):
        counts: dict[str, int] = {}
        for key, _ in pairs:
            counts[key] = counts.get(key, 0) + 1
        decoded.repeated = tuple(key for key, count in counts.items() if count > 1)
    return decoded


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def _score_item(item: object) -> tuple[dict[str, Any], str | None]:
    """The output for one input item, and the refusal message if it was refused."""
    if not isinstance(item, dict):
        message = f"each input must be a JSON object, not {json.dumps(item)[:40]}"
        return {"error": message}, message
    if isinstance(item, _JsonObject) and item.repeated:
        message = "; ".join(f"{key} is given more than once" for key in item.repeated)
        return {"error": message}, message
    try:
        inputs = parse_rsr_inputs(item)
    except RsrInputError as exc:
        return {"error": str(exc)}, str(exc)
    return score_rsr(inputs).as_output(), None


def _encode(output: dict[str, Any]) -> str:
    # Scores are printed as written (6.90, not 6.9): two decimals are part of the answer.
    fields = (
        f'"{key}": {value}' if isinstance(value, Decimal) else f'"{key}": {json.dumps(value)}'
        for key, value in output.items()
    )
    return "{" + ", ".join(fields) + "}"


def run(args: argparse.Namespace, config: Config) -> int:
    """Score the inputs named in ARGS; returns the exit code."""
    try:
        data = read_input(args.file)
    except OSError as exc:
        return fail("rsr", f"cannot read {args.file}: {exc.strerror or exc}", EXIT_NOT_JSON)
    try:
        document = json.loads(data, object_pairs_hook=_object, parse_constant=_refuse_constant)
    except (ValueError, RecursionError) as exc:
        return fail("rsr", f"the input is not JSON: {exc}", EXIT_NOT_JSON)
    if isinstance(document, dict):
        output, refusal = _score_item(document)
        write_stdout(_encode(output) + "\n")
        if refusal is not None:
            return fail("rsr", f"refused: {refusal}", EXIT_SOME_REFUSED)
        return EXIT_ALL_SCORED
    if not isinstance(document, list):
        return fail(
            "rsr", "the input must be a JSON object of inputs or an array of them", EXIT_NOT_JSON
        )
    refused: list[int] = []
    lines: list[str] = []
    for number, item in enumerate(document, start=1):
        output, refusal = _score_item(item)
        lines.append(_encode(output))
        if refusal is not None:
            refused.append(number)
    write_stdout("[\n" + ",\n".join(lines) + "\n]\n" if lines else "[]\n")
    if refused:
        shown = ", ".join(str(n) for n in refused[:10]) + (", ..." if len(refused) > 10 else "")
        return fail(
            "rsr",
            f"{len(refused)} of {len(document)} inputs refused (items {shown}, counting from 1); "
            'each has an "error"',
            EXIT_SOME_REFUSED,
        )
    return EXIT_ALL_SCORED
