"""Test fixtures: one database per backend built by the migrations, a rolled-back transaction
per test, and an app client that shares that transaction."""

from __future__ import annotations

import os
import sqlite3

os.environ["MYPATHWAYS_ENV"] = "test"

from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine, make_url
from sqlmodel import Session

from app.core.db import build_engine, get_session, get_write_runner
from app.core.idempotency import after_response_writer
from app.core.migrations import upgrade_to_head
from app.main import create_app, wire_listeners
from tests.postgres import Cluster, start_cluster

BACKENDS = ["sqlite", "postgresql"]
# Tests that book straight through the services (no app built) plan reminders as the app does.
wire_listeners()


@pytest.fixture(scope="session")
def postgres_cluster() -> Iterator[Cluster]:
    cluster = start_cluster()
    try:
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture(scope="session")
def make_database(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """Return a function that creates an empty database of a backend and gives its URL."""
    counter = iter(range(10_000))

    def make(backend: str) -> str:
        name = f"mypathways_test_{next(counter)}"
        if backend == "sqlite":
            path: Path = tmp_path_factory.mktemp("sqlite") / f"{name}.db"
            return f"sqlite:///{path}"
        cluster: Cluster = request.getfixturevalue("postgres_cluster")
        return cluster.create_database(name)

    return make


@pytest.fixture(scope="session")
def migrated_database(request: pytest.FixtureRequest, make_database):  # type: ignore[no-untyped-def]
    """Return a function that gives a new database of a backend at the newest migration.

    The migrations run once per backend, into a template; each new database is a copy of it
    (SQLite's backup of the file, PostgreSQL's CREATE DATABASE ... TEMPLATE), a fraction of
    running eighteen migrations again. Tests of migrating itself use make_database."""
    templates: dict[str, str] = {}

    def make(backend: str) -> str:
        if backend not in templates:
            template: str = make_database(backend)
            upgrade_to_head(template)
            templates[backend] = template
        source = make_url(templates[backend]).database
        assert source is not None
        if backend == "sqlite":
            url: str = make_database("sqlite")
            with (
                closing(sqlite3.connect(source)) as original,
                closing(sqlite3.connect(str(make_url(url).database))) as copy,
            ):
                original.backup(copy)
            return url
        cluster: Cluster = request.getfixturevalue("postgres_cluster")
        return cluster.create_database(f"mypathways_copy_{next(copies)}", template=source)

    copies = iter(range(10_000))
    return make


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="session")
def database_url(backend: str, migrated_database) -> str:  # type: ignore[no-untyped-def]
    url: str = migrated_database(backend)
    return url


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[Engine]:
    engine = build_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def db(engine: Engine) -> Iterator[Session]:
    """A session inside a transaction that is rolled back after the test."""
    connection = engine.connect()
    transaction = connection.begin()
    session = Session(
        bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
    )
    try:
        yield session
    finally:
        session.close()
        transaction.rollback()
        connection.close()


@pytest.fixture(scope="session")
def app() -> FastAPI:
    """One app for the session's `client`s. FastAPI works out each route's dependencies (their
    signatures, the overrides' provider) on an app's first request through that router: with
    an app per test, every test paid that again for every router it reached, most of the
    time of a short test. The app holds no state of its own between requests; what a test
    sets on it (overrides, the middleware stack) is set afresh for each test."""
    return create_app()


@pytest.fixture
def client(app: FastAPI, db: Session) -> Iterator[TestClient]:
    def shared_session() -> Iterator[Session]:
        yield db
        db.flush()

    # Fresh middleware for each test (they are built on the first request): SQLiteTurns'
    # semaphores belong to the event loop of one TestClient, and no turn may carry over.
    app.middleware_stack = None
    app.dependency_overrides.clear()
    app.dependency_overrides[get_session] = shared_session
    # Retried writes run inside the test's transaction too, so they roll back with it.
    app.dependency_overrides[get_write_runner] = lambda: lambda work: work(db)
    app.dependency_overrides[after_response_writer] = lambda: lambda work: work(db)
    try:
        with TestClient(
            app, base_url="http://127.0.0.1", headers={"accept": "text/html"}
        ) as test_client:
            yield test_client
    finally:
        app.dependency_overrides.clear()
        app.middleware_stack = None


@pytest.fixture
def sqlite_app(migrated_database) -> Iterator[tuple[TestClient, Engine, str]]:  # type: ignore[no-untyped-def]
    """The app on a SQLite file of its own with its real per-request sessions (a GET reads
    without the write lock, a POST takes it): no shared test transaction. Gives the client,
    an engine on the same file, and the file's path."""
    from tests.factories import real_sessions

    url = migrated_database("sqlite")
    engine = build_engine(url)
    app = create_app()
    app.dependency_overrides[get_session] = real_sessions(engine)
    with TestClient(app, base_url="http://127.0.0.1", headers={"accept": "text/html"}) as client:
        yield client, engine, str(make_url(url).database)
    engine.dispose()
