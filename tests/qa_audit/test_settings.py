"""Production settings: secure by default, and no start without a real secret key."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "x" * 20 + "-production-secret-key-for-the-deploy-check-0123456789",
    "ALLOWED_HOSTS": "qa.council.example",
    "DATABASE_URL": "sqlite:////tmp/qa-deploy-check.sqlite3",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
}


def run(args, extra_env):
    ignored = {*PRODUCTION, "DJANGO_ALLOW_ASYNC_UNSAFE", "DJANGO_SETTINGS_MODULE"}
    env = {k: v for k, v in os.environ.items() if k not in ignored}
    env.update(extra_env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )


def test_deploy_check_is_clean_with_production_variables():
    result = run(["check", "--deploy", "--fail-level", "WARNING"], PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    env = dict(PRODUCTION)
    del env["SECRET_KEY"]
    result = run(["check"], env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_a_short_secret_key():
    result = run(["check"], {**PRODUCTION, "SECRET_KEY": "too-short"})
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_development_defaults_need_no_variables():
    result = run(["check"], {})
    assert result.returncode == 0, result.stderr


SHOW_TRACE_LEVEL = [
    "shell",
    "-c",
    "from django.conf import settings; "
    "print(settings.LOGGING['loggers'].get('celery.app.trace', {}).get('level', 'default'))",
]


def test_tasks_run_in_process_do_not_log_a_line_each():
    result = run(SHOW_TRACE_LEVEL, {})
    assert result.stdout.strip().splitlines()[-1] == "WARNING", result.stderr


def test_a_worker_logs_each_task_it_runs():
    result = run(SHOW_TRACE_LEVEL, PRODUCTION)
    assert result.stdout.strip().splitlines()[-1] == "default", result.stderr


DATABASE_OPTIONS = [
    "shell",
    "-c",
    "from django.conf import settings; print(settings.DATABASES['default'].get('OPTIONS', {}))",
]


def test_postgresql_connections_turn_jit_off_and_keep_their_other_options():
    url = "postgres://qa@db.example:5432/qa_audit?sslmode=require"
    result = run(DATABASE_OPTIONS, {"DATABASE_URL": url})
    assert result.returncode == 0, result.stderr
    assert "'options': '-c jit=off'" in result.stdout
    assert "'sslmode': 'require'" in result.stdout


def test_jit_stays_on_when_asked_for():
    url = "postgres://qa@db.example:5432/qa_audit"
    result = run(DATABASE_OPTIONS, {"DATABASE_URL": url, "DATABASE_JIT": "true"})
    assert result.returncode == 0, result.stderr
    assert "jit" not in result.stdout


def test_sqlite_gets_no_postgresql_options():
    result = run(DATABASE_OPTIONS, {"DATABASE_URL": "sqlite:////tmp/qa-options.sqlite3"})
    assert result.returncode == 0, result.stderr
    assert "jit" not in result.stdout


@pytest.mark.django_db
def test_the_applications_postgresql_connection_has_jit_off():
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("JIT is a PostgreSQL setting")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
