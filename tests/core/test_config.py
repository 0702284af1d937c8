"""Production refuses placeholder secrets and an accidental SQLite."""

from __future__ import annotations

from typing import TypedDict

import pytest
from pydantic import ValidationError

from app.core.config import PLACEHOLDER_SECRET, Environment, Settings

STRONG = "x" * 48
PG = "postgresql://app@db.internal/mypathways"


class NotifySettings(TypedDict):
    notify_api_key: str
    notify_sms_template_id: str


NOTIFY: NotifySettings = {"notify_api_key": "live-key", "notify_sms_template_id": "a-template"}


def test_reads_the_mypathways_prefix(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MYPATHWAYS_DATABASE_URL", PG)
    monkeypatch.setenv("MYPATHWAYS_ENV", "development")
    settings = Settings()
    assert settings.database_url == PG
    assert settings.env is Environment.development


def test_development_defaults_to_embedded_sqlite(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MYPATHWAYS_DATABASE_URL", raising=False)
    settings = Settings(env=Environment.development)
    assert settings.is_sqlite
    assert settings.database_url.endswith("data/mypathways.db")


def test_production_refuses_placeholder_secret() -> None:
    with pytest.raises(ValidationError, match="SECRET_KEY"):
        Settings(
            **NOTIFY, env=Environment.production, secret_key=PLACEHOLDER_SECRET, database_url=PG
        )


def test_production_refuses_short_secret() -> None:
    with pytest.raises(ValidationError, match="SECRET_KEY"):
        Settings(**NOTIFY, env=Environment.production, secret_key="short", database_url=PG)


def test_production_refuses_sqlite_unless_single_machine_is_explicit() -> None:
    with pytest.raises(ValidationError, match="SINGLE_MACHINE"):
        Settings(
            **NOTIFY, env=Environment.production, secret_key=STRONG, database_url="sqlite:///x.db"
        )
    settings = Settings(
        **NOTIFY,
        env=Environment.production,
        secret_key=STRONG,
        database_url="sqlite:///x.db",
        single_machine=True,
    )
    assert settings.is_sqlite


def test_production_with_postgres_and_a_real_secret_is_accepted() -> None:
    settings = Settings(**NOTIFY, env=Environment.production, secret_key=STRONG, database_url=PG)
    assert settings.secure_cookies


def test_cookies_are_insecure_only_for_plain_http_outside_production() -> None:
    assert not Settings(
        env=Environment.development, base_url="http://127.0.0.1:8000"
    ).secure_cookies
    assert Settings(env=Environment.development, base_url="https://example.org").secure_cookies


def test_production_refuses_to_start_without_gov_uk_notify() -> None:
    with pytest.raises(ValidationError, match="NOTIFY_API_KEY"):
        Settings(env=Environment.production, secret_key=STRONG, database_url=PG)


def test_production_refuses_a_moved_clock() -> None:
    with pytest.raises(ValidationError, match="CLOCK_OFFSET"):
        Settings(
            env=Environment.production,
            secret_key=STRONG,
            database_url=PG,
            clock_offset_seconds=3600,
            **NOTIFY,
        )
    assert Settings(env=Environment.production, secret_key=STRONG, database_url=PG, **NOTIFY)


def test_a_refusal_names_the_setting_and_never_echoes_the_secrets() -> None:
    """The container log keeps what start-up prints: no part of a key may be in it (#21
    outside-in: the end of the secret key was printed when Notify was missing)."""
    secret = "s3cret-" + "k" * 40
    with pytest.raises(ValidationError) as refused:
        Settings(env=Environment.production, secret_key=secret, database_url=PG)
    said = str(refused.value)
    assert "NOTIFY_API_KEY" in said
    assert "kkkkkkkk" not in said and "s3cret" not in said and PG not in said
