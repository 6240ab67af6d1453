"""Fixed cases for the review tests: two teams at two courts, an item in every tab, seen on
Monday 2 March 2026 (Thursday 26 and Friday 27 February are the last working days)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from court_tui.domain.answers import NOT_KNOWN
from court_tui.domain.case import CaseRecord, CheckRequest, FollowUp, Handover
from court_tui.domain.checks import check_state
from court_tui.domain.forms import FormSet
from court_tui.domain.review import ReviewItem
from court_tui.store import Store, open_store

PASSPHRASE = "review test passphrase"
TODAY = date(2026, 3, 2)
NOW = datetime(2026, 3, 2, 10, 42, tzinfo=UTC)

LEEDS_TEAM = "Leeds court team"
BRADFORD_TEAM = "Bradford court team"
LEEDS_COURT = "Leeds Magistrates' Court"
BRADFORD_COURT = "Bradford Magistrates' Court"
SUPERVISOR = "Pat Senior"

FIXED_CREATED = datetime(2026, 2, 16, 9, 0, tzinfo=UTC)


def _id(number: int) -> str:
    # Fixed ids, shaped like UUIDv7, so snapshots and orders never change between runs.
    return f"0190f000-0000-7000-8000-{number:012d}"


def check(
    requested_on: date,
    expected_by: date | None,
    received_on: date | None = None,
    agency: str = "Police",
) -> CheckRequest:
    return CheckRequest(
        requested="yes",
        agency=agency,
        requested_on=requested_on,
        expected_by=expected_by,
        received_on=received_on,
        result="no_concerns" if received_on else None,
    )


def follow_up(
    number: int,
    question: str,
    owner: str,
    action: str,
    due: date | None,
    *,
    recorded_on: date = date(2026, 2, 23),
    closed_on: date | None = None,
) -> FollowUp:
    return FollowUp(
        id=_id(900 + number),
        question=question,
        owner=owner,
        action=action,
        due=due,
        recorded_on=recorded_on,
        recorded_by=owner,
        closed_on=closed_on,
        closed_by=owner if closed_on else None,
        answer="Not on the register" if closed_on else None,
    )


def case(
    number: int,
    name: str,
    crn: str,
    *,
    team: str = LEEDS_TEAM,
    court: str = LEEDS_COURT,
    officer: str = "Sam Patel",
    checks: dict[str, CheckRequest] | None = None,
    follow_ups: list[FollowUp] | None = None,
) -> CaseRecord:
    return CaseRecord(
        id=_id(number),
        created_at=FIXED_CREATED,
        updated_at=FIXED_CREATED,
        officer=officer,
        team=team,
        answers={"name": name, "crn": crn, "court": court, "hearing_date": "2026-03-02"},
        checks=checks or {},
        follow_ups=follow_ups or [],
    )


def review_cases() -> list[CaseRecord]:
    """Eight cases: Leeds (Sam Patel, Alex Khan) and Bradford (Jo Lee)."""
    feb = lambda day: date(2026, 2, day)  # noqa: E731
    mar = lambda day: date(2026, 3, day)  # noqa: E731
    return [
        case(
            1,
            "Taylor Reid",
            "X123456",
            checks={
                "domestic_abuse": check(feb(16), feb(26)),  # overdue by 2 working days
                "safeguarding": check(feb(16), feb(27), received_on=feb(26)),
            },
        ),
        case(
            2,
            "Jamie Walsh",
            "X234567",
            checks={"safeguarding": check(feb(23), mar(2), agency="Children's services")},
            follow_ups=[
                follow_up(
                    1,
                    "rsr_score",
                    "Sam Patel",
                    "Get the RSR score from OASys",
                    feb(27),  # overdue by 1 working day
                )
            ],
        ),
        case(
            3,
            "Casey Morgan",
            "X345678",
            officer="Alex Khan",
            checks={"domestic_abuse": check(feb(25), mar(4))},  # due in 2 working days
            follow_ups=[
                follow_up(
                    2,
                    "accommodation",
                    "Alex Khan",
                    "Ask the council whether the address is settled",
                    mar(13),
                ),
            ],
        ),
        case(
            4,
            "Robin Hughes",
            "X456789",
            officer="Alex Khan",
            checks={"safeguarding": check(feb(9), None, agency="Children's services")},
            follow_ups=[
                follow_up(
                    3,
                    "gp_details",
                    "Alex Khan",
                    "Find the GP's name",
                    mar(2),
                    closed_on=mar(2),
                ),
            ],
        ),
        case(
            5,
            "Jordan Ellis",
            "X567890",
            checks={"domestic_abuse": check(feb(2), feb(9), received_on=feb(10))},
        ),
        case(
            6,
            "Morgan Price",
            "B123456",
            team=BRADFORD_TEAM,
            court=BRADFORD_COURT,
            officer="Jo Lee",
            checks={"domestic_abuse": check(feb(16), feb(20))},  # overdue by 6
            follow_ups=[
                follow_up(4, "employment", "Jo Lee", "Confirm the job with the employer", mar(3))
            ],
        ),
        case(
            7,
            "Sasha Green",
            "B234567",
            team=BRADFORD_TEAM,
            court=BRADFORD_COURT,
            officer="Jo Lee",
            checks={"safeguarding": check(feb(23), mar(9), received_on=feb(27))},
        ),
        case(
            8,
            "Alex Brown",
            "B345678",
            team=BRADFORD_TEAM,
            court=BRADFORD_COURT,
            officer="Jo Lee",
            checks={"safeguarding": check(feb(25), mar(6), agency="Children's services")},
        ),
    ]


def new_store(path: Path, forms: FormSet, *, officer: str = SUPERVISOR) -> Store:
    """A new store at PATH with the supervisor's name in its settings."""
    store = open_store(path, PASSPHRASE, create=True, forms=forms)
    store.repository.put_setting("officer", officer)
    return store


