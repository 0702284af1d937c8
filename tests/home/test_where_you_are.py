""" "Where you are": one plain page that answers "Am I with Pathways, or not?" (issue #17, 5)."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlmodel import Session

from app.appointments.models import AppointmentStatus
from app.caseload.models import ClientService, ServiceKind
from app.core.clock import london_datetime, london_today
from app.core.formatting import human_date
from app.people.models import ClaimantType, ClientProfile, ClientStatus, User
from tests.factories import make_adviser, make_appointment, make_client, make_slot, sign_in_client
from tests.html import parse


def _page(client: TestClient) -> str:
    response = client.get("/where-you-are")
    assert response.status_code == 200
    main = parse(response.text).find("main")
    assert main is not None
    return " ".join(main.get_text(" ").split())


def _client(
    client: TestClient, db: Session, claimant_type: ClaimantType = ClaimantType.mandatory
) -> tuple[ClientProfile, User]:
    adviser, _ = make_adviser(db, name="Jo Adviser")
    profile, user = make_client(db, adviser, claimant_type=claimant_type)
    sign_in_client(client, db, user)
    return profile, user


def _interview(db: Session, profile: ClientProfile, days: int, number: int, attended: bool) -> None:
    from app.people.models import Adviser

    adviser = db.get(Adviser, profile.adviser_id)
    assert adviser is not None
    day = london_today() + timedelta(days=days)
    appointment = make_appointment(db, profile, make_slot(db, adviser, london_datetime(day, 10)))
    appointment.wfi_number = number
    if attended:
        appointment.status = AppointmentStatus.attended
    db.add(appointment)
    db.flush()


def test_it_names_the_next_interview_and_how_many_there_are(
    client: TestClient, db: Session
) -> None:
    profile, _ = _client(client, db)
    _interview(db, profile, -30, 1, attended=True)
    _interview(db, profile, -10, 2, attended=True)
    _interview(db, profile, 9, 3, attended=False)
    text = _page(client)
    assert "Yes, you are with Pathways to Work." in text
    day = human_date(london_today() + timedelta(days=9))
    assert f"Your next meeting is interview 3 of 6, on {day}." in text


def test_with_nothing_booked_it_says_how_many_so_far_and_who_offers_the_next(
    client: TestClient, db: Session
) -> None:
    profile, _ = _client(client, db)
    _interview(db, profile, -30, 1, attended=True)
    text = _page(client)
    assert "You have had 1 of your 6 interviews. Jo Adviser will offer you a time" in text


def test_a_pause_says_the_client_is_still_with_the_programme_and_until_when(
    client: TestClient, db: Session
) -> None:
    profile, _ = _client(client, db)
    profile.status = ClientStatus.paused
    profile.paused_until = london_today() + timedelta(days=40)
    db.add(profile)
    db.flush()
    text = _page(client)
    assert "You are still with Pathways to Work. Your interviews are paused until" in text
    assert "There are no interviews until then, and nothing you need to do." in text


def test_a_job_start_reads_in_the_right_tense(client: TestClient, db: Session) -> None:
    profile, _ = _client(client, db)
    profile.in_work_since = london_today() + timedelta(days=5)
    db.add(profile)
    db.flush()
    assert "You start work on" in _page(client)
    profile.in_work_since = london_today() - timedelta(days=5)
    db.add(profile)
    db.flush()
    assert "You have been in work since" in _page(client)


def test_each_service_says_where_it_stands_and_what_happens_when_it_ends(
    client: TestClient, db: Session
) -> None:
    profile, _ = _client(client, db)
    assert profile.id is not None
    for kind, status, weeks in (
        (ServiceKind.cmp, "waiting", 6),
        (ServiceKind.counselling, "active", None),
        (ServiceKind.job_broker, "ended", None),
    ):
        db.add(
            ClientService(client_id=profile.id, kind=kind, status=status, expected_wait_weeks=weeks)
        )
    db.flush()
    text = _page(client)
    assert (
        "Waiting to start. The wait is usually about 6 weeks. Jo Adviser will tell you when it starts."
        in text
    )
    assert "Going now. When it ends, Jo Adviser will get in touch about what is next." in text
    assert "Ended. Jo Adviser will get in touch about what is next." in text


def test_someone_taking_part_by_choice_is_told_so(client: TestClient, db: Session) -> None:
    _client(client, db, claimant_type=ClaimantType.voluntary)
    assert "You are taking part because you chose to." in _page(client)


def test_home_links_to_it(client: TestClient, db: Session) -> None:
    _client(client, db)
    link = parse(client.get("/home").text).select_one("#where-link a")
    assert link is not None and link["href"] == "/where-you-are"


def test_it_is_in_welsh_for_a_welsh_speaker(client: TestClient, db: Session) -> None:
    adviser, _ = make_adviser(db, name="Jo Adviser")
    _profile, user = make_client(db, adviser, language="cy")
    sign_in_client(client, db, user)
    assert "Rydych chi ar raglen Llwybrau at Waith." in _page(client)
