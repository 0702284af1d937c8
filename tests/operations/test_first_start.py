"""A real first start: an office, a venue and an admin made from the command line against a
fresh SQLite database; running a command twice refuses the duplicate and changes nothing."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url
from sqlmodel import Session, create_engine, select

from app.accounts.models import Invitation
from app.core.tokens import keyed_hash
from app.offices.models import Office, Venue
from app.operations.first_start import office_problem
from app.people.models import Role, User
from tests.core.test_cli import run

OFFICE = [
    "create-office",
    "--name", "Cardiff Jobcentre",
    "--address", "1 Heol y Frenhines, Cardiff",
    "--postcode", "cf10 1aa",
    "--phone", "0800 169 0190",
    "--name-cy", "Canolfan Byd Gwaith Caerdydd",
    "--nation", "wales",
]  # fmt: skip
VENUE = [
    "create-venue",
    "--name", "Central Library, room 2",
    "--kind", "community",
    "--address", "The Hayes, Cardiff",
    "--postcode", "CF10 1FL",
    "--private-room",
]  # fmt: skip
ADMIN = ["create-admin", "--email", "Nia.Admin@Example.org", "--name", "Nia Admin"]


@pytest.fixture
def database(tmp_path: Path, migrated_database: Callable[[str], str]) -> Path:
    """A fresh SQLite file at the newest migration, where tests/core/test_cli.py's `run` looks
    (tmp_path/cli.db). A copy of the migrated template: `migrate` from the command line has
    its own test there."""
    shutil.copyfile(str(make_url(migrated_database("sqlite")).database), tmp_path / "cli.db")
    return tmp_path


def _open(folder: Path) -> Session:
    return Session(create_engine(f"sqlite:///{folder / 'cli.db'}"))


def test_an_office_then_a_venue_at_it_and_duplicates_refused(database: Path) -> None:
    assert "first" in run(database, *VENUE).stderr  # no office yet: says what to do
    made = run(database, *OFFICE)
    assert made.returncode == 0, made.stderr
    venue = run(database, *VENUE)
    assert venue.returncode == 0, venue.stderr
    again = run(database, *OFFICE)
    venue_again = run(database, *VENUE, "--office", "Cardiff Jobcentre")
    assert (again.returncode, venue_again.returncode) == (1, 1)
    assert "already" in again.stderr and "already" in venue_again.stderr

    with _open(database) as session:
        office = session.exec(select(Office)).one()
        assert (office.name_cy, office.postcode, office.nation) == (
            "Canolfan Byd Gwaith Caerdydd",
            "CF10 1AA",
            "wales",
        )
        assert office.address_cy is None  # Welsh is optional
        place = session.exec(select(Venue)).one()
        assert (place.office_id, place.kind, place.has_private_room) == (
            office.id,
            "community",
            True,
        )


def test_an_admin_gets_a_one_time_set_up_link(database: Path) -> None:
    made = run(database, *ADMIN)
    assert made.returncode == 0, made.stderr
    assert "authenticator" in made.stdout
    found = re.search(r"/invitation/(\S+)", made.stdout)
    assert found is not None
    again = run(database, "create-admin", "--email", "nia.admin@example.org", "--name", "Nia")
    assert again.returncode == 1 and "already" in again.stderr

    with _open(database) as session:
        admin = session.exec(select(User)).one()
        assert (admin.role, admin.email, admin.password_hash) == (
            Role.admin,
            "nia.admin@example.org",
            None,
        )
        invitation = session.exec(select(Invitation)).one()
        assert invitation.user_id == admin.id
        assert invitation.token_hash == keyed_hash("invitation", found.group(1))


def test_a_bad_email_is_refused(database: Path) -> None:
    result = run(database, "create-admin", "--email", "not an email", "--name", "Someone")
    assert result.returncode == 1 and "email" in result.stderr


@pytest.mark.parametrize(
    ("name", "address", "postcode", "phone"),
    [
        ("", "1 Heol y Frenhines", "CF10 1AA", "0800 169 0190"),
        ("Cardiff", "", "CF10 1AA", "0800 169 0190"),
        ("Cardiff", "1 Heol y Frenhines", "not a postcode", "0800 169 0190"),
        ("Cardiff", "1 Heol y Frenhines", "CF10 1AA", "abc"),
        ("Cardiff", "1 Heol y Frenhines", "CF10 1AA", "12345"),
        ("C" * 10_000, "1 Heol y Frenhines", "CF10 1AA", "0800 169 0190"),
        ("Card\tiff\nJobcentre", "1 Heol y Frenhines", "CF10 1AA", "0800 169 0190"),
    ],
)
def test_office_details_clients_would_read_wrongly_are_refused(
    name: str, address: str, postcode: str, phone: str
) -> None:
    """#21 outside-in: empty fields, 'abc' for a phone and a 10 KB name were accepted, and
    would have reached the contact page and texts."""
    assert office_problem(name, address, postcode, phone) is not None
    assert office_problem("Cardiff", "1 Heol y Frenhines", "cf10 1aa", "0800 169 0190") is None


def test_an_office_name_differing_only_in_case_or_spaces_is_a_duplicate(database: Path) -> None:
    assert run(database, *OFFICE).returncode == 0
    near = [*OFFICE]
    near[near.index("Cardiff Jobcentre")] = "  cardiff   JOBCENTRE "
    again = run(database, *near)
    assert again.returncode == 1 and "already" in again.stderr
    refused = run(database, *[v if v != "0800 169 0190" else "abc" for v in OFFICE])
    assert refused.returncode == 1 and "phone number" in refused.stderr
