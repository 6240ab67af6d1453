"""The footer of keys, redrawn only when the keys it shows change.

Textual's Footer rebuilds every key (and restyles each one) whenever the screen says its
bindings may have changed, which it says several times while a screen opens and on each
focus change: tens of milliseconds each time on a screen with many keys.
"""

from __future__ import annotations

from typing import Any

from textual.screen import Screen
from textual.widgets import Footer

from court_tui.ui.textual_patches import footer_ready


def _shown_keys(screen: Screen[Any]) -> tuple[tuple[object, ...], ...]:
    return tuple(
        (binding.key, binding.description, binding.show, enabled, tooltip)
        for (_, binding, enabled, tooltip) in screen.active_bindings.values()
    )


class KeysFooter(Footer):
    """Footer, skipping the rebuild when the keys, their words and whether each works are
    what it last showed."""

    _shown: tuple[tuple[object, ...], ...] | None = None

    def bindings_changed(self, screen: Screen[Any]) -> None:
        if screen.app.app_focus and self.is_attached and screen is self.screen:
            keys = _shown_keys(screen)
            if footer_ready(self) and keys == self._shown:
                return
            self._shown = keys
        super().bindings_changed(screen)
