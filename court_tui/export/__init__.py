"""Written records of a case: the oral report, the CAS and the handover, as PDF, text or Markdown.

PI 04/2016 asks for every oral report to be recorded in writing and uploaded to the case
management system; many responsible officers never read the CAS. `export_case` is the one
call the command line and the app both use.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from pathlib import Path

from court_tui.domain.allocation import AllocationLabels
from court_tui.domain.case import CaseRecord
from court_tui.domain.casefile import dumps
from court_tui.domain.fields import Case
from court_tui.domain.forms import FormSet
from court_tui.domain.settings import EXPORT_FOLDER
from court_tui.domain.values import require_choice
from court_tui.export.document import (
    ALL,
    DOCUMENT_TITLES,
    DOCUMENTS,
    MARKING,
    Document,
    Paragraph,
    Part,
    Row,
    Section,
    build_document,
)
from court_tui.export.pdf import to_pdf
from court_tui.export.text import to_markdown, to_text

FORMATS = ("pdf", "txt", "md", "json")
MEDIA_TYPES = {
    "pdf": "application/pdf",
    "txt": "text/plain; charset=utf-8",
    "md": "text/markdown; charset=utf-8",
    "json": "application/json",
}

__all__ = [
    "ALL",
    "DOCUMENTS",
    "DOCUMENT_TITLES",
    "FORMATS",
    "MARKING",
    "MEDIA_TYPES",
    "Document",
    "Paragraph",
    "Part",
    "Row",
    "Section",
    "build_document",
    "export_case",
    "suggested_filename",
    "to_markdown",
    "to_pdf",
    "to_text",
]


def export_case(
    record: CaseRecord,
    forms: FormSet,
    document: str,
    fmt: str,
    today: date,
    labels: AllocationLabels | None = None,
) -> bytes:
    """DOCUMENT of RECORD in format FMT, as the bytes of the file; json is the case file."""
    require_choice("format", fmt, FORMATS)
    if fmt == "json":
        return dumps(record).encode("utf-8")
    built = build_document(record, forms, document, today, labels)
    if fmt == "pdf":
        return to_pdf(built)
    if fmt == "md":
        return to_markdown(built).encode("utf-8")
    return to_text(built).encode("utf-8")


_UNSAFE = re.compile(r"[^A-Za-z0-9-]+")


def suggested_filename(
    record: CaseRecord, document: str, fmt: str, today: date | None = None
) -> str:
    """A file name for the export: the CRN, not the name, so a file list discloses less."""
    crn = record.answers.get(Case.CRN)
    who = crn.strip() if isinstance(crn, str) and crn.strip() else f"case-{record.id[:13]}"
    what = (
        "case"
        if fmt == "json"
        else {"report": "oral-report", "all": "record"}.get(document, document)
    )
    parts = [_UNSAFE.sub("-", who).strip("-"), what]
    if today is not None:
        parts.append(today.isoformat())
    return "-".join(parts) + f".{fmt}"


def export_folder_of(get_setting: Callable[[str], str | None]) -> Path:
    """Where exports go: the `export_folder` setting, else Documents/court-tui."""
    chosen = EXPORT_FOLDER.read(get_setting)
    if chosen.strip():
        return Path(chosen).expanduser()
    from platformdirs import user_documents_dir

    return Path(user_documents_dir()) / "court-tui"
