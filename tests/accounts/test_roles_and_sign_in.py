"""Issue 13's examples: what people inside the service may do, and how hard sign-in is to
guess or replay. Each test failed before the permission model and the sign-in limits."""

from __future__ import annotations

from datetime import date, timedelta

import pyotp
import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.action_plans import service as plans
from app.appointments.models import (
    Appointment,
    AppointmentChange,
    AppointmentStatus,
    AvailabilitySlot,
    HelpRequest,
)
from app.core.clock import frozen_now, london_datetime, london_today, utcnow
from app.delivery.models import NotificationKind
from app.people.models import Role, SupportLink, User
from app.rescheduling.models import RequestKind, RequestStatus, RescheduleRequest
from tests.factories import (
    STAFF_PASSWORD,
    code_in,
    csrf_from,
    fresh_code,
    last_message_to,
    make_adviser,
    make_appointment,
    make_client,
    make_slot,
    make_support_person,
    post_form,
    sign_in_client,
    sign_in_staff,
)
from tests.html import parse

# A weekday a couple of weeks ahead, mid-morning: a time any client may move to.
_DAY = london_today() + timedelta(days=14)
SOON = london_datetime(_DAY - timedelta(days=_DAY.weekday() % 5), 10)


def _client_with_appointment(db: Session):  # type: ignore[no-untyped-def]
    adviser, adviser_user = make_adviser(db)
    profile, user = make_client(db, adviser, name="Tomos Client")
    appointment = make_appointment(db, profile, make_slot(db, adviser, SOON))
    other = make_slot(db, adviser, SOON + timedelta(days=2))
    return adviser, adviser_user, profile, user, appointment, other


# 1. A support person acts for the client only with the client's say-so, and as themself.


def test_a_read_only_support_person_cannot_move_the_appointment(
    client: TestClient, db: Session
) -> None:
    _adviser, _adviser_user, profile, _user, appointment, other = _client_with_appointment(db)
    supporter = make_support_person(db, profile)
    sign_in_client(client, db, supporter)
    home = client.get("/home").text
    assert "Tomos Client's next appointment" in home
    assert f"/appointments/{appointment.id}/change" not in home
    token = csrf_from(client.get("/sign-out").text)  # a read-only home page has no form
    response = client.post(
        f"/appointments/{appointment.id}/change",
        data={"slot": str(other.id), "csrf_token": token},
        follow_redirects=False,
    )
    assert response.status_code == 403
    assert "You can look, but not make changes" in response.text
    db.refresh(appointment)
    assert appointment.starts_at == SOON
    assert client.get(f"/appointments/{appointment.id}/change").status_code == 403


def test_a_support_person_the_client_allowed_acts_and_it_is_shown_as_theirs(
    client: TestClient, db: Session
) -> None:
    _adviser, adviser_user, profile, user, appointment, other = _client_with_appointment(db)
    supporter = make_support_person(db, profile, name="Gwen Support", can_ask=True)
    sign_in_client(client, db, supporter)
    response = post_form(
        client,
        f"/appointments/{appointment.id}/change",
        f"/appointments/{appointment.id}/change",
        {"slot": str(other.id)},
    )
    assert response.status_code == 303
    change = db.exec(
        select(AppointmentChange).where(
            AppointmentChange.appointment_id == appointment.id,
            AppointmentChange.change == "moved",
        )
    ).one()
    assert change.actor_role == Role.supporter and change.actor_user_id == supporter.id
    # Still read-only where the client alone decides: the plan and the client's settings.
    assert client.get("/account").status_code == 403
    client.cookies.clear()
    sign_in_client(client, db, user)
    assert "by Gwen Support (support person)" in client.get(f"/appointments/{appointment.id}").text
    client.cookies.clear()
    sign_in_staff(client, adviser_user)
    record = client.get(f"/adviser/clients/{profile.id}").text
    assert "by Gwen Support (support person)" in record


