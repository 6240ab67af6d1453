"""`court-tui server init|add-user|revoke-device|restore-device|put-reference|doctor` and
`court-tui sync`.

`server` is for whoever runs the central PostgreSQL store; `sync` is for the officer's
laptop. The central store's address comes from --server, else $COURT_TUI_SERVER, else the
one saved by `court-tui sync --server URL --remember`.
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from court_tui.commands.common import (
    EXIT_OK,
    EXIT_PROBLEM,
    actor_of,
    add_command,
    add_db_option,
    add_server_option,
    fail,
    open_for,
)
from court_tui.domain.settings import SERVER_ENV, SYNC_SERVER, Config
from court_tui.store import StoreError
from court_tui.sync.client import configured_server, sync_status, sync_with_server
from court_tui.sync.conflicts import list_conflicts, resolve_conflict
from court_tui.sync.doctor import sync_problem_lines
from court_tui.sync.errors import SyncError
from court_tui.sync.local import LocalSync
from court_tui.sync.server import (
    add_user,
    display_url,
    init_server,
    put_reference_data,
    restore_device,
    revoke_device,
    server_url,
    set_login_enabled,
)
from court_tui.sync.server_doctor import examine_server

# `court-tui sync`: the central store has cut this laptop off (its work stays here).
EXIT_REVOKED = 3

NO_SERVER = (
    "No central store is configured: give --server URL (add --remember to keep it) or set "
    f"{SERVER_ENV.name}."
)


def register(subparsers: Any) -> None:
    """Add `server` and `sync` to the command line."""
    server = add_command(
        subparsers,
        "server",
        None,
        summary="set up the central PostgreSQL store (administrators)",
        description="Set up the central store that laptops sync with, and its users.",
    )
    actions = server.add_subparsers(dest="server_command", metavar="ACTION", required=True)
    init = add_command(
        actions,
        "init",
        run_server_init,
        summary="create or upgrade the central schema, roles and security policies",
        description=(
            "Create (or upgrade) the central store in the database at URL: its schema, "
            "the court_tui_officer and court_tui_supervisor group roles, row-level "
            "security scoping cases to teams, the insert-only audit log. Connect as a "
            "superuser or a role with CREATEROLE."
        ),
    )
    init.add_argument("url", metavar="URL", help="postgresql://ADMIN@HOST/DATABASE")

    adder = add_command(
        actions,
        "add-user",
        run_server_add_user,
        summary="create a login for an officer or supervisor",
        description=(
            "Create the PostgreSQL login NAME as an officer or a supervisor of one or more "
            "teams (repeat --team). Run again to add teams or change the role. --disable "
            "stops the login signing in (its open sessions are ended); --enable lets it in "
            "again. Both are audited."
        ),
    )
    adder.add_argument("name", metavar="NAME", help="login name, e.g. sam.patel")
    adder.add_argument(
        "--team", action="append", metavar="TEAM", help="a team (repeatable; needed to add)"
    )
    adder.add_argument("--role", choices=("officer", "supervisor"), help="needed to add")
    switch = adder.add_mutually_exclusive_group()
    switch.add_argument(
        "--disable", action="store_true", help="refuse this login from now on (e.g. a lost laptop)"
    )
    switch.add_argument("--enable", action="store_true", help="let a disabled login in again")
    adder.add_argument("--display-name", metavar="TEXT", help="the name shown to others")
    adder.add_argument(
        "--password-stdin",
        action="store_true",
        help="read an initial password from the first line of standard input",
    )
    add_server_option(adder)

    for name, run, summary, description in (
        (
            "revoke-device",
            run_server_revoke_device,
            "cut a lost laptop off the central store",
            "Refuse the laptop DEVICE (its id, or its first 8 or more characters as the "
            "review's laptops view shows them) from now on, for sending and for receiving; "
            "audited with who, when and REASON. An administrator, or a supervisor of the "
            "laptop owner's team, may. The laptop is told in words when it next syncs and "
            "keeps its unsynced work for its owner to export.",
        ),
        (
            "restore-device",
            run_server_restore_device,
            "let a cut-off laptop sync again (administrators)",
            "Let the laptop DEVICE sync again; audited. Its kept work is sent at its next sync.",
        ),
    ):
        device = add_command(actions, name, run, summary=summary, description=description)
        device.add_argument("device", metavar="DEVICE", help="the laptop's device id")
        device.add_argument("--reason", metavar="TEXT", help="why, for the audit log")
        add_server_option(device)

    reference = add_command(
        actions,
        "put-reference",
        run_server_put_reference,
        summary="publish reference data (a JSON file) to every laptop",
        description="Publish FILE (JSON) as the reference data KIND; laptops get it on sync.",
    )
    reference.add_argument("kind", metavar="KIND", help="e.g. courts")
    reference.add_argument("file", metavar="FILE", help="a JSON file")
    add_server_option(reference)

    doctor = add_command(
        actions,
        "doctor",
        run_server_doctor,
        summary="report what on the central store stands in anyone's way",
        description=(
            "Report cases the laptops set aside, changes refused lately and why, and "
            "sessions or laptops that are stuck. Reads only."
        ),
    )
    add_server_option(doctor)

    sync = add_command(
        subparsers,
        "sync",
        run_sync,
        summary="send this laptop's changes to the central store and fetch others'",
        description=(
            "Send every change not yet synced, in order, then receive check results, "
            "closed follow-ups, supervisors' notes and reference data for your team. "
            "Exit 0 when the sync finished (conflicts may still need a choice), 1 when it "
            "could not finish (your work stays saved on this laptop), 3 when the central "
            "store has cut this laptop off (your unsynced work stays on it, to export)."
        ),
    )
    add_server_option(sync)
    sync.add_argument(
        "--remember", action="store_true", help="save --server for next time (never a password)"
    )
    sync.add_argument(
        "--status", action="store_true", help="only show what is waiting; do not connect"
    )
    sync.add_argument(
        "--resolve",
        metavar="CASE_ID",
        help="settle a conflict on CASE_ID with --keep mine|theirs (then sync to send it)",
    )
    sync.add_argument("--keep", choices=("mine", "theirs"), help="the version to keep")
    sync.add_argument(
        "--withdraw",
        metavar="CASE_ID",
        help="stop sending CASE_ID's unsent changes (say after a refusal); this laptop "
        "keeps its copy, and the withdrawal is in the audit log",
    )
    add_db_option(sync)


def _central_url(args: argparse.Namespace, config: Config) -> str:
    """The central store an administrator's command works on; raises SyncError when none
    is given."""
    url = configured_server(None, args.server, config.server)
    if url is None:
        raise SyncError(NO_SERVER)
    return url


def run_server_init(args: argparse.Namespace, config: Config) -> int:
    """`court-tui server init URL`."""
    try:
        result = init_server(args.url)
    except SyncError as problem:
        return fail("server init", problem.message)
    print("\n".join(result.lines()))
    return EXIT_OK


def _new_password(args: argparse.Namespace) -> str | None:
    if args.password_stdin:
        line = sys.stdin.readline().rstrip("\r\n")
        return line or None
    if sys.stdin is not None and sys.stdin.isatty():
        first = getpass.getpass(f"Initial password for {args.name} (Enter for none): ")
        if not first:
            return None
        if getpass.getpass("Type it again: ") != first:
            raise SyncError("The two passwords are different; nothing was changed.")
        return first
    return None


def run_server_add_user(args: argparse.Namespace, config: Config) -> int:
    """`court-tui server add-user NAME --team T --role officer|supervisor`, or
    `NAME --disable|--enable`."""
    if args.disable or args.enable:
        if args.team or args.role or args.password_stdin:
            return fail(
                "server add-user", "--disable and --enable take no --team, --role or password."
            )
        return _switch_login(args, config, enabled=args.enable)
    if not args.team or not args.role:
        return fail(
            "server add-user",
            "Give --team TEAM and --role officer|supervisor (or --disable / --enable).",
        )
    try:
        url = _central_url(args, config)
        password = _new_password(args)
        result = add_user(
            url,
            args.name,
            teams=args.team,
            role=args.role,
            display_name=args.display_name,
            password=password,
        )
    except SyncError as problem:
        return fail("server add-user", problem.message)
    print("\n".join(result.lines()))
    return EXIT_OK


def _said(command: str, act: Callable[[], Any]) -> int:
    """Run ACT (an administrator's action on the central store) and print what it did, or
    say why not as `court-tui server COMMAND: ...`."""
    try:
        result = act()
    except SyncError as problem:
        return fail(f"server {command}", problem.message)
    print("\n".join(result.lines()))
    return EXIT_OK


def _switch_login(args: argparse.Namespace, config: Config, *, enabled: bool) -> int:
    return _said(
        "add-user",
        lambda: set_login_enabled(_central_url(args, config), args.name, enabled=enabled),
    )


def run_server_revoke_device(args: argparse.Namespace, config: Config) -> int:
    """`court-tui server revoke-device DEVICE [--reason TEXT]`."""
    return _said(
        "revoke-device",
        lambda: revoke_device(_central_url(args, config), args.device, reason=args.reason),
    )


def run_server_restore_device(args: argparse.Namespace, config: Config) -> int:
    """`court-tui server restore-device DEVICE [--reason TEXT]`."""
    return _said(
        "restore-device",
        lambda: restore_device(_central_url(args, config), args.device, reason=args.reason),
    )


def _json_file(name: str) -> Any:
    """The JSON in the file NAME; raises SyncError when it cannot be read as JSON."""
    try:
        return json.loads(Path(name).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise SyncError(f"{name} is not a readable JSON file ({exc}).") from None


def run_server_doctor(args: argparse.Namespace, config: Config) -> int:
    """`court-tui server doctor`."""
    try:
        report = examine_server(_central_url(args, config))
    except SyncError as problem:
        return fail("server doctor", problem.message)
    print("\n".join(report.lines()))
    return EXIT_OK if report.ok else EXIT_PROBLEM


def run_server_put_reference(args: argparse.Namespace, config: Config) -> int:
    """`court-tui server put-reference KIND FILE`."""
    try:
        url = _central_url(args, config)
        put_reference_data(url, args.kind, _json_file(args.file))
    except SyncError as problem:
        return fail("server put-reference", problem.message)
    print(f"Published {args.kind}; laptops receive it on their next sync.")
    return EXIT_OK


def run_sync(args: argparse.Namespace, config: Config) -> int:
    """`court-tui sync`."""
    if (args.resolve is None) != (args.keep is None):
        return fail("sync", "Give both --resolve CASE_ID and --keep mine|theirs.")
    try:
        store = open_for(args, config, create=False)
    except StoreError as problem:
        return fail("sync", problem.message)
    try:
        return _sync(args, config, store)
    except (SyncError, StoreError) as problem:
        return fail("sync", problem.message, EXIT_PROBLEM)
    finally:
        store.close()


def _sync(args: argparse.Namespace, config: Config, store: Any) -> int:
    if args.resolve is not None:
        saved = resolve_conflict(store, args.resolve, args.keep, actor=actor_of(store))
        print(
            f"{saved.display_name}: kept {'your' if args.keep == 'mine' else 'the central'} "
            f"version as revision {saved.revision}; it goes out with the next sync."
        )
        return EXIT_OK
    if args.withdraw is not None:
        count = LocalSync(store).withdraw(args.withdraw, actor=actor_of(store))
        print(
            f"Withdrew {count} unsent change(s) to case {args.withdraw}: they will not be "
            "sent. This laptop keeps its copy of the case."
        )
        print(sync_status(store).describe())
        return EXIT_OK
    if args.status:
        for view in list_conflicts(store, actor=actor_of(store)):
            print("\n".join(view.lines()))
        local = LocalSync(store)
        for line in sync_problem_lines(local):
            print(line)
        for case_id, reason in local.refused_notes():
            print(f"Not accepted: an oversight note on case {case_id}: {reason}")
        print(sync_status(store).describe())
        return EXIT_OK
    url = configured_server(store, args.server, config.server)
    if url is None:
        return fail("sync", NO_SERVER)
    parsed = server_url(url)
    if args.remember:
        if parsed.password:
            return fail(
                "sync",
                "--remember does not keep passwords: take the password out of the address "
                "and put it in your ~/.pgpass file (or PGPASSWORD).",
            )
        store.repository.put_setting(SYNC_SERVER.key, display_url(parsed))
    report = sync_with_server(store, url)
    print("\n".join(report.lines()))
    if report.revoked is not None:
        return EXIT_REVOKED
    return EXIT_OK if report.ok else EXIT_PROBLEM
