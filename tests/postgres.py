"""A throwaway PostgreSQL cluster for the test session: initdb in a temp folder, loopback only."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path


def _binaries() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    if initdb:
        return Path(initdb).parent
    raise RuntimeError("PostgreSQL binaries are missing: run scripts/setup.sh --test")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class Cluster:
    root: Path
    port: int
    bin_dir: Path

    @property
    def server_url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}"

    def url(self, database: str) -> str:
        return f"{self.server_url}/{database}"

    def create_database(self, name: str, template: str | None = None) -> str:
        """A new database, empty or a copy of `template` (a database no one is connected to)."""
        import psycopg

        copy_of = f' TEMPLATE "{template}"' if template else ""
        with psycopg.connect(
            f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres", autocommit=True
        ) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"{copy_of}')
        return self.url(name)

    def stop(self) -> None:
        data = str(self.root / "data")
        _run_as_postgres(
            [str(self.bin_dir / "pg_ctl"), "-D", data, "-m", "immediate", "-w", "stop"]
        )
        shutil.rmtree(self.root, ignore_errors=True)


def _run_as_postgres(command: list[str]) -> None:
    # initdb refuses to run as root, so as root we drop to the `postgres` system user.
    if os.geteuid() == 0:
        command = ["runuser", "-u", "postgres", "--", *command]
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def start_cluster() -> Cluster:
    bin_dir = _binaries()
    directory = Path(tempfile.mkdtemp(prefix="mypathways-pg-"))
    if os.geteuid() == 0:
        shutil.chown(directory, user="postgres", group="postgres")
    port = free_port()
    _run_as_postgres(
        [
            str(bin_dir / "initdb"),
            "-D",
            str(directory / "data"),
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
            "--no-sync",
        ]
    )
    options = (
        f"-p {port} -k {directory} -c listen_addresses=127.0.0.1 -c fsync=off "
        "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
    )
    _run_as_postgres(
        [
            str(bin_dir / "pg_ctl"),
            "-D",
            str(directory / "data"),
            "-o",
            options,
            "-l",
            str(directory / "log"),
            "-w",
            "start",
        ]
    )
    return Cluster(root=directory, port=port, bin_dir=bin_dir)