def test_the_client_grants_and_withdraws_asking_for_changes(
    client: TestClient, db: Session
) -> None:
    _adviser, _adviser_user, profile, user, _appointment, _other = _client_with_appointment(db)
    supporter = make_support_person(db, profile)
    link = db.exec(select(SupportLink).where(SupportLink.supporter_user_id == supporter.id)).one()
    sign_in_client(client, db, user)
    account = client.get("/account").text
    assert "No, they can only look" in account
    response = post_form(
        client, "/account", f"/account/support-people/{link.id}/permissions", {"can_ask": "yes"}
    )
    assert response.status_code == 303
    db.refresh(link)
    assert link.can_ask_for_changes is True
    assert "Yes: new times" in client.get("/account").text
    post_form(
        client, "/account", f"/account/support-people/{link.id}/permissions", {"can_ask": "no"}
    )
    db.refresh(link)
    assert link.can_ask_for_changes is False


def test_a_support_person_is_told_discreetly_when_added(client: TestClient, db: Session) -> None:
    _adviser, _adviser_user, _profile, user, _appointment, _other = _client_with_appointment(db)
    sign_in_client(client, db, user)
    post_form(
        client,
        "/account/support-people/add",
        "/account/support-people/add",
        {"name": "Gwen", "phone": "07700 900555", "relationship": "sister", "consent": "yes"},
    )
    message = last_message_to(db, "+447700900555")
    assert message is not None and message.kind == NotificationKind.support_added
    assert "added you on My Pathways" in message.body
    for private in ("Tomos", "Jobcentre", "benefit", "appointment"):
        assert private not in message.body


def test_a_welcome_held_for_the_morning_does_not_go_once_sharing_stops(
    client: TestClient, db: Session
) -> None:
    _adviser, _adviser_user, profile, user, _appointment, _other = _client_with_appointment(db)
    day = date(2026, 12, 2)
    with frozen_now(london_datetime(day, 6, 2)):
        sign_in_client(client, db, user)
        post_form(
            client,
            "/account/support-people/add",
            "/account/support-people/add",
            {"name": "Mo", "phone": "07700 900557", "relationship": "friend", "consent": "yes"},
        )
        welcome = last_message_to(db, "+447700900557")
        assert welcome is not None and welcome.status == "pending"
        link = db.exec(select(SupportLink).where(SupportLink.client_id == profile.id)).one()
        post_form(client, "/account", f"/account/support-people/{link.id}/remove", {})
    db.refresh(welcome)
    assert welcome.status == "cancelled"


@pytest.mark.parametrize(
    ("clock", "due"),
    [((23, 10), (1, 8, 0)), ((4, 53), (0, 8, 0)), ((14, 0), (0, 14, 0)), ((21, 0), (1, 8, 0))],
)
def test_the_text_to_a_support_person_waits_for_the_daytime(
    client: TestClient, db: Session, clock: tuple[int, int], due: tuple[int, int, int]
) -> None:
    """Not something they asked for: it never wakes them (it went at 04:53 once)."""
    _adviser, _adviser_user, _profile, user, _appointment, _other = _client_with_appointment(db)
    day = date(2026, 12, 2)
    with frozen_now(london_datetime(day, *clock)):
        sign_in_client(client, db, user)
        post_form(
            client,
            "/account/support-people/add",
            "/account/support-people/add",
            {"name": "Gwen", "phone": "07700 900556", "relationship": "sister", "consent": "yes"},
        )
    message = last_message_to(db, "+447700900556")
    assert message is not None
    days, hour, minute = due
    assert message.due_at == london_datetime(day + timedelta(days=days), hour, minute)


# 2. Nobody books another adviser's free time, by any path.


