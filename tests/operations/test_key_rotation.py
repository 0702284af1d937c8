"""Rotating the secret key keeps calendar feed links and recovery codes working, as long as the
old key is listed in MYPATHWAYS_PREVIOUS_SECRET_KEYS; a key not listed opens nothing."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.accounts import passwords
from app.accounts.models import RecoveryCode
from app.accounts.staff import _use_recovery_code
from app.appointments.models import CalendarFeed
from app.core.config import get_settings
from app.core.tokens import keyed_hash, new_token
from app.people.models import User
from tests.factories import make_adviser, make_client

OLD_KEY = "the-old-secret-key-that-was-rotated-out-0001"
NEW_KEY = "the-new-secret-key-now-in-use-everywhere-0002"
EARLIER_KEY = "an-even-older-key-also-still-listed-0004"
STRANGER_KEY = "a-key-that-this-service-never-listed-0003"


@pytest.fixture
def use_key(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., None]]:
    """Switch the secret key (and the list of previous ones) for the rest of the test."""

    def switch(key: str, previous: str = "") -> None:
        monkeypatch.setenv("MYPATHWAYS_SECRET_KEY", key)
        monkeypatch.setenv("MYPATHWAYS_PREVIOUS_SECRET_KEYS", previous)
        get_settings.cache_clear()

    yield switch
    monkeypatch.undo()
    get_settings.cache_clear()


def _feed_made_under(
    db: Session, key_switch: Callable[..., None], key: str
) -> tuple[str, CalendarFeed]:
    key_switch(key)
    _adviser, _ = make_adviser(db)
    profile, _user = make_client(db)
    assert profile.id is not None
    token = new_token()
    feed = CalendarFeed(client_id=profile.id, token_hash=keyed_hash("calendar", token))
    db.add(feed)
    db.flush()
    return token, feed


def test_a_feed_link_made_under_the_old_key_works_after_rotation(
    client: TestClient, db: Session, use_key: Callable[..., None]
) -> None:
    token, feed = _feed_made_under(db, use_key, OLD_KEY)
    use_key(NEW_KEY, OLD_KEY)

    assert client.get(f"/calendar/{token}.ics").status_code == 200
    db.refresh(feed)
    assert feed.token_hash == keyed_hash("calendar", token)  # moved to the current key
    use_key(NEW_KEY)  # the old key can now be dropped: the link still works
    assert client.get(f"/calendar/{token}.ics").status_code == 200


def test_a_feed_link_made_under_an_unlisted_key_does_not_work(
    client: TestClient, db: Session, use_key: Callable[..., None]
) -> None:
    token, _feed = _feed_made_under(db, use_key, STRANGER_KEY)
    use_key(NEW_KEY, OLD_KEY)
    assert client.get(f"/calendar/{token}.ics").status_code == 404


def _recovery_code_under(
    db: Session, key_switch: Callable[..., None], key: str
) -> tuple[str, RecoveryCode]:
    key_switch(key)
    _adviser, user = make_adviser(db)
    assert user.id is not None
    code = passwords.new_recovery_codes()[0]
    row = RecoveryCode(user_id=user.id, code_hash=passwords.recovery_code_hash(code))
    db.add(row)
    db.flush()
    return code, row


def test_a_recovery_code_made_under_the_old_key_works_once_after_rotation(
    db: Session, use_key: Callable[..., None]
) -> None:
    code, row = _recovery_code_under(db, use_key, OLD_KEY)
    use_key(NEW_KEY, f"{EARLIER_KEY},{OLD_KEY}")
    user = db.get(User, row.user_id)
    assert user is not None
    assert _use_recovery_code(db, user, code.upper())
    assert row.code_hash == passwords.recovery_code_hash(code)
    assert not _use_recovery_code(db, user, code)  # still only once


def test_a_recovery_code_made_under_an_unlisted_key_does_not_work(
    db: Session, use_key: Callable[..., None]
) -> None:
    code, row = _recovery_code_under(db, use_key, STRANGER_KEY)
    use_key(NEW_KEY, OLD_KEY)
    user = db.get(User, row.user_id)
    assert user is not None
    assert not _use_recovery_code(db, user, code)
