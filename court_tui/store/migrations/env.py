"""Alembic environment for the store's tables: run by `court_tui.store.migrate`."""

from __future__ import annotations

from court_tui.store.migrate import run_env

run_env()
