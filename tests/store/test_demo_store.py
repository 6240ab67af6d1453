"""The demo store: every demo case, all in today's cases."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from store_helpers import demo_files

from court_tui.domain.allocation import Provider
from court_tui.domain.forms import FormSet
from court_tui.domain.offence_reference import OFFENCE_CODES_KIND, stored_catalogue
from court_tui.domain.offences import OffenceDataError
from court_tui.domain.settings import FIRST_APPOINTMENT_PLACES, HANDOVER_TEAMS
from court_tui.store import open_store
from court_tui.store.demo import DEMO_PASSPHRASE, load_demo_offences, make_demo_store


def test_demo_store_holds_every_demo_case_heard_today(tmp_path: Path, forms: FormSet) -> None:
    path = tmp_path / "demo.db"
    with make_demo_store(path, today=date(2026, 5, 6), forms=forms) as store:
        today = store.repository.list_cases(on=date(2026, 5, 6))
        assert len(today) == len(demo_files()) == 6
        assert store.repository.pending_items(today=date(2026, 5, 6))
    with make_demo_store(path, today=date(2026, 5, 6), forms=forms) as again:
        assert again.repository.count_cases() == 6
    with open_store(path, DEMO_PASSPHRASE, forms=forms) as reopened:
        assert reopened.repository.outbox_depth() == 6


SHOPLIFTING = {
    "04600": {
        "parentGroupDescription": "Theft offences",
        "categoryDescription": "Shoplifting",
        "subCategoryDescription": "Stealing from shops and stalls (shoplifting)",
        "actuarialCategory": "THEFT_NON_MOTOR",
        "flags": {"isViolentSanction": False},
    }
}


def test_the_demo_keeps_an_offence_mapping_when_there_is_one(
    tmp_path: Path, forms: FormSet
) -> None:
    mapping = tmp_path / "offence-codes-actuarial.json"
    with make_demo_store(tmp_path / "demo.db", forms=forms) as store:
        assert load_demo_offences(store, mapping) is None
        assert store.repository.get_reference_data(OFFENCE_CODES_KIND) is None
        mapping.write_text(json.dumps(SHOPLIFTING))
        assert load_demo_offences(store, mapping) == 1
        stored = stored_catalogue(store.repository.get_reference_data(OFFENCE_CODES_KIND))
    assert stored.category_of("04600") == ("theft_non_motor", None)


def test_a_file_that_is_no_mapping_is_refused_saying_so(tmp_path: Path, forms: FormSet) -> None:
    mapping = tmp_path / "offences.json"
    mapping.write_text("[1, 2]")
    with (
        make_demo_store(tmp_path / "demo.db", forms=forms) as store,
        pytest.raises(OffenceDataError, match="keyed by 5-digit offence code"),
    ):
        load_demo_offences(store, mapping)


def test_demo_store_says_where_its_cases_go_and_keeps_what_the_officer_changed(
    tmp_path: Path, forms: FormSet
) -> None:
    path = tmp_path / "demo.db"
    with make_demo_store(path, today=date(2026, 5, 6), forms=forms) as store:
        crc_team = store.repository.get_setting(HANDOVER_TEAMS[Provider.CRC].key)
        nps_place = store.repository.get_setting(FIRST_APPOINTMENT_PLACES[Provider.NPS].key)
        assert crc_team == "Leeds CRC"
        assert nps_place and "Albion Street" in nps_place
        store.repository.put_setting(HANDOVER_TEAMS[Provider.CRC].key, "Bradford CRC")
    with make_demo_store(path, today=date(2026, 5, 6), forms=forms) as again:
        assert again.repository.get_setting(HANDOVER_TEAMS[Provider.CRC].key) == "Bradford CRC"