def test_an_adviser_cannot_book_a_plan_step_into_another_advisers_slot(
    client: TestClient, db: Session
) -> None:
    mine, my_user = make_adviser(db)
    theirs, _ = make_adviser(db, name="Other Adviser")
    profile, _ = make_client(db, mine)
    assert profile.id is not None
    plan = plans.plan_for(session=db, client_id=profile.id)
    step = plans.add_step(
        session=db, plan=plan, title="Book the course", actor_user_id=None, actor_role="client"
    )
    plans.ask_to_book(session=db, step=step, actor_user_id=None)
    foreign = make_slot(db, theirs, SOON)
    sign_in_staff(client, my_user)
    plan_page = f"/adviser/clients/{profile.id}/plan"
    response = post_form(
        client, plan_page, f"{plan_page}/steps/{step.id}/book", {"slot": str(foreign.id)}
    )
    assert response.status_code == 303
    assert "saved=booked" not in response.headers["location"]
    db.refresh(foreign)
    assert foreign.appointment_id is None
    assert db.exec(select(Appointment).where(Appointment.client_id == profile.id)).all() == []


# 3. Private notes never reach the page title (the whole-app title test is in
# test_page_titles.py).


def test_private_notes_are_not_in_the_client_record_title(client: TestClient, db: Session) -> None:
    adviser, adviser_user = make_adviser(db)
    profile, _ = make_client(db, adviser, name="Nia Private")
    sign_in_staff(client, adviser_user)
    page = f"/adviser/clients/{profile.id}"
    post_form(client, page, f"{page}/notes", {"body": "Worried about her sister"})
    html = client.get(page).text
    title = html.split("<title>")[1].split("</title>")[0]
    assert title == "Client record – My Pathways"


# 4. An authenticator code works once.


def _password_step(client: TestClient, user: User) -> None:
    response = post_form(
        client,
        "/adviser/sign-in",
        "/adviser/sign-in",
        {"email": user.email or "", "password": STAFF_PASSWORD},
    )
    assert response.headers["location"] == "/adviser/sign-in/code", response.text


def _code_step(client: TestClient, code: str):  # type: ignore[no-untyped-def]
    return post_form(client, "/adviser/sign-in/code", "/adviser/sign-in/code", {"code": code})


def test_an_authenticator_code_cannot_be_replayed_from_a_second_browser(
    client: TestClient, db: Session
) -> None:
    _adviser, user = make_adviser(db)
    code = fresh_code(user)
    _password_step(client, user)
    assert _code_step(client, code).status_code == 303
    client.cookies.clear()
    _password_step(client, user)
    replay = _code_step(client, code)
    assert replay.status_code == 400
    assert "That code has been used already" in replay.text


# 5. Wrong second-factor codes are limited per account, across attempts.


def test_wrong_authenticator_codes_are_limited_across_sign_in_attempts(
    client: TestClient, db: Session
) -> None:
    _adviser, user = make_adviser(db)
    assert user.totp_secret
    right = pyotp.TOTP(user.totp_secret).now()
    wrong = "000000" if right != "000000" else "111111"
    for _attempt in range(3):
        client.cookies.clear()
        _password_step(client, user)
        for _guess in range(2):
            _code_step(client, wrong)
    client.cookies.clear()
    _password_step(client, user)
    held = _code_step(client, fresh_code(user))
    assert held.status_code == 400
    assert "Too many tries. Wait" in held.text
    # Told on the code page itself, not sent back to the password silently.
    again = _code_step(client, fresh_code(user))
    assert "Too many tries. Wait" in again.text
    with frozen_now(utcnow() + timedelta(minutes=16)):
        client.cookies.clear()
        _password_step(client, user)
        assert _code_step(client, fresh_code(user)).status_code == 303


# 6. Known and unknown staff emails get the same answers; a stranger cannot lock the real
# adviser out of the browser they use.


def _password(client: TestClient, email: str, password: str):  # type: ignore[no-untyped-def]
    return post_form(
        client, "/adviser/sign-in", "/adviser/sign-in", {"email": email, "password": password}
    )


def test_known_and_unknown_emails_are_answered_alike_after_many_failures(
    client: TestClient, db: Session
) -> None:
    _adviser, user = make_adviser(db)
    answers = {}
    for email in (user.email or "", "nobody-here@example.org"):
        for _ in range(7):
            last = _password(client, email, "not the password")
        answers[email] = (last.status_code, "Too many tries. Wait 15 minutes" in last.text)
    assert answers[user.email or ""] == answers["nobody-here@example.org"] == (400, True)


