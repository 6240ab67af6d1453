"""The app opens the store in two steps: checked, keyed and read with sqlcipher3 alone for
the case list, then built into the full store after the list is drawn. Whatever needs the
full store before then waits for it; nothing fails for having come early."""

from __future__ import annotations

import threading
from pathlib import Path

from ui_helpers import OFFICER, PASSPHRASE

from court_tui.domain.allocation import Provider
from court_tui.domain.prefill import AllocationOffices
from court_tui.domain.settings import HANDOVER_TEAMS, THEME
from court_tui.store import open_store
from court_tui.store.in_use import sole_use
from court_tui.ui.backend import Backend


def test_what_needs_the_full_store_waits_for_it_instead_of_failing(filled_store: Path) -> None:
    backend = Backend(filled_store)
    try:
        profile = backend.unlock(PASSPHRASE)
        assert (profile.officer, profile.team) == (OFFICER.officer, OFFICER.team)
        cases = backend.list_cases(None)
        assert cases
        # As the app's workers may: the full store built while a case is asked for.
        opened: list[str] = []
        errors: list[BaseException] = []

        def read_case() -> None:
            try:
                opened.append(backend.get_case(cases[0].id, OFFICER.officer).id)
            except BaseException as error:  # pragma: no cover - said by the assert below
                errors.append(error)

        workers = [
            threading.Thread(target=backend.finish_opening),
            threading.Thread(target=read_case),
        ]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(timeout=60)
        assert errors == []
        assert opened == [cases[0].id]
        # The same list, now from the full store; a setting changed is read back changed.
        assert backend.list_cases(None) == cases
        backend.put_setting(THEME.key, "textual-light")
        assert backend.get_setting(THEME.key) == "textual-light"
        assert backend.last_case() == cases[0].id
    finally:
        backend.close()


def test_the_offices_read_after_the_list_are_the_stored_ones(filled_store: Path) -> None:
    with open_store(filled_store, PASSPHRASE) as store:
        get = store.repository.get_setting
        store.repository.put_setting(HANDOVER_TEAMS[Provider.NPS].key, "Leeds NPS")
        stored = AllocationOffices.read(get)
    backend = Backend(filled_store)
    try:
        profile = backend.unlock(PASSPHRASE)
        assert profile.offices == stored
        assert profile.offices.teams[Provider.NPS] == "Leeds NPS"
    finally:
        backend.close()


def test_closing_before_the_full_store_is_built_lets_the_store_go(filled_store: Path) -> None:
    backend = Backend(filled_store)
    backend.unlock(PASSPHRASE)
    backend.close()
    assert not backend.is_open
    # Nothing holds it: a restore could have it alone, and it opens again.
    with sole_use(filled_store):
        pass
    with open_store(filled_store, PASSPHRASE) as store:
        assert store.repository.list_cases()
