"""The store's SQL filters checks on the status words the domain writes, so a reworded
status cannot leave an index or a pending list empty without a test failing."""

from __future__ import annotations

import re

from court_tui.domain.checks import (
    CHECK_NOT_RECORDED,
    CHECK_NOT_REQUESTED,
    CHECK_OUTSTANDING,
    CHECK_RECEIVED,
)
from court_tui.store import tables

STATES = {CHECK_NOT_REQUESTED, CHECK_NOT_RECORDED, CHECK_OUTSTANDING, CHECK_RECEIVED}


def test_the_checks_indexes_filter_on_the_domain_s_words() -> None:
    table = tables.CHECKS
    filtered = []
    for index in table.indexes:
        for dialect in ("sqlite", "postgresql"):
            where = index.dialect_options[dialect].get("where")
            if where is not None:
                filtered.extend(re.findall(r"status = '([^']*)'", str(where)))
    assert filtered, "no partial index on checks.status: has the table changed?"
    assert set(filtered) <= STATES
    assert CHECK_OUTSTANDING in filtered


def test_the_store_s_outstanding_is_the_domain_s() -> None:
    assert tables.CHECK_OUTSTANDING is CHECK_OUTSTANDING
