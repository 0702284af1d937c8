"""Keep only what is needed: each retention period, just inside and just outside; the command;
and the worker's once-a-day guard."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from app.accounts.models import ChallengePurpose, SignInChallenge, WebSession
from app.audit.models import AuditEvent
from app.audit.service import record
from app.cli import main
from app.core.config import get_settings
from app.delivery.models import Channel, Notification, NotificationStatus
from app.delivery.outbox import queue_message
from app.operations.purge import PURGED, purge, purge_if_due
from tests.factories import make_client

NOW = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)
SECOND = timedelta(seconds=1)


def _message(db: Session, user_id: int, finished_at: datetime, status: str) -> Notification:
    message = queue_message(
        session=db, channel=Channel.sms, recipient="+447700900999", body="See you Tuesday, Cara"
    )
    message.user_id, message.title, message.sms_body = user_id, "Reminder", "See you Tuesday"
    message.status, message.finished_at = NotificationStatus(status), finished_at
    db.add(message)
    db.flush()
    return message


def test_expired_sessions_and_challenges_go_and_live_ones_stay(db: Session) -> None:
    _profile, user = make_client(db)
    assert user.id is not None
    for n, expires in enumerate((NOW - SECOND, NOW + SECOND)):
        db.add(WebSession(token_hash=f"{n}" * 64, user_id=user.id, expires_at=expires))
        db.add(
            SignInChallenge(
                challenge_hash=f"{n}" * 64,
                purpose=ChallengePurpose.client_code,
                identifier_hash="i" * 64,
                expires_at=expires,
            )
        )
    db.add(
        WebSession(token_hash="r" * 64, user_id=user.id, expires_at=NOW + SECOND, revoked_at=NOW)
    )
    db.flush()

    purge(session=db, now=NOW)

    sessions = db.exec(select(WebSession).where(WebSession.user_id == user.id)).all()
    assert [s.token_hash[0] for s in sessions] == ["1"]  # live; expired and signed-out ones gone
    challenges = db.exec(select(SignInChallenge).where(SignInChallenge.identifier_hash == "i" * 64))
    assert [c.challenge_hash[0] for c in challenges] == ["1"]


def test_the_words_of_a_finished_message_go_after_30_days_and_the_row_stays(db: Session) -> None:
    _profile, user = make_client(db)
    assert user.id is not None
    days = timedelta(days=get_settings().message_retention_days)
    assert days == timedelta(days=30)
    outside = _message(db, user.id, NOW - days - SECOND, "delivered")
    failed = _message(db, user.id, NOW - days - SECOND, "failed-permanent")
    inside = _message(db, user.id, NOW - days + SECOND, "sent")
    waiting = _message(db, user.id, NOW - days - SECOND, "pending")  # not finished: untouched

    purge(session=db, now=NOW)
    for message in (outside, failed, inside, waiting):
        db.refresh(message)

    for blanked in (outside, failed):
        assert (blanked.title, blanked.body, blanked.sms_body, blanked.recipient) == (
            "",
            "",
            "",
            None,
        )
        assert blanked.status in ("delivered", "failed-permanent")  # still counted
    for kept in (inside, waiting):
        assert (kept.body, kept.recipient) == ("See you Tuesday, Cara", "+447700900999")


def test_audit_lines_go_after_two_years(db: Session) -> None:
    days = timedelta(days=get_settings().audit_retention_days)
    assert days == timedelta(days=730)
    lines = {}
    for name, when in (("outside", NOW - days - SECOND), ("inside", NOW - days + SECOND)):
        line = record(session=db, action=f"test.{name}", actor_role="adviser")
        line.occurred_at = when
        db.add(line)
        lines[name] = line.id
    db.flush()

    purge(session=db, now=NOW)

    left = db.exec(select(AuditEvent.action).where(col(AuditEvent.id).in_(lines.values()))).all()
    assert left == ["test.inside"]


def test_periods_are_settings(db: Session, monkeypatch: object) -> None:
    import pytest

    assert isinstance(monkeypatch, pytest.MonkeyPatch)
    monkeypatch.setenv("MYPATHWAYS_AUDIT_RETENTION_DAYS", "10")
    get_settings.cache_clear()
    try:
        line = record(session=db, action="test.eleven-days", actor_role="adviser")
        line.occurred_at = NOW - timedelta(days=11)
        db.add(line)
        db.flush()
        purge(session=db, now=NOW)
        gone = select(AuditEvent).where(AuditEvent.action == "test.eleven-days")
        assert db.exec(gone).all() == []
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()


def test_the_daily_purge_runs_once_a_day(db: Session) -> None:
    assert purge_if_due(session=db, now=NOW) is not None
    assert purge_if_due(session=db, now=NOW + timedelta(hours=20)) is None  # same day: done
    assert purge_if_due(session=db, now=NOW + timedelta(days=1)) is not None  # the next day
    ran = db.exec(select(AuditEvent).where(AuditEvent.action == PURGED)).all()
    assert len([r for r in ran if r.occurred_at.replace(tzinfo=UTC) >= NOW]) == 2


def test_two_workers_asking_at_once_purge_once(engine: Engine) -> None:
    """Two workers, two transactions, one after the other as the lock makes them: only the
    first purges. (The database is the test's shared one, so clean up after.)"""
    later = datetime(2031, 5, 5, 6, tzinfo=UTC)  # a day no other test uses
    results = []
    for _worker in range(2):
        with Session(engine) as session:
            results.append(purge_if_due(session=session, now=later))
            session.commit()
    assert results[0] is not None and results[1] is None
    with Session(engine) as session:
        for line in session.exec(select(AuditEvent).where(AuditEvent.action == PURGED)):
            session.delete(line)
        session.commit()


def test_python_m_app_purge(capsys: object, database_url: str, monkeypatch: object) -> None:
    import pytest

    assert isinstance(monkeypatch, pytest.MonkeyPatch) and isinstance(capsys, pytest.CaptureFixture)
    monkeypatch.setenv("MYPATHWAYS_DATABASE_URL", database_url)
    get_settings.cache_clear()
    from app.core.db import get_engine

    get_engine.cache_clear()
    try:
        assert main(["purge"]) == 0
        assert "Purged" in capsys.readouterr().out
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()
        get_engine.cache_clear()
