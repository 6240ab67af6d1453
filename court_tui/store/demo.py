"""A throwaway store filled with the demo cases, for `court-tui demo` and screenshots."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from court_tui.domain.casefile import loads
from court_tui.domain.fields import Case
from court_tui.domain.forms import FormSet, load_forms
from court_tui.domain.offence_reference import OFFENCE_CODES_KIND, offence_codes_payload
from court_tui.domain.offences import read_offence_mapping
from court_tui.resources import data_dir
from court_tui.store.store import Store, open_store

# Not a secret: the demo store holds only the made-up demo cases.
DEMO_PASSPHRASE = "court-tui demo store"
DEMO_ACTOR = "court-tui demo"


def demo_case_files() -> list[Path]:
    """The shipped demo case files."""
    return sorted((data_dir() / "demo").glob("*.json"))


def make_demo_store(
    path: Path, *, today: date | None = None, forms: FormSet | None = None
) -> Store:
    """A store at PATH (created with DEMO_PASSPHRASE) holding every demo case, each heard
    TODAY (default: the real today) so they all appear in today's cases.

    Cases already in the store are left as they are, so running it twice is harmless.
    """
    forms = forms or load_forms()
    hearing = (today or date.today()).isoformat()
    store = open_store(path, DEMO_PASSPHRASE, create=True, forms=forms)
    try:
        repository = store.repository
        for file in demo_case_files():
            record = loads(file.read_text(encoding="utf-8"), forms)
            if repository.case_exists(record.id):
                continue
            record.answers[Case.HEARING_DATE] = hearing
            repository.import_case(record, actor=DEMO_ACTOR, source=f"demo {file.name}")
    except BaseException:
        store.close()
        raise
    return store


def load_demo_offences(store: Store, mapping: Path) -> int | None:
    """Keep the offence mapping file MAPPING in the demo STORE, so the demo's offence search
    and RSR find codes; returns how many codes, or None when there is no such file.

    Raises OffenceDataError when the file is not a Manage Offences actuarial mapping.
    """
    if not mapping.is_file():
        return None
    catalogue = read_offence_mapping(mapping.read_bytes())
    payload = offence_codes_payload(
        catalogue, source=mapping.name, imported_on=date.today().isoformat()
    )
    store.repository.put_reference_data(OFFENCE_CODES_KIND, payload)
    return len(catalogue.codes)
