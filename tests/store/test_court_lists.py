"""Court lists in the encrypted store: re-imports update and never duplicate, every change
is audited, links and rejections are kept, and a file that cannot be used changes nothing."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import sqlalchemy as sa
from store_helpers import make_case

from court_tui.store import Store
from court_tui.store.court_lists import (
    get_entry,
    import_files,
    link_entry,
    list_entries,
    match_candidates,
    reject_match,
)
from tests.support.court_lists import (
    cp_defendant,
    cp_hearing,
    libra_case,
    libra_document,
    libra_message,
    libra_session,
)

DAY = date(2026, 3, 2)


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _libra(*cases: dict[str, object], room: str = "01") -> bytes:
    return libra_message(
        [libra_document([libra_session(list(cases), room=room, ou_code=f"B10JQ{room}")])]
    )


def test_a_list_re_sent_with_changes_updates_and_never_duplicates(
    store: Store, tmp_path: Path
) -> None:
    repository = store.repository
    first = _write(tmp_path, "first.xml", _libra(libra_case("1", "MR Abraham LINCOLN"),
                                                 libra_case("2", "MS Jo BLOGGS")))  # fmt: skip
    done = import_files(repository, [first], actor="Sam Patel")
    assert done.saved is not None and (done.saved.new, done.saved.updated) == (2, 0)

    again = import_files(repository, [first], actor="Sam Patel")
    assert again.saved is not None and again.saved.unchanged == 2

    # Re-printed: Lincoln moved to the afternoon with a new offence, a third person added.
    two_offences = [("TH68010", "Theft", "w"), ("CJ88116", "Bail", "w")]
    afternoon = [
        libra_case("1", "MR Abraham LINCOLN", offences=two_offences),
        libra_case("3", "MR New PERSON"),
    ]
    reprinted = libra_message(
        [
            libra_document(
                [
                    libra_session([libra_case("2", "MS Jo BLOGGS")]),
                    libra_session(afternoon, sstart="14:00"),
                ]
            )
        ]
    )
    changed = import_files(repository, [_write(tmp_path, "second.xml", reprinted)], actor="Sam")
    assert changed.saved is not None
    assert (changed.saved.new, changed.saved.updated, changed.saved.unchanged) == (1, 1, 1)
    entries = {entry.defendant.surname: entry.defendant for entry in list_entries(repository)}
    assert sorted(entries) == ["Bloggs", "Lincoln", "Person"]
    assert entries["Lincoln"].session == "afternoon"
    assert len(entries["Lincoln"].offences) == 2

    audited = [row for row in repository.audit_rows() if row.action == "list-import"]
    assert len(audited) == 2 + 1 + 1
    assert {row.actor for row in audited} == {"Sam Patel", "Sam"}


def test_a_truncated_file_imports_nothing_not_even_the_good_files(
    store: Store, tmp_path: Path
) -> None:
    good = _write(tmp_path, "good.xml", _libra(libra_case("1")))
    data = _libra(libra_case("2"), libra_case("3"))
    cut = _write(tmp_path, "cut.xml", data[: len(data) // 2])
    done = import_files(store.repository, [good, cut], actor="Sam")
    assert done.saved is None
    assert "cut short" in done.unusable[0] and "cut.xml" in done.unusable[0]
    assert list_entries(store.repository) == []
    with store.repository.connection() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM court_list_entries")).scalar() == 0


def test_the_list_is_in_the_encrypted_file_not_in_plain_text(store: Store, tmp_path: Path) -> None:
    path = _write(tmp_path, "list.xml", _libra(libra_case("1", "MR Zebedee QUIXOTIC")))
    import_files(store.repository, [path], actor="Sam")
    store.close()
    raw = b"".join(p.read_bytes() for p in store.path.parent.iterdir() if p.is_file())
    assert b"QUIXOTIC" not in raw.upper()


def test_matches_are_made_against_the_cases_in_the_store(store: Store, tmp_path: Path) -> None:
    repository = store.repository
    known = make_case("Abraham Lincoln", pnc="03/11985X")
    repository.save_case(known, actor="Sam")
    near = make_case("Jo Bloggs", crn="B123456", pnc="")
    near = near.model_copy(update={"answers": {**near.answers, "date_of_birth": "1990-01-02"}})
    repository.save_case(near, actor="Sam")
    data = _libra(
        libra_case("1", "MR Abraham LINCOLN", pnc="20030011985X"),
        libra_case("2", "MS Jo BLOGGS", dob="01/01/1990", pnc=None),
        libra_case("3", "MR No RECORD", pnc=None),
    )
    done = import_files(repository, [_write(tmp_path, "l.xml", data)], actor="Sam")
    assert done.matches == {"exact": 1, "possible": 1, "none": 1}
    candidates = match_candidates(repository)
    by_name = {e.defendant.surname: e for e in list_entries(repository, on=DAY)}
    assert by_name["Lincoln"].match(candidates).case_id == known.id
    possible = by_name["Bloggs"].match(candidates)
    assert (possible.kind, possible.case_ids) == ("possible", (near.id,))

    # A possible match is never linked by itself: the officer rejects it, and it stays gone
    # through a re-import.
    key = by_name["Bloggs"].defendant.key
    reject_match(repository, key, near.id, actor="Sam")
    import_files(repository, [_write(tmp_path, "l.xml", data)], actor="Sam")
    assert get_entry(repository, key).match(match_candidates(repository)).kind == "none"

    link_entry(repository, key, near.id, actor="Sam")
    import_files(repository, [_write(tmp_path, "l.xml", data)], actor="Sam")
    linked = get_entry(repository, key)
    assert linked.match(candidates).case_id == near.id
    assert [row.action for row in repository.audit_rows(near.id)][-2:] == [
        "list-link",
        "list-link",
    ]


def test_show_filters_by_day_and_court(store: Store, tmp_path: Path) -> None:
    libra = _write(tmp_path, "l.xml", _libra(libra_case("1")))
    cp = _write(
        tmp_path, "h.json",
        cp_hearing("h", [("c", [cp_defendant("d")])], code="B14LO00",
                   sitting_days=["2026-03-03T10:00:00Z"]),
    )  # fmt: skip
    import_files(store.repository, [libra, cp], actor="Sam")
    assert len(list_entries(store.repository)) == 2
    assert [e.defendant.court_code for e in list_entries(store.repository, on=DAY)] == ["B10JQ"]
    assert [e.defendant.source for e in list_entries(store.repository, court="b14lo")] == [
        "common_platform"
    ]
