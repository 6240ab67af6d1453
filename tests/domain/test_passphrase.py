"""The one rule for a store's passphrase, shared by the app's setup, the command line and a
change of passphrase."""

from __future__ import annotations

import pytest

from court_tui.domain.passphrase import MIN_NEW_PASSPHRASE, new_passphrase_problem


def test_a_long_hard_to_guess_passphrase_is_accepted() -> None:
    assert new_passphrase_problem("copper lantern wild thyme") is None
    # zxcvbn reads only the first 72 characters; a longer passphrase is not refused for it.
    assert new_passphrase_problem("copper lantern wild thyme " * 5) is None


def test_an_empty_or_short_passphrase_is_refused_in_words() -> None:
    assert new_passphrase_problem("") == "Enter a passphrase"
    assert new_passphrase_problem("x" * (MIN_NEW_PASSPHRASE - 1)) == (
        f"Passphrase must be {MIN_NEW_PASSPHRASE} characters or more"
    )


@pytest.mark.parametrize(
    "weak", ["x" * MIN_NEW_PASSPHRASE, "password1234", "qwertyuiop", "Summer2026!", "1234567890"]
)
def test_a_long_but_easily_guessed_passphrase_is_refused_with_a_hint(weak: str) -> None:
    problem = new_passphrase_problem(weak)
    assert problem is not None
    assert problem.startswith("Passphrase is too easy to guess")
    assert "words" in problem
