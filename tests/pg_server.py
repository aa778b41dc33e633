"""A throwaway PostgreSQL server for the storage and service tests, on loopback, gone when they end.

``BEATDESK_TEST_POSTGRES_URL`` names a server to use instead (an administrative URL such as
``postgresql+psycopg://me@127.0.0.1:5432/postgres``). Otherwise the server binaries from Debian's
``postgresql`` package are found on PATH or under /usr/lib/postgresql, a cluster is made in a temporary
folder (as the ``postgres`` user when the tests run as root, which PostgreSQL refuses), and started with
durability off: the tests want speed, not crash safety.

Each test gets its own database. Databases for ``engine`` are copied from a template that was migrated
and given the beat plan once, so a test pays for a ``CREATE DATABASE``, not for the migrations.
"""

from __future__ import annotations

import glob
import itertools
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

URL_VARIABLE = "BEATDESK_TEST_POSTGRES_URL"
TEMPLATE = f"beatdesk_template_{os.getpid()}"  # sessions sharing one server keep their own


def find_binaries() -> Path | None:
    """The folder holding ``initdb`` and ``pg_ctl``, or None when PostgreSQL is not installed."""
    found = shutil.which("pg_ctl")
    if found and shutil.which("initdb"):
        return Path(os.path.realpath(found)).parent
    for folder in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if Path(folder, "initdb").is_file():
            return Path(folder)
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PostgresServer:
    """A running server and the databases the tests made on it."""

    def __init__(self, admin_url: str, owned: tuple[Path, Path, list[str]] | None = None):
        from sqlalchemy import create_engine

        self.admin_url = admin_url
        self._owned = owned  # (pg_ctl, data folder, command prefix) when this session started the server
        self._admin = create_engine(admin_url, isolation_level="AUTOCOMMIT", pool_size=1)
        self._names = itertools.count(1)
        self._template_ready = False

    @classmethod
    def start(cls) -> PostgresServer:
        binaries = find_binaries()
        if binaries is None:
            raise RuntimeError("PostgreSQL is not installed (no initdb/pg_ctl); .ci/run installs it from Debian")
        folder = Path(tempfile.mkdtemp(prefix="beatdesk-pg-"))
        prefix: list[str] = []
        if os.geteuid() == 0:  # the server refuses to run as root
            shutil.chown(folder, "postgres")
            prefix = ["runuser", "-u", "postgres", "--"]
        data, port = folder / "data", _free_port()
        subprocess.run(
            [*prefix, str(binaries / "initdb"), "-D", str(data), "-A", "trust", "-U", "beatdesk",
             "-E", "UTF8", "--no-sync", "--locale=C.UTF-8"],
            check=True, capture_output=True,
        )
        # no TCP at all: only a socket in the private temporary folder, so trust authentication lets in
        # no one but the tests
        options = (f"-c listen_addresses='' -p {port} -k {folder} -c fsync=off "
                   "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200")
        subprocess.run(
            [*prefix, str(binaries / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(folder / "server.log"),
             "-w", "start"],
            check=True, capture_output=True,
        )
        return cls(f"postgresql+psycopg://beatdesk@/postgres?host={folder}&port={port}",
                   (binaries / "pg_ctl", data, prefix))

    def url_of(self, database: str) -> str:
        from sqlalchemy.engine import make_url

        return make_url(self.admin_url).set(database=database).render_as_string(hide_password=False)

    def _execute(self, sql: str) -> None:
        from sqlalchemy import text

        with self._admin.connect() as conn:
            conn.execute(text(sql))

    def empty_database(self) -> str:
        """A new database with nothing in it, for tests of migrations from the start."""
        name = f"t_{os.getpid()}_{next(self._names)}"
        self._execute(f'CREATE DATABASE "{name}" TEMPLATE template0')
        return name

    def prepared_database(self) -> str:
        """A new database at the newest schema with the beat plan installed (what ``prepare`` makes)."""
        if not self._template_ready:
            from beatdesk.services.bootstrap import prepare

            self._execute(f'DROP DATABASE IF EXISTS "{TEMPLATE}"')
            self._execute(f'CREATE DATABASE "{TEMPLATE}" TEMPLATE template0')
            prepare(self.url_of(TEMPLATE)).dispose()
            self._template_ready = True
        name = f"t_{os.getpid()}_{next(self._names)}"
        self._execute(f'CREATE DATABASE "{name}" TEMPLATE "{TEMPLATE}" STRATEGY FILE_COPY')
        return name

    def drop(self, name: str) -> None:
        self._execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def stop(self) -> None:
        if self._template_ready:
            self.drop(TEMPLATE)
        self._admin.dispose()
        if self._owned is not None:
            pg_ctl, data, prefix = self._owned
            subprocess.run([*prefix, str(pg_ctl), "-D", str(data), "-m", "immediate", "stop"],
                           check=False, capture_output=True)
            shutil.rmtree(data.parent, ignore_errors=True)


def server_from_environment() -> PostgresServer:
    url = os.environ.get(URL_VARIABLE)
    return PostgresServer(url) if url else PostgresServer.start()