def test_a_stranger_guessing_cannot_lock_the_adviser_out_of_their_usual_browser(
    client: TestClient, db: Session
) -> None:
    _adviser, user = make_adviser(db)
    sign_in_staff(client, user)  # the adviser's own browser, now known
    known_device = client.cookies.get("mp_staff_device")
    assert known_device
    client.cookies.clear()
    for _ in range(6):  # a stranger, from another browser
        _password(client, user.email or "", "guess")
    assert "Too many tries" in _password(client, user.email or "", STAFF_PASSWORD).text
    client.cookies.clear()
    client.cookies.set("mp_staff_device", known_device, path="/adviser/sign-in")
    assert _password(client, user.email or "", STAFF_PASSWORD).status_code == 303


def test_a_colleague_guessing_from_the_same_office_address_does_not_lock_the_adviser_out(
    client: TestClient, db: Session
) -> None:
    """Found by the outside-in attacker: a shared office address held by one person's
    guesses held the real adviser's own browser too."""
    _adviser, user = make_adviser(db)
    sign_in_staff(client, user)
    known_device = client.cookies.get("mp_staff_device")
    assert known_device
    client.cookies.clear()
    for n in range(21):  # the test client's address is every person's here
        _password(client, f"guess{n}@example.org", "guess")
    assert "Too many tries" in _password(client, user.email or "", STAFF_PASSWORD).text
    client.cookies.clear()
    client.cookies.set("mp_staff_device", known_device, path="/adviser/sign-in")
    assert _password(client, user.email or "", STAFF_PASSWORD).status_code == 303


def test_one_address_guessing_across_many_emails_is_held(client: TestClient, db: Session) -> None:
    _adviser, user = make_adviser(db)
    for n in range(20):
        _password(client, f"guess{n}@example.org", "guess")
    assert "Too many tries" in _password(client, user.email or "", STAFF_PASSWORD).text


# 7. Client sign-in codes are limited per network address, across numbers.


def test_wrong_sign_in_codes_across_many_numbers_from_one_address_are_held(
    client: TestClient, db: Session
) -> None:
    adviser, _ = make_adviser(db)
    users = [make_client(db, adviser, name=f"Client {n}")[1] for n in range(4)]
    checked = 0
    for user in users:
        client.cookies.clear()
        post_form(client, "/sign-in", "/sign-in", {"contact": user.phone or ""})
        for _ in range(5):
            response = post_form(client, "/sign-in/code", "/sign-in/code", {"code": "000001"})
            if "Too many tries" in response.text:
                break
            checked += 1
    assert checked == 15
    # Even the right code is held now, from this address.
    client.cookies.clear()
    last = users[-1]
    post_form(client, "/sign-in", "/sign-in", {"contact": last.phone or ""})
    code = code_in(last_message_to(db, last.phone or ""))
    held = post_form(client, "/sign-in/code", "/sign-in/code", {"code": code})
    assert "Too many tries" in held.text


# 8. Personal pages are never kept by HTTP caches.


def test_signed_in_pages_are_not_stored(client: TestClient, db: Session) -> None:
    adviser, adviser_user = make_adviser(db)
    profile, user = make_client(db, adviser)
    sign_in_client(client, db, user)
    for path in ("/home", "/account", "/plan", "/your-times", "/settings/reminders"):
        assert client.get(path).headers["cache-control"] == "no-store", path
    client.cookies.clear()
    sign_in_staff(client, adviser_user)
    for path in ("/adviser", f"/adviser/clients/{profile.id}"):
        assert client.get(path).headers["cache-control"] == "no-store", path


# 9. A valid token from another site's page is refused.


