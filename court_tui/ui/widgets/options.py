"""Reading an option list back as the words it shows."""

from __future__ import annotations

from textual.widgets import OptionList


def prompts(options: OptionList) -> list[str]:
    """The prompt of each option of OPTIONS as plain text, in order."""
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
