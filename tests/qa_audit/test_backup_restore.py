"""A backup made as docs/backups.md says (pg_dump) restores (pg_restore) into an empty
database holding the same rows and giving the same figures, by ``backup_fingerprint``."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
import uuid

import psycopg2
import pytest
from django.conf import settings
from django.db import connection

from tests.live_celery import database_url, skip_or_fail

pytestmark = pytest.mark.live

TIMEOUT = 600  # seconds for one command; seed_demo takes about a minute on PostgreSQL


def run(command: list[str], **env) -> str:
    result = subprocess.run(
        command,
        cwd=settings.BASE_DIR,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )
    assert result.returncode == 0, f"{command[:3]} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def manage(url: str, *args: str) -> str:
    return run([sys.executable, "manage.py", *args], DATABASE_URL=url)


def fingerprint(url: str) -> dict:
    return json.loads(manage(url, "backup_fingerprint"))


def execute(url: str, sql: str) -> None:
    with contextlib.closing(psycopg2.connect(url)) as db, db, db.cursor() as cursor:
        cursor.execute(sql)


@contextlib.contextmanager
def empty_databases(*names: str):
    """Empty databases on the test database's server, dropped afterwards."""
    server = psycopg2.connect(database_url(connection, name="postgres"))
    server.autocommit = True
    try:
        with server.cursor() as cursor:
            for name in names:
                cursor.execute(f'CREATE DATABASE "{name}"')
        yield [database_url(connection, name=name) for name in names]
    finally:
        with server.cursor() as cursor:
            for name in names:
                cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        server.close()


@pytest.fixture
def postgres():
    if connection.vendor != "postgresql":
        skip_or_fail("the backup test needs PostgreSQL: run with DATABASE_URL=postgres://...")
    for tool in ("pg_dump", "pg_restore"):
        if shutil.which(tool) is None:
            skip_or_fail(f"the backup test needs {tool} (PostgreSQL's client programs)")


def test_the_demo_restored_from_a_dump_holds_the_same_rows_and_figures(postgres, tmp_path):
    key = uuid.uuid4().hex[:8]
    with empty_databases(f"qa_backup_{key}_live", f"qa_backup_{key}_restored") as (live, copy):
        manage(live, "migrate", "--noinput")
        manage(live, "seed_demo")
        before = fingerprint(live)
        assert before["tables"]["audits_audit"] > 0
        assert before["tables"]["actions_actionupdate"] > 0
        assert before["summary"]["audits"]["completed"] > 0

        dump = tmp_path / "qa-audit.dump"
        run(["pg_dump", "--format=custom", "--no-owner", f"--file={dump}", f"--dbname={live}"])
        run(["pg_restore", "--no-owner", "--exit-on-error", f"--dbname={copy}", str(dump)])
        # a restored copy needs no migration: it is at the version it was dumped at
        assert "No migrations to apply" in manage(copy, "migrate", "--noinput")

        assert fingerprint(copy) == before

        # the comparison notices a difference: one row fewer in the copy
        execute(
            copy, "DELETE FROM audits_auditevent WHERE id = (SELECT MIN(id) FROM audits_auditevent)"
        )
        after = fingerprint(copy)
        assert after["tables"]["audits_auditevent"] == before["tables"]["audits_auditevent"] - 1
        assert after != before
