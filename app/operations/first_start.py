"""First start on a real server: `create-office`, `create-venue` and `create-admin`.

Each refuses a duplicate (same office name, same venue name at an office, same email) rather
than making a second copy, so running the same command twice is safe.
"""

from __future__ import annotations

import argparse
import re
import sys

from sqlmodel import Session, col, select

from app.accounts.identifiers import normalise_email
from app.accounts.invitations import INVITATION_LIFETIME
from app.accounts.models import Invitation
from app.core.clock import utcnow
from app.core.config import get_settings
from app.core.tokens import keyed_hash, new_token
from app.offices.calendar import NATIONS
from app.offices.models import Office, Venue, VenueKind
from app.people.models import Role, User


def _refuse(message: str) -> int:
    print(message, file=sys.stderr)
    return 1


# What clients will read on the contact page and in texts: a real UK postcode (the official
# pattern, less the one-off GIR 0AA) and a number with 10 or 11 digits.
UK_POSTCODE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$")
PHONE_NUMBER = re.compile(r"^\+?[0-9][0-9 ]{9,15}$")
LONGEST_NAME = 120


def office_problem(name: str, address: str, postcode: str, phone: str) -> str | None:
    """Why these office details would read wrongly to clients, or None if they will do."""
    for label, value in (("--name", name), ("--address", address)):
        if not value.strip() or not value.isprintable():
            return f"{label} must be some words on one line."
    if len(name) > LONGEST_NAME:
        return f"--name must be {LONGEST_NAME} characters or fewer."
    if not UK_POSTCODE.match(postcode.strip().upper()):
        return f"{postcode!r} is not a UK postcode (like CF10 1AA)."
    digits = sum(character.isdigit() for character in phone)
    if not PHONE_NUMBER.match(phone.strip()) or not 10 <= digits <= 12:
        return f"{phone!r} is not a phone number clients could ring (like 0800 169 0190)."
    return None


def cmd_create_office(args: argparse.Namespace) -> int:
    """Add a Jobcentre office (what clients see as where their adviser works)."""
    from app.core.db import write_session

    problem = office_problem(args.name, args.address, args.postcode, args.phone)
    if problem:
        return _refuse(f"{problem} Nothing changed.")
    name = " ".join(args.name.split())
    with write_session() as session:
        taken = session.exec(select(Office.name)).all()
        if any(existing.casefold() == name.casefold() for existing in taken):
            return _refuse(f"An office called {name} already exists: nothing changed.")
        office = Office(
            name=name,
            address=args.address.strip(),
            postcode=args.postcode.strip().upper(),
            phone=args.phone.strip(),
            name_cy=args.name_cy,
            address_cy=args.address_cy,
            nation=args.nation,
        )
        session.add(office)
        session.flush()
        office_id = office.id
    print(f"Office {name} created (id {office_id}).")
    return 0


def _find_office(session: Session, name: str | None) -> Office | None:
    query = select(Office).order_by(col(Office.id))
    if name:
        query = query.where(Office.name == name)
    return session.exec(query).first()


def cmd_create_venue(args: argparse.Namespace) -> int:
    """Add a place appointments happen (the office itself, a library room, a phone line)."""
    from app.core.db import write_session

    with write_session() as session:
        office = _find_office(session, args.office)
        if office is None or office.id is None:
            return _refuse("No such office: run create-office first, or check --office.")
        duplicate = session.exec(
            select(Venue).where(Venue.office_id == office.id, Venue.name == args.name)
        ).first()
        if duplicate:
            return _refuse(
                f"{office.name} already has a venue called {args.name}: nothing changed."
            )
        session.add(
            Venue(
                office_id=office.id,
                name=args.name,
                kind=VenueKind(args.kind),
                address=args.address,
                postcode=args.postcode.upper() if args.postcode else None,
                name_cy=args.name_cy,
                address_cy=args.address_cy,
                has_private_room=args.private_room,
                accessible_entrance_notes=args.entrance_notes,
                accessible_entrance_notes_cy=args.entrance_notes_cy,
            )
        )
        office_name = office.name
    print(f"Venue {args.name} created at {office_name}.")
    return 0


def cmd_create_admin(args: argparse.Namespace) -> int:
    """Add an admin and print the one-time link where they set their password and their
    authenticator app (there is nobody yet to invite them by email)."""
    from app.core.db import write_session

    email = normalise_email(args.email)
    if email is None:
        return _refuse(f"{args.email} does not look like an email address.")
    with write_session() as session:
        if session.exec(select(User).where(User.email == email)).first():
            return _refuse(f"Someone already uses {email}: nothing changed.")
        user = User(role=Role.admin, full_name=args.name, email=email)
        session.add(user)
        session.flush()
        link = setup_link(session, user)
    print(f"Admin {args.name} <{email}> created.")
    print_setup_link(link)
    return 0


def setup_link(session: Session, user: User) -> str:
    """A one-time link (7 days) where a new member of staff sets their password; their first
    sign-in then sets up their authenticator app. For commands, where there is nobody yet to
    send an invitation email."""
    assert user.id is not None
    token = new_token()
    session.add(
        Invitation(
            token_hash=keyed_hash("invitation", token),
            user_id=user.id,
            created_by_user_id=user.id,
            expires_at=utcnow() + INVITATION_LIFETIME,
        )
    )
    return f"{get_settings().base_url}/invitation/{token}"


def print_setup_link(link: str) -> None:
    """Say what the link is for, and print it."""
    print("Give them this link (it works once, within 7 days). There they choose a password;")
    print("at their first sign-in (/adviser/sign-in) they add a key to an authenticator app")
    print("and are shown recovery codes to keep somewhere safe:")
    print(f"  {link}")


def add_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """The first-start commands, on the `python -m app` parser."""
    office = commands.add_parser("create-office", help="add a Jobcentre office")
    office.add_argument("--name", required=True)
    office.add_argument("--address", required=True)
    office.add_argument("--postcode", required=True)
    office.add_argument("--phone", required=True, help="the number clients ring")
    office.add_argument("--name-cy", help="the name in Welsh (optional)")
    office.add_argument("--address-cy", help="the address in Welsh (optional)")
    office.add_argument("--nation", default="england", choices=NATIONS)
    office.set_defaults(handler=cmd_create_office)

    venue = commands.add_parser("create-venue", help="add a place appointments happen")
    venue.add_argument("--office", help="the office's name (default: the first office)")
    venue.add_argument("--name", required=True)
    venue.add_argument("--kind", default="office", choices=[k.value for k in VenueKind])
    venue.add_argument("--address")
    venue.add_argument("--postcode")
    venue.add_argument("--name-cy", help="the name in Welsh (optional)")
    venue.add_argument("--address-cy", help="the address in Welsh (optional)")
    venue.add_argument("--private-room", action="store_true", help="a private room is available")
    venue.add_argument("--entrance-notes", help="how to get in step-free, for example")
    venue.add_argument("--entrance-notes-cy", help="the same in Welsh (optional)")
    venue.set_defaults(handler=cmd_create_venue)

    admin = commands.add_parser("create-admin", help="add an admin and print their set-up link")
    admin.add_argument("--email", required=True)
    admin.add_argument("--name", required=True)
    admin.set_defaults(handler=cmd_create_admin)
