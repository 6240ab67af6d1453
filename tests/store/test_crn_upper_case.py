"""A case holding its CRN in lower case is read, listed and found upper case."""

from __future__ import annotations

from court_tui.domain.case import CaseRecord
from court_tui.store import Store


def test_the_store_and_its_case_list_read_the_crn_upper_case(
    store: Store, demo_cases: list[CaseRecord]
) -> None:
    record = demo_cases[0]
    # model_copy skips validation: the record as an old store or a sync might hold it.
    lower = record.model_copy(update={"answers": {**record.answers, "crn": "x765432"}})
    saved = store.repository.save_case(lower, actor="Sam Patel")
    assert store.repository.get_case(saved.id, actor="Sam Patel").answers["crn"] == "X765432"
    assert [c.crn for c in store.repository.list_cases()] == ["X765432"]
    assert store.repository.find_case_id("x765432") == saved.id
