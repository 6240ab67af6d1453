"""The settings registry and the configuration read from the environment."""

from __future__ import annotations

import dataclasses

import pytest

from court_tui.domain.settings import (
    DB_ENV,
    ENVIRONMENT,
    LABELS_ENV,
    LOCK_MINUTES,
    OFFICER,
    PASSPHRASE_ENV,
    SERVER_ENV,
    SETTINGS,
    THEME,
    Config,
)


def test_every_key_and_variable_is_named_once() -> None:
    keys = [setting.key for setting in SETTINGS]
    assert len(keys) == len(set(keys))
    names = [variable.name for variable in ENVIRONMENT]
    assert len(names) == len(set(names))
    assert all(name.startswith("COURT_TUI_") for name in names)


def test_every_variable_fills_one_field_of_the_config() -> None:
    fields = {field.name for field in dataclasses.fields(Config)}
    assert sorted(variable.field for variable in ENVIRONMENT) == sorted(fields)


def test_the_keys_stored_by_earlier_versions_keep_their_names() -> None:
    # Stores made before the registry hold these keys; renaming one would lose a setting.
    assert {setting.key for setting in SETTINGS} == {
        "officer",
        "team",
        "court",
        "theme",
        "lock_minutes",
        "export_folder",
        "last_case",
        "sync_server",
        "passphrase_changed_at",
        "handover_team_nps",
        "handover_team_crc",
        "first_appointment_place_nps",
        "first_appointment_place_crc",
    }


def test_the_config_reads_each_variable() -> None:
    config = Config.from_environ(
        {
            DB_ENV.name: " ~/cases.db ",
            PASSPHRASE_ENV.name: " a passphrase with spaces ",
            SERVER_ENV.name: "postgresql://sam@central/court ",
            LABELS_ENV.name: "unification",
            "UNRELATED": "ignored",
        }
    )
    assert config == Config(
        db="~/cases.db",
        passphrase=" a passphrase with spaces ",
        server="postgresql://sam@central/court",
        allocation_labels="unification",
    )


def test_empty_variables_say_nothing() -> None:
    blank = {variable.name: "" for variable in ENVIRONMENT} | {DB_ENV.name: "   "}
    assert Config.from_environ(blank) == Config() == Config.from_environ({})


def test_unknown_labels_are_refused_when_asked_for() -> None:
    config = Config.from_environ({LABELS_ENV.name: "no-such-labels"})
    with pytest.raises(ValueError, match="Unknown allocation labels 'no-such-labels'"):
        config.labels()
    assert config.labels("unification").id == "unification"


@pytest.mark.parametrize(
    ("stored", "minutes"), [(None, 10.0), ("5", 5.0), ("0", 0.0), ("", 10.0), ("soon", 10.0)]
)
def test_lock_minutes_read_as_a_number_else_the_default(
    stored: str | None, minutes: float
) -> None:
    assert LOCK_MINUTES.value(stored) == minutes


def test_a_setting_reads_through_any_lookup() -> None:
    kept = {"officer": "Sam Patel"}
    assert OFFICER.read(kept.get) == "Sam Patel"
    assert THEME.read(kept.get) is None
    assert OFFICER.read({}.get) == ""
