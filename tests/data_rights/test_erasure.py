"""Closing an account ends in erasure: once the adviser confirms, nothing personal is left in
any table (every text column is searched for the client's name, phone and email), and only
anonymous counts stay (appointments and their outcomes)."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import String, Text, text
from sqlmodel import Session, SQLModel, select

from app.accounts.models import ChallengePurpose, RecoveryCode, SignInChallenge, WebSession
from app.action_plans.models import ActionPlan, PlanChange, PlanStep
from app.appointments.activity_models import Activity
from app.appointments.models import (
    Appointment,
    AppointmentStatus,
    HelpKind,
    HelpRequest,
    StandingNeed,
)
from app.audit.service import record
from app.caseload.models import PrivateNote
from app.core.clock import utcnow
from app.data_rights import erasure
from app.delivery.models import Channel, PushSubscription
from app.delivery.outbox import queue_message
from app.messages.models import Author, CallRequest, CallTime, Message, MessageThread
from app.people.models import AdviserTask, ClientProfile, TaskKind, User
from app.rescheduling.models import BusyTime
from tests.factories import (
    make_adviser,
    make_appointment,
    make_client,
    make_slot,
    post_form,
    sign_in_client,
    sign_in_staff,
)
from tests.html import parse

NAME = "Morwenna Quillfeather"
EMAIL = "morwenna.q@example.org"


def _client_with_everything(db: Session) -> tuple[ClientProfile, User, Appointment]:
    """A client whose name and phone are written into every kind of thing we keep."""
    adviser, _ = make_adviser(db)
    profile, user = make_client(db, adviser, name=NAME)
    assert profile.id is not None and user.id is not None and user.phone is not None
    user.email = EMAIL
    db.add(user)
    said = f"{NAME} {user.phone}"
    slot = make_slot(db, adviser, datetime(2026, 12, 10, 10, tzinfo=UTC))
    appointment = make_appointment(db, profile, slot)
    assert appointment.id is not None and adviser.id is not None
    plan = ActionPlan(client_id=profile.id)
    thread = MessageThread(client_id=profile.id)
    db.add_all([plan, thread])
    db.flush()
    assert plan.id is not None and thread.id is not None
    step = PlanStep(plan_id=plan.id, title=said, details=said)
    db.add(step)
    db.flush()
    db.add_all(
        [
            PlanChange(plan_id=plan.id, step_id=step.id, actor_role="client", action="added", new_value=said),
            Message(thread_id=thread.id, author_role=Author.client, author_user_id=user.id, body=said),
            CallRequest(client_id=profile.id, suits=CallTime.any),
            BusyTime(client_id=profile.id, label=said, starts=time(10), ends=time(11)),
            StandingNeed(client_id=profile.id, kind=HelpKind.interpreter, detail=said[:100]),
            HelpRequest(appointment_id=appointment.id, kind=HelpKind.travel, detail=said[:100]),
            PrivateNote(client_id=profile.id, adviser_id=adviser.id, body=said),
            Activity(client_id=profile.id, title=said, contact=said, starts_at=datetime(2026, 12, 12, 9, tzinfo=UTC)),
            PushSubscription(user_id=user.id, endpoint="https://push.example/1", p256dh="k", auth="a"),
            WebSession(token_hash="s" * 64, user_id=user.id, expires_at=datetime(2027, 1, 1, tzinfo=UTC)),
            SignInChallenge(challenge_hash="c" * 64, purpose=ChallengePurpose.client_code, identifier_hash="i" * 64, user_id=user.id, expires_at=datetime(2027, 1, 1, tzinfo=UTC)),
            RecoveryCode(user_id=user.id, code_hash="r" * 64),
            AdviserTask(adviser_id=adviser.id, client_id=profile.id, kind=TaskKind.close_account),
        ]
    )  # fmt: skip
    queue_message(session=db, channel=Channel.sms, recipient=user.phone, body=said, user_id=user.id)
    record(
        session=db,
        action="client.note",
        actor_role="adviser",
        client_id=profile.id,
        detail={"said": said},
    )
    db.flush()
    return profile, user, appointment


def _text_columns_holding(db: Session, *needles: str) -> list[str]:
    """Every table and text column where any of the needles still appears."""
    found = []
    for table in SQLModel.metadata.sorted_tables:
        for column in table.columns:
            if not isinstance(column.type, String | Text):
                continue
            for needle in needles:
                hits = db.execute(
                    text(f'SELECT count(*) FROM "{table.name}" WHERE "{column.name}" LIKE :n'),
                    {"n": f"%{needle}%"},
                ).scalar_one()
                if hits:
                    found.append(f"{table.name}.{column.name} holds {needle}")
    return found


def test_nothing_personal_is_left_after_erasure(db: Session) -> None:
    profile, user, appointment = _client_with_everything(db)
    phone, national = user.phone or "", "0" + (user.phone or "")[3:]
    assert _text_columns_holding(db, NAME, phone)  # the search can find them

    _other, confirmer = make_adviser(db, name="Bryn Adviser")
    erasure.erase_client(session=db, profile=profile, confirmed_by=confirmer)
    db.expire_all()

    assert _text_columns_holding(db, NAME, "Morwenna", "Quillfeather", phone, national, EMAIL) == []
    # What the programme counts is kept, with nothing that says who it was.
    kept = db.get(Appointment, appointment.id)
    assert kept is not None and (kept.kind, kept.status) == (appointment.kind, appointment.status)
    assert db.get(User, user.id) is not None and not db.get(User, user.id).is_active  # type: ignore[union-attr]
    for table in (Message, PlanStep, BusyTime, PushSubscription, WebSession, HelpRequest, Activity):
        assert db.exec(select(table)).all() == [] or all(  # other tests' rows are not ours
            getattr(row, "client_id", profile.id) != profile.id for row in db.exec(select(table))
        ), table
    assert db.exec(select(PushSubscription).where(PushSubscription.user_id == user.id)).all() == []
    assert db.exec(select(WebSession).where(WebSession.user_id == user.id)).all() == []
    task = db.exec(select(AdviserTask).where(AdviserTask.client_id == profile.id)).one()
    assert task.done_by_user_id == confirmer.id


def test_every_column_pointing_at_a_client_is_handled_by_erasure() -> None:
    """A new table that points at a client or an account must be placed in erasure.py."""
    handled = {f"{m.__tablename__}.client_id" for m in erasure._CLIENT_ROWS}
    handled |= {f"{m.__tablename__}.user_id" for m in erasure._USER_ROWS}
    handled |= erasure.HANDLED_ELSEWHERE
    pointing = {
        f"{table.name}.{column.name}"
        for table in SQLModel.metadata.sorted_tables
        for column in table.columns
        for key in column.foreign_keys
        if key.target_fullname in ("users.id", "client_profiles.id")
    }
    assert pointing - handled == set()
    assert erasure.HANDLED_ELSEWHERE - pointing == set()  # no stale names either


def test_the_adviser_confirms_and_the_client_can_no_longer_sign_in(
    client: TestClient, db: Session
) -> None:
    adviser, adviser_user = make_adviser(db)
    profile, user = make_client(db, adviser, name=NAME)
    slot = make_slot(db, adviser, utcnow() + timedelta(days=5))
    ahead = make_appointment(db, profile, slot)
    sign_in_client(client, db, user)
    page = client.get("/account/close")
    assert "delete straight away" in page.text and "your name, phone number" in page.text
    assert post_form(client, "/account/close", "/account/close", {}).status_code == 303

    client.cookies.clear()
    sign_in_staff(client, adviser_user)
    assert f"/adviser/clients/{profile.id}/close" in client.get("/adviser").text
    confirm = client.get(f"/adviser/clients/{profile.id}/close")
    assert confirm.status_code == 200 and "cannot be undone" in confirm.text
    done = post_form(
        client, f"/adviser/clients/{profile.id}/close", f"/adviser/clients/{profile.id}/close", {}
    )
    assert done.status_code == 303
    db.expire_all()
    erased = db.get(User, user.id)
    assert erased is not None and (erased.full_name, erased.phone, erased.is_active) == (
        "",
        None,
        False,
    )
    # Off the caseload, nothing of them left to act on, and their interview ahead cancelled
    # with its time free again (#21 outside-in: a nameless row with every tool still on it).
    caseload = client.get(done.headers["location"]).text
    assert "The account is closed." in caseload  # said back to the adviser
    assert f'/adviser/clients/{profile.id}"' not in caseload
    assert client.get(f"/adviser/clients/{profile.id}").status_code == 404
    db.refresh(ahead)
    db.refresh(slot)
    assert ahead.status == AppointmentStatus.cancelled and slot.appointment_id is None


def test_an_account_nobody_asked_to_close_is_not_erased(client: TestClient, db: Session) -> None:
    adviser, adviser_user = make_adviser(db)
    profile, user = make_client(db, adviser, name=NAME)
    sign_in_staff(client, adviser_user)
    assert "not asked" in client.get(f"/adviser/clients/{profile.id}/close").text
    path = f"/adviser/clients/{profile.id}/close"
    refused = post_form(client, f"/adviser/clients/{profile.id}", path, {})
    assert refused.status_code == 303 and refused.headers["location"] == path
    db.expire_all()
    assert db.get(User, user.id).full_name == NAME  # type: ignore[union-attr]


def test_asking_twice_is_one_request_and_the_page_says_when_they_asked(
    client: TestClient, db: Session
) -> None:
    adviser, _adviser_user = make_adviser(db)
    profile, user = make_client(db, adviser, name=NAME)
    sign_in_client(client, db, user)
    # The second is the same form sent again from a page kept open (the CSRF token of the
    # account page, which every page carries).
    for _ in range(2):
        assert post_form(client, "/account", "/account/close", {}).status_code == 303
    tasks = db.exec(
        select(AdviserTask).where(
            AdviserTask.client_id == profile.id, AdviserTask.kind == TaskKind.close_account
        )
    ).all()
    assert len(tasks) == 1
    page = parse(client.get("/account/close").text)
    assert "You asked on" in page.get_text()
    assert page.select_one("form[action='/account/close']") is None


def test_a_deleted_row_is_not_left_readable_in_the_sqlite_file(tmp_path: Path) -> None:
    """SQLite leaves deleted rows in free pages unless told otherwise (#21 outside-in: an
    erased name and number were still in the database file)."""
    from app.core.db import build_engine

    path = tmp_path / "erase.db"
    engine = build_engine(f"sqlite:///{path}")
    marker = "Morwenna Quillfeather +447700900123"
    with engine.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE people (name TEXT)")
        connection.exec_driver_sql("INSERT INTO people VALUES (?)", (marker,))
    with engine.begin() as connection:
        connection.exec_driver_sql("DELETE FROM people")
    with engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    assert marker.encode() not in path.read_bytes()