def test_a_cross_site_post_with_a_valid_token_is_refused(client: TestClient, db: Session) -> None:
    _adviser, _adviser_user, _profile, user, appointment, _other = _client_with_appointment(db)
    sign_in_client(client, db, user)
    token = csrf_from(client.get("/home").text)
    for headers in (
        {"origin": "https://evil.example"},
        {"origin": "null"},
        {"sec-fetch-site": "cross-site"},
        {"sec-fetch-site": "same-site"},
    ):
        response = client.post(
            "/not-well-enough",
            data={"appointment_id": str(appointment.id), "csrf_token": token},
            headers=headers,
            follow_redirects=False,
        )
        assert response.status_code == 403, headers
    same = client.post(
        "/not-well-enough",
        data={"appointment_id": str(appointment.id), "csrf_token": token},
        headers={"origin": "http://127.0.0.1", "sec-fetch-site": "same-origin"},
        follow_redirects=False,
    )
    assert same.status_code == 303


# Also: who has looked, by name, one row per visit.


def test_who_has_looked_names_each_visit_once(client: TestClient, db: Session) -> None:
    adviser, adviser_user = make_adviser(db, name="Ada Adviser")
    profile, user = make_client(db, adviser)
    sign_in_staff(client, adviser_user)
    start = utcnow()
    with frozen_now(start):
        client.get(f"/adviser/clients/{profile.id}")
        client.get(f"/adviser/clients/{profile.id}/plan")
    with frozen_now(start + timedelta(hours=3)):
        client.cookies.clear()
        sign_in_staff(client, adviser_user)  # the first session has timed out by now
        client.get(f"/adviser/clients/{profile.id}")
    client.cookies.clear()
    sign_in_client(client, db, user)
    page = client.get("/account/who-has-looked").text
    assert page.count("Ada Adviser, adviser") == 2
    assert str((start + timedelta(hours=3)).year) in page


# Found by the outside-in attacker.


def test_offering_only_other_advisers_times_leaves_the_request_open(
    client: TestClient, db: Session
) -> None:
    _adviser, adviser_user, profile, _user, appointment, _other = _client_with_appointment(db)
    theirs, _ = make_adviser(db, name="Other Adviser")
    foreign = make_slot(db, theirs, SOON + timedelta(days=3))
    request = RescheduleRequest(
        appointment_id=appointment.id,
        client_id=profile.id,
        kind=RequestKind.change,
    )
    db.add(request)
    db.flush()
    sign_in_staff(client, adviser_user)
    response = post_form(
        client,
        f"/adviser/clients/{profile.id}",
        f"/adviser/requests/{request.id}",
        {"answer": "offer-other-times", "slots": str(foreign.id)},
    )
    assert response.status_code == 303
    db.refresh(request)
    assert request.status == RequestStatus.open
    db.refresh(foreign)
    assert foreign.offered_to_client_id is None


def test_only_times_the_client_could_choose_are_offered_in_answer_and_the_adviser_is_told(
    client: TestClient, db: Session
) -> None:
    """A time within a day is on the adviser's list (they may book it) but the client could
    never choose it: offered in answer to a request, it was held for them and never shown,
    and the request left the list (#18 outside-in)."""
    from app.core.clock import utcnow

    adviser, adviser_user, profile, _user, appointment, later = _client_with_appointment(db)
    within_a_day = make_slot(db, adviser, utcnow() + timedelta(hours=3))
    request = RescheduleRequest(
        appointment_id=appointment.id, client_id=profile.id, kind=RequestKind.change
    )
    db.add(request)
    db.flush()
    sign_in_staff(client, adviser_user)
    record = f"/adviser/clients/{profile.id}"
    answer = f"/adviser/requests/{request.id}"

    def offer(*slots: AvailabilitySlot) -> str:
        """Offer these times in answer; gives the banner the adviser then sees."""
        sent = post_form(
            client,
            record,
            answer,
            {"answer": "offer-other-times", "slots": [str(s.id) for s in slots]},
        )
        banner = parse(client.get(sent.headers["location"]).text).find(id="done")
        assert banner is not None
        return " ".join(banner.get_text().split())

    assert "None of those times was offered" in offer(within_a_day)
    db.refresh(request)
    db.refresh(within_a_day)
    assert request.status == RequestStatus.open and within_a_day.offered_to_client_id is None
    assert "1 time offered" in offer(within_a_day, later)
    db.refresh(later)
    db.refresh(within_a_day)
    assert later.offered_to_client_id == profile.id and within_a_day.offered_to_client_id is None


