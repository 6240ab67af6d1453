"""A throwaway store filled with the demo cases, for `court-tui demo` and screenshots."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from court_tui.domain.allocation import Provider
from court_tui.domain.casefile import loads
from court_tui.domain.fields import Case
from court_tui.domain.forms import FormSet, load_forms
from court_tui.domain.offence_reference import OFFENCE_CODES_KIND, offence_codes_payload
from court_tui.domain.offences import read_offence_mapping
from court_tui.domain.settings import FIRST_APPOINTMENT_PLACES, HANDOVER_TEAMS, Setting
from court_tui.resources import data_dir
from court_tui.store.store import Store, open_store

# Not a secret: the demo store holds only the made-up demo cases.
DEMO_PASSPHRASE = "court-tui demo store"
DEMO_ACTOR = "court-tui demo"

# Where the demo's cases go, as an officer sets it once in Settings, so the demo shows the
# first appointment place and the handover's office team filled in by the allocation.
DEMO_OFFICES: dict[Setting[str], str] = {
    HANDOVER_TEAMS[Provider.NPS]: "Leeds NPS",
    HANDOVER_TEAMS[Provider.CRC]: "Leeds CRC",
    FIRST_APPOINTMENT_PLACES[Provider.NPS]: "Leeds probation office, Albion Street",
    FIRST_APPOINTMENT_PLACES[Provider.CRC]: "Leeds CRC office, Park Place",
}


def demo_case_files() -> list[Path]:
    """The shipped demo case files."""
    return sorted((data_dir() / "demo").glob("*.json"))


def make_demo_store(
    path: Path, *, today: date | None = None, forms: FormSet | None = None
) -> Store:
    """A store at PATH (created with DEMO_PASSPHRASE) holding every demo case, each heard
    TODAY (default: the real today) so they all appear in today's cases.

    Cases already in the store, and offices already set, are left as they are, so running
    it twice is harmless.
    """
    forms = forms or load_forms()
    hearing = (today or date.today()).isoformat()
    store = open_store(path, DEMO_PASSPHRASE, create=True, forms=forms)
    try:
        repository = store.repository
        for setting, value in DEMO_OFFICES.items():
            if repository.get_setting(setting.key) is None:
                repository.put_setting(setting.key, value)
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
