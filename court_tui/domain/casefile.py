"""The JSON case file: one case, versioned, read back exactly as it was written."""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from court_tui.domain.bounds import MAX_CASE_FILE_BYTES, safe_text
from court_tui.domain.case import CaseRecord
from court_tui.domain.forms import FormSet

FORMAT_NAME: Literal["court-tui-case"] = "court-tui-case"
FORMAT_VERSION = 1


class CaseFile(BaseModel):
    """The envelope around one case record."""

    model_config = ConfigDict(extra="forbid", title="court-tui case file")

    format: Literal["court-tui-case"] = FORMAT_NAME
    format_version: int = FORMAT_VERSION
    case: CaseRecord


class Unusable(StrEnum):
    """Why a file cannot be used as a case."""

    NOT_JSON = "not_json"
    NOT_A_CASE = "not_a_case"
    NEWER_VERSION = "newer_version"


class CaseFileError(Exception):
    """A file that cannot be used as a case, with the reason in plain words."""

    def __init__(self, reason: Unusable, message: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message


def dumps(record: CaseRecord) -> str:
    """RECORD as the text of a case file."""
    envelope = CaseFile(case=record)
    return envelope.model_dump_json(indent=2) + "\n"


def json_schema() -> dict[str, Any]:
    """The JSON Schema of the case file, generated from the models."""
    schema = CaseFile.model_json_schema(mode="serialization")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://court-tui.example/schema/case-file-v1.json"
    return schema


def describe_error(error: ValidationError) -> str:
    """Where a case was refused and why, in words: the first of ERROR's problems."""
    first = error.errors()[0]
    where = ".".join(safe_text(str(part)) for part in first["loc"]) or "the file"
    message = first["msg"].removeprefix("Value error, ")
    return f"{where}: {message}"


def _check_ids(record: CaseRecord, forms: FormSet) -> None:
    check_ids = {kind.id for kind in forms.check_kinds()}
    answer_ids = {q.id for form in forms.forms if not form.checks for q in form.questions}
    for question_id in record.answers:
        if question_id not in answer_ids:
            raise CaseFileError(
                Unusable.NOT_A_CASE,
                f"Not a court-tui case: answers has an unknown question "
                f"'{safe_text(question_id)}'",
            )
    for kind in record.checks:
        if kind not in check_ids:
            raise CaseFileError(
                Unusable.NOT_A_CASE, f"Not a court-tui case: unknown check '{safe_text(kind)}'"
            )
    for follow_up in record.follow_ups:
        if follow_up.question not in answer_ids and follow_up.question not in check_ids:
            raise CaseFileError(
                Unusable.NOT_A_CASE,
                f"Not a court-tui case: a follow-up is for an unknown question "
                f"'{safe_text(follow_up.question)}'",
            )


def loads(text: str | bytes, forms: FormSet) -> CaseRecord:
    """The case in the case file TEXT; raises CaseFileError saying why it cannot be used."""
    if len(text) > MAX_CASE_FILE_BYTES:
        raise CaseFileError(
            Unusable.NOT_A_CASE,
            f"Not a court-tui case: the file is {len(text):,} bytes long; a case file is "
            f"at most {MAX_CASE_FILE_BYTES:,}",
        )
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise CaseFileError(Unusable.NOT_JSON, f"Not JSON: {exc}") from None
    except RecursionError:
        raise CaseFileError(
            Unusable.NOT_A_CASE, "Not a court-tui case: it is nested too deeply"
        ) from None
    return from_data(data, forms)


def from_data(data: object, forms: FormSet) -> CaseRecord:
    """The case in already-parsed case file DATA; raises CaseFileError when unusable."""
    if not isinstance(data, dict) or data.get("format") != FORMAT_NAME:
        raise CaseFileError(
            Unusable.NOT_A_CASE,
            f'Not a court-tui case file: it has no "format": "{FORMAT_NAME}"',
        )
    version = data.get("format_version")
    if isinstance(version, bool) or not isinstance(version, int):
        raise CaseFileError(
            Unusable.NOT_A_CASE, "Not a court-tui case file: format_version is not a number"
        )
    if version > FORMAT_VERSION:
        raise CaseFileError(
            Unusable.NEWER_VERSION,
            f"This case file is format version {version}, from a newer court-tui; this "
            f"version reads up to version {FORMAT_VERSION}. Update court-tui to open it.",
        )
    if version < 1:
        raise CaseFileError(
            Unusable.NOT_A_CASE, f"Not a court-tui case file: format_version {version}"
        )
    try:
        envelope = CaseFile.model_validate(data)
    except ValidationError as exc:
        raise CaseFileError(
            Unusable.NOT_A_CASE, f"Not a usable court-tui case: {describe_error(exc)}"
        ) from None
    except RecursionError:
        raise CaseFileError(
            Unusable.NOT_A_CASE, "Not a court-tui case: nested too deeply"
        ) from None
    _check_ids(envelope.case, forms)
    return envelope.case
