"""The command line: `python -m app serve | worker | migrate | seed-demo | create-adviser |
create-office | create-venue | create-admin | purge | vapid-keys`."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlmodel import col, select

from app.core.config import get_settings
from app.operations import first_start


def cmd_migrate(_args: argparse.Namespace) -> int:
    from app.core.migrations import upgrade_to_head

    upgrade_to_head()
    print("Database is at the newest migration.")
    return 0


def cmd_seed_demo(_args: argparse.Namespace) -> int:
    from app.core.config import Environment
    from app.core.db import write_session
    from app.demo.seed import seed_demo
    from app.main import wire_listeners

    if get_settings().env == Environment.production:
        # Its staff share a published password and authenticator secret: in production that
        # would be an admin account anyone could sign in to.
        print(
            "seed-demo is refused in production: use create-office and create-admin.",
            file=sys.stderr,
        )
        return 2

    wire_listeners()  # the demo's bookings plan their reminders like any other

    with write_session() as session:
        summary = seed_demo(session)
    print("Demo office ready.")
    print("  Advisers: " + ", ".join(summary.advisers))
    print("  Some clients' phone numbers: " + ", ".join(summary.client_phones))
    return 0


def cmd_create_adviser(args: argparse.Namespace) -> int:
    from app.core.db import write_session
    from app.offices.models import Office
    from app.operations.first_start import print_setup_link, setup_link
    from app.people.models import Adviser, Role, User

    with write_session() as session:
        if session.exec(select(User).where(User.email == args.email)).first():
            print(f"Someone already uses {args.email}.", file=sys.stderr)
            return 1
        office = session.exec(select(Office).order_by(col(Office.id))).first()
        if office is None:
            print("Create an office first (seed-demo creates a demo one).", file=sys.stderr)
            return 1
        user = User(role=Role.adviser, full_name=args.name, email=args.email)
        session.add(user)
        session.flush()
        assert user.id is not None and office.id is not None
        session.add(Adviser(user_id=user.id, office_id=office.id))
        office_name = office.name
        # Without it the adviser could never sign in: nobody has invited them.
        link = setup_link(session, user)
    print(f"Adviser {args.name} <{args.email}> created at {office_name}.")
    print_setup_link(link)
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from app.core.logs import configure_logging

    settings = get_settings()
    configure_logging(settings)
    print(f"My Pathways on http://{args.host}:{args.port} ({settings.env.value})")
    uvicorn.run(
        "app.main:create_app",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        # Only a configured proxy may say where a request came from (sign-in limits count
        # by address); with none configured, the connecting address is the client's.
        proxy_headers=bool(settings.forwarded_allow_ips),
        forwarded_allow_ips=settings.forwarded_allow_ips or None,
        # Open plan event streams must not hold up a restart for long.
        timeout_graceful_shutdown=5,
        log_level="info" if settings.is_development else "warning",
        # Our handler (core/logs.py) writes every line; uvicorn's access log is replaced by
        # ours, which names route templates instead of addresses with ids and query strings.
        log_config=None,
        access_log=False,
        # No "server: uvicorn" on every answer: it tells a visitor nothing they need, and a
        # first visit paid for it once per file.
        server_header=False,
    )
    return 0


def cmd_worker(args: argparse.Namespace) -> int:
    import signal
    import threading

    # A refused --until is answered before the app is loaded and the database opened.
    until = None if args.until is None else _rehearsal_end(args.until)
    if args.until is not None and until is None:
        return 2

    from app.core.db import get_engine
    from app.core.error_reports import init_error_reports
    from app.core.logs import configure_logging
    from app.delivery.worker import worker_from_settings
    from app.main import wire_listeners

    settings = get_settings()
    configure_logging(settings)
    init_error_reports(settings)
    wire_listeners()  # a change made while working plans reminders like any other
    from app.operations.purge import daily_purge

    worker, http = worker_from_settings(settings, get_engine(), daily_purge)
    stop = threading.Event()
    # SIGTERM finishes the message in hand and stops; SIGKILL is covered by leases.
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    if until is not None:
        try:
            return _rehearse(worker, until)
        finally:
            http.close()
    print(f"Outbox worker {worker.name} started.", flush=True)
    try:
        if args.once:
            while worker.run_once():
                pass
        else:
            worker.run(stop, settings.worker_poll_seconds)
    finally:
        http.close()
    return 0


def _rehearsal_end(until_text: str) -> datetime | None:
    """`worker --until`'s London time, or None (and why, on stderr) if it is refused: in
    production, muddled, or a time the clocks skip."""
    from app.core.clock import LONDON, WallClock, wall_clock_problem
    from app.core.config import Environment

    if get_settings().env == Environment.production:
        print("--until moves the clock: it is refused in production.", file=sys.stderr)
        return None
    try:
        until = datetime.fromisoformat(until_text.strip())
    except ValueError:
        until = None
    if until is None or until.tzinfo is not None or len(until_text.strip()) < 16:
        print("Give --until as a London time, like 2026-12-08T14:30.", file=sys.stderr)
        return None
    problem = wall_clock_problem(until.date(), until.time())
    if problem == WallClock.missing:
        print(f"{until_text} does not happen in London: the clocks skip it.", file=sys.stderr)
        return None
    if problem == WallClock.twice:
        print(f"{until_text} happens twice in London; --until takes the second.", file=sys.stderr)
    return until.replace(tzinfo=LONDON, fold=1)


def _rehearse(worker: Any, until: datetime) -> int:
    """`worker --until`: outside production, walk the clock to a London time and print what
    would reach each phone, at its minute (and what was held back, and why)."""
    from app.core.clock import to_london
    from app.delivery.rehearsal import rehearse

    for message in rehearse(worker, until):
        when = to_london(message.finished_at) if message.finished_at else None
        what = message.sms_body if message.sent_channel == "sms" else message.body
        outcome = message.sent_channel or f"held back ({message.last_error})"
        print(f"{when:%a %d %b %H:%M}  user {message.user_id}  {message.kind}  {outcome}: {what}")
    return 0


def cmd_vapid_keys(_args: argparse.Namespace) -> int:
    from app.core.vapid import new_key_pair
    from app.delivery.senders import application_server_key

    private_pem, public_pem = new_key_pair()
    print("# Web push keys. Keep the private key secret; set both in the environment.")
    print("MYPATHWAYS_VAPID_PRIVATE_KEY=" + repr(private_pem.decode()).strip("'"))
    print("MYPATHWAYS_VAPID_PUBLIC_KEY=" + repr(public_pem.decode()).strip("'"))
    print("# The browser's applicationServerKey: " + application_server_key(public_pem))
    return 0


def cmd_purge(_args: argparse.Namespace) -> int:
    from app.core.db import write_session
    from app.operations.purge import purge

    with write_session() as session:
        done = purge(session=session)
    print(done.summary())
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m app", description="My Pathways")
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="run the web app")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1)
    serve.set_defaults(handler=cmd_serve)

    migrate = commands.add_parser("migrate", help="bring the database to the newest migration")
    migrate.set_defaults(handler=cmd_migrate)

    worker = commands.add_parser("worker", help="send reminders and messages from the outbox")
    worker.add_argument("--once", action="store_true", help="send what is due, then stop")
    worker.add_argument(
        "--until",
        metavar="LONDON_TIME",
        help="not in production: move the clock to this time (e.g. 2026-12-08T14:30), sending "
        "everything due on the way at its minute, and print what went",
    )
    worker.set_defaults(handler=cmd_worker)

    vapid = commands.add_parser("vapid-keys", help="make a key pair for web push")
    vapid.set_defaults(handler=cmd_vapid_keys)

    seed = commands.add_parser("seed-demo", help="create a demo office with made-up people")
    seed.set_defaults(handler=cmd_seed_demo)

    adviser = commands.add_parser("create-adviser", help="add an adviser to the first office")
    adviser.add_argument("--email", required=True)
    adviser.add_argument("--name", required=True)
    adviser.set_defaults(handler=cmd_create_adviser)

    first_start.add_commands(commands)

    purge = commands.add_parser("purge", help="delete or blank what we no longer need to keep")
    purge.set_defaults(handler=cmd_purge)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    result: int = args.handler(args)
    return result
