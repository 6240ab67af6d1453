"""Themes: the terminal's own palette by default, and a high-contrast theme.

`NO_COLOR` is honoured by Textual itself: it turns every theme monochrome.
"""

from __future__ import annotations

from typing import Any

from textual.app import App
from textual.theme import Theme

DEFAULT_THEME = "ansi-dark"
HIGH_CONTRAST_THEME = "court-high-contrast"

HIGH_CONTRAST = Theme(
    name=HIGH_CONTRAST_THEME,
    primary="#ffff00",
    secondary="#00ffff",
    accent="#ffff00",
    warning="#ffaa00",
    error="#ff5555",
    success="#00ff00",
    foreground="#ffffff",
    background="#000000",
    surface="#000000",
    panel="#1a1a1a",
    boost="#000000",
    dark=True,
    variables={
        "border": "#ffffff",
        "border-blurred": "#aaaaaa",
        "text-muted": "#ffffff",
        "block-cursor-background": "#ffff00",
        "block-cursor-foreground": "#000000",
        "block-cursor-text-style": "bold",
        "input-cursor-background": "#ffffff",
        "input-cursor-foreground": "#000000",
        "footer-key-foreground": "#ffff00",
    },
)


def register_themes(app: App[Any]) -> None:
    """Add court-tui's own themes to APP."""
    app.register_theme(HIGH_CONTRAST)
