"""One settings object for the whole app, read from MYPATHWAYS_* environment variables."""

from __future__ import annotations

from enum import StrEnum
from functools import lru_cache
from ipaddress import IPv4Network, IPv6Network, ip_network
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parents[2]
PLACEHOLDER_SECRET = "change-me-in-production"  # noqa: S105 - a sentinel we refuse, not a secret


class Environment(StrEnum):
    development = "development"
    test = "test"
    production = "production"


class Settings(BaseSettings):
    # A refused setting is named, never echoed: the error would otherwise print the settings it
    # was given (the secret key and the Notify key among them) into the container's log.
    model_config = SettingsConfigDict(
        env_prefix="MYPATHWAYS_", extra="ignore", hide_input_in_errors=True
    )

    env: Environment = Environment.development
    # Embedded default: a SQLite file under data/. PostgreSQL in production.
    database_url: str = f"sqlite:///{PROJECT_ROOT / 'data' / 'mypathways.db'}"
    # Production on SQLite is allowed only when someone says so: SQLite cannot be shared by
    # several machines, and a silent default there would lose data on the first scale-out.
    single_machine: bool = False
    secret_key: str = PLACEHOLDER_SECRET
    # Keys rotated out (comma-separated, newest first): calendar feed links and recovery codes
    # made under them still work, and are re-hashed to the current key when used.
    previous_secret_keys: str = ""
    base_url: str = "http://127.0.0.1:8000"
    # Proxies whose X-Forwarded-For / -Proto we believe (comma-separated addresses, or "*").
    # Empty: none, so nobody can pick their own address and slip the sign-in limits. Behind a
    # load balancer, set it to the balancer's address.
    forwarded_allow_ips: str = ""
    service_name: str = "My Pathways"
    # Where the built front end lives (pwa/dist after `npm run build`).
    assets_dir: Path = PROJECT_ROOT / "pwa" / "dist"
    # Look at every template file's time on every page and reload it if it changed: for
    # someone editing templates. Off by default, as Python code needs a restart anyway, and
    # a stat() per template per page is a tenth of a large page's time.
    template_reload: bool = False
    # How long a form's body may take to arrive before the request gives up (408): it is read
    # whole before the request takes the write turn (app/core/bodies.py).
    request_body_seconds: float = 30.0

    # Web push (VAPID, RFC 8292): PEM keys, made by `python -m app vapid-keys`. Development
    # makes its own under data/ if none are set; production without them offers no push.
    vapid_private_key: str = ""
    vapid_public_key: str = ""
    vapid_subject: str = "mypathways@example.org"  # a contact for push services (mailto:)
    push_ttl_seconds: int = 4 * 60 * 60  # a reminder kept longer than this is stale
    # Push services we will POST to (suffix match). Loopback is also allowed outside production.
    push_allowed_hosts: str = (
        "fcm.googleapis.com,updates.push.services.mozilla.com,push.services.mozilla.com,"
        "notify.windows.com,push.apple.com"
    )
    # GOV.UK Notify: an API key and two templates whose content is ((body)) (email: ((subject))
    # and ((body))). Without a key, outside production, texts stay in the development outbox.
    notify_api_key: str = ""
    notify_base_url: str = "https://api.notifications.service.gov.uk"
    notify_sms_template_id: str = ""
    notify_email_template_id: str = ""
    # Notify's rate limit, kept by all workers together (app/delivery/send_slots.py): how many
    # texts and emails may reach Notify in any rolling window, per API key. Notify's
    # documented limit is 3,000 a minute; set lower to leave room for another service on the
    # same key (or for a quick bench).
    notify_texts_per_minute: int = Field(default=3000, ge=1)
    # The window, in seconds: 60, as Notify counts. Tests shorten it to run quickly (the
    # limit above then counts per shortened window).
    notify_rate_window_seconds: float = Field(default=60.0, gt=0)
    # Notify's delivery receipts call us back with this bearer token.
    notify_callback_token: str = ""
    # The worker: `python -m app worker`; on SQLite `serve` also runs one in-process.
    worker_in_process: bool | None = None  # None: yes on SQLite, no on PostgreSQL
    worker_poll_seconds: float = 1.0
    worker_batch_size: int = 10
    worker_lease_seconds: int = 60
    worker_max_attempts: int = 8
    send_timeout_seconds: float = 5.0
    # Outside production only: run this process's clock ahead by this many seconds, so real
    # `worker` processes can be shown reminders falling due (tests; rehearsals on a scratch
    # database). Frozen test clocks (clock.frozen_now) are not moved.
    clock_offset_seconds: int = 0
    # Keep only what is needed (app/operations/purge.py, docs/OPERATIONS.md): the words of
    # finished messages are blanked after this many days; audit lines deleted after these.
    message_retention_days: int = 30
    audit_retention_days: int = 2 * 365
    # Offices do not record their hours yet: the contact page says these (whole hours, London).
    office_opens_hour: int = 9
    office_closes_hour: int = 17
    # Logs: JSON lines in production, readable text elsewhere, unless this says "json"/"text".
    log_format: Literal["json", "text"] | None = None
    log_level: str = "INFO"
    # /metrics answers a bearer token, or a client address in one of these networks
    # (comma-separated CIDRs, e.g. "10.0.0.0/8,127.0.0.1/32"); anyone else gets a 404.
    metrics_token: str = ""
    metrics_allow: str = ""
    # Error reports to Sentry (or a Sentry-compatible service), scrubbed of personal data.
    sentry_dsn: str = ""

    @property
    def previous_secret_key_list(self) -> list[str]:
        return [k.strip() for k in self.previous_secret_keys.split(",") if k.strip()]

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def runs_worker_in_process(self) -> bool:
        return self.is_sqlite if self.worker_in_process is None else self.worker_in_process

    def push_hosts(self) -> tuple[str, ...]:
        hosts = tuple(h.strip() for h in self.push_allowed_hosts.split(",") if h.strip())
        if self.env != Environment.production:
            hosts += ("127.0.0.1", "localhost")
        return hosts

    @property
    def push_configured(self) -> bool:
        return bool(self.vapid_private_key and self.vapid_public_key) or (
            self.env != Environment.production
        )

    def vapid_keys(self) -> tuple[bytes, bytes]:
        """(private PEM, public PEM). Outside production, made once and kept under data/."""
        if self.vapid_private_key and self.vapid_public_key:
            return (
                self.vapid_private_key.replace("\\n", "\n").encode(),
                self.vapid_public_key.replace("\\n", "\n").encode(),
            )
        if self.env == Environment.production:
            raise RuntimeError("Set MYPATHWAYS_VAPID_PRIVATE_KEY and MYPATHWAYS_VAPID_PUBLIC_KEY.")
        from app.core.vapid import development_keys

        return development_keys(PROJECT_ROOT / "data")

    @property
    def log_json(self) -> bool:
        if self.log_format is None:
            return self.env == Environment.production
        return self.log_format == "json"

    def metrics_networks(self) -> tuple[IPv4Network | IPv6Network, ...]:
        """The networks allowed to read /metrics (checked when the settings are read)."""
        parts = (part.strip() for part in self.metrics_allow.split(","))
        return tuple(ip_network(part, strict=False) for part in parts if part)

    @property
    def is_development(self) -> bool:
        return self.env == Environment.development

    @property
    def secure_cookies(self) -> bool:
        # Plain http on loopback is only for development and tests; everywhere else cookies
        # must never travel without TLS.
        return not (self.env != Environment.production and self.base_url.startswith("http://"))

    @model_validator(mode="after")
    def refuse_unreadable_networks(self) -> Settings:
        try:
            self.metrics_networks()
        except ValueError as error:
            raise ValueError(f"MYPATHWAYS_METRICS_ALLOW: {error}") from error
        return self

    @model_validator(mode="after")
    def refuse_unsafe_production(self) -> Settings:
        if self.env == Environment.production:
            if self.secret_key == PLACEHOLDER_SECRET or len(self.secret_key) < 32:
                raise ValueError(
                    "MYPATHWAYS_SECRET_KEY must be set to a long random value in production."
                )
            if not (self.notify_api_key and self.notify_sms_template_id):
                raise ValueError(
                    "Production sends sign-in codes and reminders through GOV.UK Notify: set "
                    "MYPATHWAYS_NOTIFY_API_KEY and MYPATHWAYS_NOTIFY_SMS_TEMPLATE_ID."
                )
            if self.clock_offset_seconds:
                raise ValueError("MYPATHWAYS_CLOCK_OFFSET_SECONDS is for tests: unset it.")
            if self.is_sqlite and not self.single_machine:
                raise ValueError(
                    "Production uses PostgreSQL (MYPATHWAYS_DATABASE_URL). To run on SQLite on one "
                    "machine on purpose, set MYPATHWAYS_SINGLE_MACHINE=true."
                )
        return self


@lru_cache
def get_settings() -> Settings:
    return Settings()
