"""`court-tui rsr [FILE]`: work out static RSR scores from JSON inputs or from a case file."""

from __future__ import annotations

import argparse
import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from court_tui.commands.common import (
    OptionError,
    add_command,
    add_today_option,
    fail,
    fixed_day,
    read_input,
)
from court_tui.commands.output import write_stdout
from court_tui.domain.casefile import FORMAT_NAME, CaseFileError, from_data
from court_tui.domain.fields import Case, RsrCalculator
from court_tui.domain.forms import FormError, load_forms
from court_tui.domain.offences import OffenceCatalogue, OffenceDataError, read_offence_mapping
from court_tui.domain.rsr import INPUT_KEYS, RsrInputError, parse_rsr_inputs, score_rsr
from court_tui.domain.rsr.from_case import with_inapplicable_inputs_null, work_out_case_rsr
from court_tui.domain.settings import Config

EXIT_ALL_SCORED = 0
EXIT_SOME_REFUSED = 1
EXIT_NOT_JSON = 2

_EPILOG = (
    "Input keys (rsr.md): "
    + ", ".join(INPUT_KEYS)
    + ". Inputs that do not apply may be left out: violence_subtype unless the category is "
    "violence_against_the_person, and the sexual-history items unless the person is a man "
    "with sexual_history true. Dates are YYYY-MM-DD; counts are JSON whole numbers. "
    "Output: snsv_percent, ospdc_percent, ospiic_percent, rsr_percent (two decimals), band, "
    "ospdc_band, ospiic_band."
)


def register(subparsers: Any) -> None:
    """Add `rsr` to the command line."""
    parser = add_command(
        subparsers,
        "rsr",
        run,
        summary="work out static RSR scores from JSON inputs or a case file",
        description=(
            "Work out the static RSR for one JSON object of inputs, or for each object of a "
            "JSON array (one result per item, in order; a refused item gives "
            '{"error": ...}), or for a court-tui case file (as `court-tui export CASE --format '
            "json` writes): its answers give the inputs, and --set gives any the case does "
            "not hold. Exit 0 when every input is scored, 1 when any is refused or missing, "
            "2 when the input is not JSON or not a usable case."
        ),
        epilog=_EPILOG,
    )
    parser.add_argument(
        "file",
        metavar="FILE",
        nargs="?",
        default="-",
        help="the inputs or a case file (default: stdin)",
    )
    parser.add_argument(
        "--set",
        metavar="KEY=VALUE",
        action="append",
        default=[],
        dest="given",
        help="with a case file: an input the case does not hold, e.g. --set total_sanctions=3 "
        "(VALUE is read as JSON when it can be, else as text)",
    )
    parser.add_argument(
        "--offences",
        metavar="FILE",
        help="with a case file: an offence mapping (as `court-tui offences import` takes) "
        "to find the offence category from the main offence code",
    )
    add_today_option(parser, "work the score out (the assessment date)")


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
        inputs = parse_rsr_inputs(with_inapplicable_inputs_null(item))
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


def _given(pairs: list[str]) -> dict[str, object]:
    """The --set KEY=VALUE pairs; raises OptionError for one that is not KEY=VALUE."""
    given: dict[str, object] = {}
    for pair in pairs:
        key, equals, text = pair.partition("=")
        if not equals or not key.strip():
            raise OptionError(f"--set takes KEY=VALUE, e.g. --set total_sanctions=3, not {pair!r}")
        if key.strip() not in INPUT_KEYS:
            raise OptionError(f"--set {key.strip()}: not an input of the RSR (see --help)")
        try:
            value: object = json.loads(text)
        except ValueError:
            value = text
        given[key.strip()] = value
    return given


def _catalogue(name: str | None) -> OffenceCatalogue | None:
    """The offence mapping in the file NAME, or None when none is named."""
    if name is None:
        return None
    try:
        return read_offence_mapping(Path(name).read_bytes())
    except OSError as exc:
        raise OptionError(f"cannot read {name}: {exc.strerror or exc}") from None
    except OffenceDataError as exc:
        raise OptionError(f"--offences {name}: {exc}") from None


def _score_case(document: dict[str, Any], args: argparse.Namespace) -> int:
    """Score the case in DOCUMENT, asking only for the inputs that apply and it lacks."""
    try:
        given = _given(args.given)
        catalogue = _catalogue(args.offences)
        today = fixed_day(args) or date.today()
        record = from_data(document, load_forms())
    except (OptionError, CaseFileError, FormError) as exc:
        return fail("rsr", str(exc), EXIT_NOT_JSON)
    result = work_out_case_rsr(record.answers, given, catalogue, today)
    if result.missing:
        message = (
            "the case does not give "
            + ", ".join(result.missing)
            + "; give each with --set KEY=VALUE, e.g. --set "
            + f"{result.missing[0]}=..."
        )
        code = record.answers.get(Case.MAIN_OFFENCE_CODE)
        if RsrCalculator.OFFENCE_CATEGORY in result.missing and isinstance(code, str):
            message += (
                f"; or give an offence mapping with --offences FILE to find the category of "
                f"the main offence code {code}"
            )
        write_stdout(_encode({"error": message}) + "\n")
        return fail("rsr", message, EXIT_SOME_REFUSED)
    if result.score is None:
        refusal = "; ".join(problem.message for problem in result.problems)
        write_stdout(_encode({"error": refusal}) + "\n")
        return fail("rsr", f"refused: {refusal}", EXIT_SOME_REFUSED)
    write_stdout(_encode(result.score.as_output()) + "\n")
    return EXIT_ALL_SCORED


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
        if document.get("format") == FORMAT_NAME:
            return _score_case(document, args)
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
