"""The one rule for a new store's passphrase, shared by the app's setup and the command line."""

from __future__ import annotations

from court_tui.domain.passphrase import MIN_NEW_PASSPHRASE, new_passphrase_problem


def test_a_long_enough_passphrase_is_accepted() -> None:
    assert new_passphrase_problem("x" * MIN_NEW_PASSPHRASE) is None


def test_an_empty_or_short_passphrase_is_refused_in_words() -> None:
    assert new_passphrase_problem("") == "Enter a passphrase"
    assert new_passphrase_problem("x" * (MIN_NEW_PASSPHRASE - 1)) == (
        f"Passphrase must be {MIN_NEW_PASSPHRASE} characters or more"
    )
