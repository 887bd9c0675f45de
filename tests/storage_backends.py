"""The same storage test on SQLite and on a real PostgreSQL server.

Fixtures (registered for every test by conftest.py):

- ``store_url``: the location of a fresh, empty project database, parametrised ``[sqlite]`` (a file
  path) and ``[postgresql]`` (a URL of a new database on the test server).
- ``backend_project``: an empty project with region 990001 (as the ``project`` fixture) on each.
- ``backend_sample_project``: the sample county on each (on the server, a copy of a template
  database built once per session).
- ``pg_url``: a fresh empty database on the server alone, for tests about PostgreSQL itself.

A test module makes its ``project`` and ``sample_project`` run on both backends with::

    from storage_backends import project_on_both_backends, sample_project_on_both_backends  # noqa: F401

The PostgreSQL cases carry the ``postgresql`` marker and use the server ``BALANCESHEET_TEST_PG_URL``
names (a role that may create databases), else a throwaway one started with ``.ci/postgres.sh`` when
PostgreSQL is installed; without either they fail under CI and are skipped with the reason elsewhere
(see :func:`pg_server`); run ``pytest -m "not postgresql"`` to leave them out on purpose.
"""

from __future__ import annotations

import itertools
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from balancesheet.project import Project

PG_ENV = "BALANCESHEET_TEST_PG_URL"
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)]
_NO_SERVER = (
    f"{PG_ENV} is not set: the PostgreSQL cases of the storage tests need a server. "
    'Start one with `export {env}="$(.ci/postgres.sh start)"` (Debian: apt-get install postgresql; '
    "pip install 'psycopg[binary]'), or leave them out with -m \"not postgresql\"."
).replace("{env}", PG_ENV)