def fill(store: Store, records: list[CaseRecord] | None = None) -> list[CaseRecord]:
    """Save RECORDS (the review cases by default) as their officers; returns them saved."""
    return [
        store.repository.save_case(record, actor=record.officer)
        for record in (records if records is not None else review_cases())
    ]


def items_of(records: list[CaseRecord], forms: FormSet) -> list[ReviewItem]:
    """Every tracked check and follow-up of RECORDS as review items, worked out in Python
    from the records alone (what the stores' SQL must agree with)."""
    titles = {kind.id: kind.title for kind in forms.check_kinds()}
    items = []
    for record in records:
        answers = record.answers
        where = {
            "case_id": record.id,
            "case_name": str(answers.get("name", "")),
            "crn": str(answers.get("crn", "")).upper(),
            "court": str(answers.get("court", "")),
            "team": record.team,
            "officer": record.officer,
        }
        for kind, request in record.checks.items():
            state = check_state(request)
            if state not in ("Outstanding", "Received"):
                continue
            items.append(
                ReviewItem(
                    **where,
                    kind="check",
                    item_id=kind,
                    question=kind,
                    what=titles[kind],
                    owner=record.officer,
                    requested=request.requested_on,
                    due=request.expected_by,
                    done_on=request.received_on,
                )
            )
        for follow_up in record.follow_ups:
            items.append(
                ReviewItem(
                    **where,
                    kind="follow_up",
                    item_id=follow_up.id,
                    question=follow_up.question,
                    what=follow_up.action,
                    owner=follow_up.owner,
                    requested=follow_up.recorded_on,
                    due=follow_up.due,
                    done_on=follow_up.closed_on,
                    reviewed_by=follow_up.reviewed_by,
                    review_note=follow_up.review_note,
                )
            )
    return items


HANDOVER_SENT = datetime(2026, 2, 24, 15, 0, tzinfo=UTC)  # due Thursday 26 February


def chase_cases() -> list[CaseRecord]:
    """Two Leeds cases of Sam Patel's with nothing tracked in a table: the RSR score
    answered 'not known' with no follow-up (blocked), and a handover sent on Tuesday
    24 February and never accepted (overdue since Friday 27 February)."""
    blocked = case(21, "Drew Blake", "X678901")
    blocked.answers["rsr_score"] = NOT_KNOWN
    handed = case(22, "Kit Marsh", "X789012")
    handed.handover = Handover(sent_to="ro", sent_by="Sam Patel", sent_at=HANDOVER_SENT)
    return [blocked, handed]
