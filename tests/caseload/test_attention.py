"""Each 'needs attention' rule: the situation makes the item appear, and doing the thing makes
it leave. Nothing falls off silently."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlmodel import Session

from app.appointments.availability import publish
from app.appointments.booking import book_slot
from app.appointments.models import (
    AppointmentKind,
    AppointmentMode,
    AppointmentStatus,
    HelpKind,
    HelpRequest,
)
from app.core.clock import london_today
from app.people.models import ClientStatus
from tests.factories import make_adviser, make_client, post_form, sign_in_staff
from tests.html import parse


def _book(db: Session, adviser, profile, days: int, **kwargs):  # type: ignore[no-untyped-def]
    slot = publish(
        session=db,
        adviser_id=adviser.id,
        day=london_today() + timedelta(days=days),
        hour=14,
        minute=0,
        duration_minutes=60,
        mode=AppointmentMode.in_person,
        venue_id=None,
    )[0]
    return book_slot(
        session=db,
        slot=slot,
        client_id=profile.id,
        kind=kwargs.get("kind", AppointmentKind.wfi),
        wfi_number=kwargs.get("wfi_number"),
        actor_user_id=None,
        actor_role="adviser",
    )


def _attention(client: TestClient) -> str:
    block = parse(client.get("/adviser").text).find(id="attention")
    return " ".join(block.get_text(" ").split()).replace(" :", ":") if block else ""


def test_help_requests_appear_until_answered(client: TestClient, db: Session) -> None:
    adviser, user = make_adviser(db)
    profile, _ = make_client(db, adviser, name="Hana Help")
    appointment = _book(db, adviser, profile, 5, wfi_number=1)
    request = HelpRequest(appointment_id=appointment.id, kind=HelpKind.interpreter, detail="Polish")
    db.add(request)
    db.flush()
    sign_in_staff(client, user)
    assert "Hana Help: asked for help before an appointment" in _attention(client)
    url = f"/adviser/clients/{profile.id}"
    post_form(client, url, f"{url}/help/{request.id}", {"answer": "arranged"})
    assert "Hana Help" not in _attention(client)


def test_a_review_date_that_has_come_appears_until_the_pause_ends(
    client: TestClient, db: Session
) -> None:
    adviser, user = make_adviser(db)
    profile, _ = make_client(db, adviser, name="Rhod Review")
    profile.status, profile.paused_until = ClientStatus.paused, london_today()
    db.add(profile)
    db.flush()
    sign_in_staff(client, user)
    assert "Rhod Review: pause review date has come" in _attention(client)
    url = f"/adviser/clients/{profile.id}"
    post_form(client, url, f"{url}/resume", {})
    assert "Rhod Review" not in _attention(client)


def test_after_the_sixth_interview_with_nothing_next(client: TestClient, db: Session) -> None:
    adviser, user = make_adviser(db)
    profile, _ = make_client(db, adviser, name="Siw Sixth")
    sixth = _book(db, adviser, profile, 1, wfi_number=6)
    sixth.status = AppointmentStatus.attended
    db.add(sixth)
    db.flush()
    sign_in_staff(client, user)
    assert "Siw Sixth: after the sixth interview" in _attention(client)
    _book(db, adviser, profile, 20, kind=AppointmentKind.check_in)
    assert "Siw Sixth" not in _attention(client)


def test_a_missed_appointment_appears_until_a_new_time_is_booked(
    client: TestClient, db: Session
) -> None:
    adviser, user = make_adviser(db)
    profile, _ = make_client(db, adviser, name="Mal Missed")
    missed = _book(db, adviser, profile, 1, wfi_number=2)
    missed.status = AppointmentStatus.missed
    db.add(missed)
    db.flush()
    sign_in_staff(client, user)
    assert "Mal Missed: missed an appointment" in _attention(client)
    _book(db, adviser, profile, 9, wfi_number=2)
    assert "Mal Missed" not in _attention(client)


def test_an_ended_referral_appears_until_followed_up(client: TestClient, db: Session) -> None:
    adviser, user = make_adviser(db)
    profile, _ = make_client(db, adviser, name="Cai CMP")
    sign_in_staff(client, user)
    url = f"/adviser/clients/{profile.id}"
    post_form(
        client,
        url,
        f"{url}/services",
        {"kind": "cmp", "started_by": "adviser", "expected_wait_weeks": "6"},
    )
    page = client.get(url).text
    assert "Condition Management Programme: waiting (expected wait about 6 weeks)" in parse(
        page
    ).get_text(" ")
    form = parse(page).find("form", action=lambda a: bool(a) and "/services/" in a)
    assert form is not None
    service_action = str(form["action"])
    post_form(client, url, service_action, {"action": "ended"})
    assert "Cai CMP: a referral ended: follow up" in _attention(client)
    post_form(client, url, service_action, {"action": "followed-up"})
    assert "Cai CMP" not in _attention(client)


def test_the_referral_summary_needs_the_clients_agreement(client: TestClient, db: Session) -> None:
    adviser, user = make_adviser(db)
    profile, _ = make_client(db, adviser, name="Sal Summary")
    sign_in_staff(client, user)
    url = f"/adviser/clients/{profile.id}"
    before = parse(client.get(f"{url}/referral-summary").text)
    assert before.find(id="no-consent") is not None and before.find(id="summary-plan") is None
    response = post_form(client, url, f"{url}/summary-consent", {})
    assert response.headers["location"] == f"{url}/referral-summary"
    after = parse(client.get(f"{url}/referral-summary").text)
    assert after.find(id="summary-plan") is not None


def test_the_list_keeps_the_order_that_matters_most(client: TestClient, db: Session) -> None:
    from app.people.models import AdviserTask, TaskKind
    from app.rescheduling.models import RequestKind, RescheduleRequest

    adviser, user = make_adviser(db)
    names = ["Ann Request", "Ben Help", "Cat Work", "Dai Missed", "Eve Talk"]
    ann, ben, cat, dai, eve = (make_client(db, adviser, name=n)[0] for n in names)
    assert ann.id is not None and cat.id is not None and eve.id is not None
    db.add(RescheduleRequest(client_id=ann.id, kind=RequestKind.not_well))
    help_for = _book(db, adviser, ben, 5, wfi_number=1)
    db.add(HelpRequest(appointment_id=help_for.id, kind=HelpKind.travel))
    db.add(
        AdviserTask(
            adviser_id=adviser.id,
            client_id=cat.id,
            kind=TaskKind.in_work_check_in,
            due_on=london_today(),
        )
    )
    missed = _book(db, adviser, dai, 1, wfi_number=2)
    missed.status = AppointmentStatus.missed
    db.add(AdviserTask(adviser_id=adviser.id, client_id=eve.id, kind=TaskKind.talk_to_someone))
    db.flush()
    sign_in_staff(client, user)
    text = _attention(client)
    positions = [text.index(n) for n in names]
    assert positions == sorted(positions), text


def test_the_adviser_records_who_came_and_the_sixth_interview_and_missed_rules_follow(
    client: TestClient, db: Session
) -> None:
    from app.core.clock import frozen_now, utcnow

    adviser, user = make_adviser(db)
    sixth_client, _ = make_client(db, adviser, name="Siw Sixth")
    missed_client, _ = make_client(db, adviser, name="Mo Missed")
    sixth = _book(db, adviser, sixth_client, 1, wfi_number=6)
    other = _book(db, adviser, missed_client, 1, wfi_number=2)
    with frozen_now(utcnow() + timedelta(days=2)):
        sign_in_staff(client, user)
        for appointment, profile, outcome in (
            (sixth, sixth_client, "attended"),
            (other, missed_client, "missed"),
        ):
            url = f"/adviser/clients/{profile.id}"
            page = client.get(url).text
            assert "They came" in page and "They did not come" in page
            post_form(
                client, url, f"{url}/appointments/{appointment.id}/outcome", {"outcome": outcome}
            )
        attention = _attention(client)
        assert "Siw Sixth: after the sixth interview" in attention
        assert "Mo Missed: missed an appointment" in attention
        # Only once: the buttons are gone, and a second try is refused.
        url = f"/adviser/clients/{sixth_client.id}"
        assert "They came" not in client.get(url).text
        again = post_form(
            client, url, f"{url}/appointments/{sixth.id}/outcome", {"outcome": "missed"}
        )
        assert again.status_code == 409  # the kind page: what was recorded, nothing changed
        assert "They came." in again.text


def test_an_outcome_cannot_be_recorded_before_the_time(client: TestClient, db: Session) -> None:
    adviser, user = make_adviser(db)
    profile, _ = make_client(db, adviser, name="Fay Future")
    future = _book(db, adviser, profile, 3, wfi_number=1)
    sign_in_staff(client, user)
    url = f"/adviser/clients/{profile.id}"
    assert "They came" not in client.get(url).text
    response = post_form(
        client, url, f"{url}/appointments/{future.id}/outcome", {"outcome": "attended"}
    )
    assert response.status_code == 404


def test_messages_that_stop_arriving_are_flagged_until_one_gets_through(
    client: TestClient, db: Session
) -> None:
    from app.core.clock import utcnow
    from app.delivery.models import Channel, Notification, NotificationKind, NotificationStatus

    adviser, user = make_adviser(db)
    profile, client_user = make_client(db, adviser, name="Una Unreachable")

    def message(n: int, status: NotificationStatus) -> None:
        now = utcnow()
        db.add(
            Notification(
                idempotency_key=f"unreachable-{profile.id}-{n}",
                subject=f"client:{profile.id}",
                kind=NotificationKind.reminder,
                user_id=client_user.id,
                channel=Channel.auto,
                recipient=client_user.phone,
                body="Reminder: you have an appointment tomorrow at 2pm.",
                due_at=now,
                next_attempt_at=now,
                status=status,
            )
        )
        db.flush()

    message(1, NotificationStatus.sent)
    sign_in_staff(client, user)
    assert "Una Unreachable" not in _attention(client)
    message(2, NotificationStatus.failed_permanent)
    assert "Una Unreachable: our messages are not reaching them" in _attention(client)
    record = parse(client.get(f"/adviser/clients/{profile.id}").text)
    assert "did not arrive" in record.select_one("#messages + ul").get_text()  # type: ignore[union-attr]
    message(3, NotificationStatus.delivered)
    assert "Una Unreachable" not in _attention(client)
