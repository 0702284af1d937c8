"""One settings object for the whole app, read from MYPATHWAYS_* environment variables."""

from __future__ import annotations

from enum import StrEnum
from functools import lru_cache
from pathlib import Path

from pydantic import model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parents[2]
PLACEHOLDER_SECRET = "change-me-in-production"  # noqa: S105 - a sentinel we refuse, not a secret


class Environment(StrEnum):
    development = "development"
    test = "test"
    production = "production"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="MYPATHWAYS_", extra="ignore")

    env: Environment = Environment.development
    # Embedded default: a SQLite file under data/. PostgreSQL in production.
    database_url: str = f"sqlite:///{PROJECT_ROOT / 'data' / 'mypathways.db'}"
    # Production on SQLite is allowed only when someone says so: SQLite cannot be shared by
    # several machines, and a silent default there would lose data on the first scale-out.
    single_machine: bool = False
    secret_key: str = PLACEHOLDER_SECRET
    base_url: str = "http://127.0.0.1:8000"
    service_name: str = "My Pathways"
    # Where the built front end lives (pwa/dist after `npm run build`).
    assets_dir: Path = PROJECT_ROOT / "pwa" / "dist"

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def is_development(self) -> bool:
        return self.env == Environment.development

    @property
    def secure_cookies(self) -> bool:
        # Plain http on loopback is only for development and tests; everywhere else cookies
        # must never travel without TLS.
        return not (self.env != Environment.production and self.base_url.startswith("http://"))

    @model_validator(mode="after")
    def refuse_unsafe_production(self) -> Settings:
        if self.env == Environment.production:
            if self.secret_key == PLACEHOLDER_SECRET or len(self.secret_key) < 32:
                raise ValueError(
                    "MYPATHWAYS_SECRET_KEY must be set to a long random value in production."
                )
            if self.is_sqlite and not self.single_machine:
                raise ValueError(
                    "Production uses PostgreSQL (MYPATHWAYS_DATABASE_URL). To run on SQLite on one "
                    "machine on purpose, set MYPATHWAYS_SINGLE_MACHINE=true."
                )
        return self


@lru_cache
def get_settings() -> Settings:
    return Settings()