class PgServer:
    """The test server: a database per test, created from an empty or a prepared template."""

    def __init__(self, url: str):
        from sqlalchemy import create_engine
        from sqlalchemy.engine import make_url
        from sqlalchemy.pool import NullPool

        self.url = make_url(url)
        self.admin = create_engine(self.url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
        self.prefix = f"balancesheet_test_{os.getpid()}_"
        self._numbers = itertools.count()

    def _sql(self, sql: str, **params: object) -> list[tuple]:
        from sqlalchemy import text

        with self.admin.connect() as conn:
            result = conn.execute(text(sql), params)
            return [tuple(r) for r in result] if result.returns_rows else []

    def create(self, template: str | None = None) -> str:
        """A new database (a copy of ``template`` when given); its name."""
        name = f"{self.prefix}{next(self._numbers)}"
        self._sql(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
        return name

    def url_of(self, name: str) -> str:
        """The SQLAlchemy URL (with password) of database ``name``."""
        return self.url.set(database=name).render_as_string(hide_password=False)

    def drop(self, name: str) -> None:
        """Drop ``name`` even if a test left a connection open."""
        self._sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def drop_all(self) -> None:
        """Drop every database this test session created."""
        like = self.prefix.replace("_", r"\_") + "%"
        for (name,) in self._sql("SELECT datname FROM pg_database WHERE datname LIKE :like", like=like):
            self.drop(name)
        self.admin.dispose()


def _start_throwaway_server(folder: str) -> str | None:
    """Start `.ci/postgres.sh` in ``folder`` when PostgreSQL is installed here; its URL, or None."""
    import glob
    import shutil
    import subprocess
    from pathlib import Path

    if not (shutil.which("pg_ctl") or glob.glob("/usr/lib/postgresql/*/bin/initdb")):
        return None
    script = Path(__file__).resolve().parents[1] / ".ci" / "postgres.sh"
    done = subprocess.run(["bash", str(script), "start", folder], capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        pytest.fail(f"could not start a PostgreSQL test server with {script}: {done.stderr.strip()}")
    return done.stdout.strip()


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    """The PostgreSQL test server: the one BALANCESHEET_TEST_PG_URL names, else a throwaway one
    started with .ci/postgres.sh when PostgreSQL is installed on this machine (stopped at the end).

    Without either: a failure under CI (.ci/run installs and starts one, so absence is a broken
    set-up); on a developer machine a skip with the reason shown, as for the other external tools
    (tests/conftest.py ``external_tool``).
    """
    url, started = os.environ.get(PG_ENV), None
    if not url:
        import tempfile  # a folder the "postgres" user can reach when the tests run as root (not under pytest's 0700 tmp)

        folder = os.path.join(tempfile.gettempdir(), f"balancesheet-pg-test-{os.getpid()}")
        url = _start_throwaway_server(folder)
        if url is None:
            if os.environ.get("CI"):
                pytest.fail(_NO_SERVER + " (CI: .ci/run starts it)")
            pytest.skip("PostgreSQL not installed: " + _NO_SERVER)
        started = folder
    server = PgServer(url)
    try:
        server._sql("SELECT 1")
    except Exception as exc:  # noqa: BLE001 - any reason the server is unusable fails with it
        pytest.fail(f"PostgreSQL test server {server.url.render_as_string()} unusable: {exc}")
    yield server
    server.drop_all()
    if started is not None:
        import subprocess
        from pathlib import Path

        script = Path(__file__).resolve().parents[1] / ".ci" / "postgres.sh"
        subprocess.run(["bash", str(script), "stop", started], capture_output=True, timeout=120)


@pytest.fixture
def pg_url(pg_server: PgServer) -> Iterator[str]:
    """A fresh empty database on the PostgreSQL test server (dropped afterwards)."""
    name = pg_server.create()
    yield pg_server.url_of(name)
    pg_server.drop(name)


@pytest.fixture(params=BACKENDS)
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, empty project location on each backend: an SQLite file path or a server URL."""
    if request.param == "sqlite":
        return str(tmp_path / "project.db")
    return request.getfixturevalue("pg_url")


@pytest.fixture
def backend_project(store_url: str, tmp_path: Path) -> Iterator[Project]:
    """An empty project with region 990001 (area 1,000 ha), on SQLite and on PostgreSQL."""
    from conftest import write_csv

    from balancesheet.importer import import_file

    project = Project.open(store_url, create=True)
    import_file(project, write_csv(tmp_path / "regions.csv", ["region", "name", "area", "unit"],
                                   [["990001", "测试县", "1000", "公顷"]]))
    yield project
    project.close()


@pytest.fixture(scope="session")
def pg_sample_template(pg_server: PgServer) -> str:
    """A server database holding the sample county, built once and copied by each test."""
    from balancesheet.sample import load_sample

    name = pg_server.create()
    project = Project.open(pg_server.url_of(name))
    try:
        load_sample(project)
    finally:
        project.close()  # no connection may remain: CREATE DATABASE … TEMPLATE needs it idle
    return name


@pytest.fixture(params=BACKENDS)
def backend_sample_project(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Project]:
    """A private, writable copy of the sample county, on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        copy = tmp_path / "sample.db"
        shutil.copy(request.getfixturevalue("sample_db"), copy)
        project = Project.open(copy)
        yield project
        project.close()
        return
    server: PgServer = request.getfixturevalue("pg_server")
    name = server.create(template=request.getfixturevalue("pg_sample_template"))
    project = Project.open(server.url_of(name))
    yield project
    project.close()
    server.drop(name)


@pytest.fixture(name="project")
def project_on_both_backends(backend_project: Project) -> Project:
    """``project`` on both backends, for the modules that import this fixture."""
    return backend_project


@pytest.fixture(name="sample_project")
def sample_project_on_both_backends(backend_sample_project: Project) -> Project:
    """``sample_project`` on both backends, for the modules that import this fixture."""
    return backend_sample_project


def is_postgres(project: Any) -> bool:
    """True when ``project`` (a Project or Store) lives on a PostgreSQL server."""
    store = getattr(project, "store", project)
    return store.engine.dialect.name == "postgresql"