def test_an_attended_appointment_cannot_be_moved_or_asked_about(
    client: TestClient, db: Session
) -> None:
    _adviser, _adviser_user, _profile, user, appointment, other = _client_with_appointment(db)
    appointment.status = AppointmentStatus.attended
    db.add(appointment)
    db.flush()
    sign_in_client(client, db, user)
    assert client.get(f"/appointments/{appointment.id}/change").status_code == 404
    token = csrf_from(client.get("/home").text)
    moved = client.post(
        f"/appointments/{appointment.id}/change",
        data={"slot": str(other.id), "csrf_token": token},
        follow_redirects=False,
    )
    assert moved.status_code == 404
    client.post(
        f"/appointments/{appointment.id}/help",
        data={"kinds": "travel", "csrf_token": token},
        follow_redirects=False,
    )
    assert (
        db.exec(select(HelpRequest).where(HelpRequest.appointment_id == appointment.id)).all() == []
    )
    assert db.exec(select(RescheduleRequest)).all() == []


def test_the_data_download_leaves_out_security_bookkeeping(client: TestClient, db: Session) -> None:
    _adviser, _adviser_user, _profile, user, _appointment, _other = _client_with_appointment(db)
    sign_in_client(client, db, user)
    text = client.get("/account/download").text
    assert "totp" not in text and "password_hash" not in text


# Found by the outside-in user walk.


def test_a_support_person_nobody_shares_with_any_more_gets_a_kind_page(
    client: TestClient, db: Session
) -> None:
    _adviser, _adviser_user, profile, _user, _appointment, _other = _client_with_appointment(db)
    supporter = make_support_person(db, profile)
    link = db.exec(select(SupportLink).where(SupportLink.supporter_user_id == supporter.id)).one()
    link.revoked_at = utcnow()
    db.add(link)
    db.flush()
    sign_in_client(client, db, supporter)
    home = client.get("/home")
    assert home.status_code == 403
    assert "Nobody is sharing anything with you at the moment" in home.text


def test_the_same_person_cannot_be_added_twice_nor_your_own_number(
    client: TestClient, db: Session
) -> None:
    adviser, _adviser_user, _profile, user, _appointment, _other = _client_with_appointment(db)
    _other_profile, someone_else = make_client(db, adviser, name="Another Client")
    sign_in_client(client, db, user)
    form = {"name": "Ifan", "phone": "07700 900203", "relationship": "friend", "consent": "yes"}
    page = "/account/support-people/add"
    assert post_form(client, page, page, form).status_code == 303
    again = post_form(client, page, page, form)
    assert again.status_code == 400 and "You have already added this person" in again.text
    own = post_form(client, page, page, {**form, "phone": user.phone or ""})
    assert own.status_code == 400 and "This is your own number" in own.text
    theirs = post_form(client, page, page, {**form, "phone": someone_else.phone or ""})
    assert theirs.status_code == 400
    assert "another kind of account" not in theirs.text  # says nothing about whose it is
    assert len(db.exec(select(SupportLink).where(SupportLink.client_id == _profile.id)).all()) == 1


def test_the_client_sees_who_said_they_were_not_well_and_the_helper_is_spoken_to_as_a_helper(
    client: TestClient, db: Session
) -> None:
    _adviser, _adviser_user, profile, user, appointment, _other = _client_with_appointment(db)
    supporter = make_support_person(db, profile, name="Gwen Support", can_ask=True)
    sign_in_client(client, db, supporter)
    change_page = client.get(f"/appointments/{appointment.id}/change").text
    assert "Tomos Client's appointment is now" in change_page
    assert 'name="reason"' not in change_page  # the reasons are the client's to give
    post_form(client, "/home", "/not-well-enough", {"appointment_id": str(appointment.id)})
    client.cookies.clear()
    sign_in_client(client, db, user)
    home = client.get("/home").text
    assert "Gwen Support told us you are not well enough right now" in home
