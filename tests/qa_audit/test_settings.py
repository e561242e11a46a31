"""Production settings: secure by default, and no start without a real secret key."""

import os
import subprocess
import sys
from pathlib import Path

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
