"""A fresh install, as an operator makes one: the real `migrate` on an empty database.

Every default beat schedule and the three standard audit templates must be there after
it, each schedule naming a task the Celery app has registered; a second `migrate`
changes nothing; an administrator's or a council's edits survive; a deleted default
schedule comes back. The database is new for the test (a temporary SQLite file, or a new
database on the PostgreSQL server when DATABASE_URL is PostgreSQL) and is dropped after.
"""

import json
import os
import subprocess
import sys
import uuid

import pytest
from django.conf import settings
from django.db import connection

from audits.template_library import DOMAINS, STANDARD_TEMPLATES
from qa_audit.schedules import DEFAULT_SCHEDULES, TIMEZONE
from tests.live_celery import database_url

SNAPSHOT = """
import json

import django

django.setup()

from django_celery_beat.models import PeriodicTask

from audits.models import AuditTemplate, Domain


def crontab(c):
    fields = (c.minute, c.hour, c.day_of_week, c.day_of_month, c.month_of_year)
    return [*fields, str(c.timezone)]


print(json.dumps({
    "schedules": {
        t.name: {"id": t.pk, "task": t.task, "enabled": t.enabled, "crontab": crontab(t.crontab)}
        for t in PeriodicTask.objects.select_related("crontab")
    },
    "templates": {
        t.family: {
            "id": t.pk,
            "version": t.version,
            "name": t.name,
            "is_active": t.is_active,
            "sections": [
                {
                    "title": s.title,
                    "domain": s.domain.name if s.domain else None,
                    "questions": [q.text for q in s.questions.all()],
                }
                for s in t.sections.select_related("domain").order_by("order")
            ],
        }
        for t in AuditTemplate.objects.all()
    },
    "domains": {
        d.name: sorted(d.descriptors.values_list("grade", flat=True))
        for d in Domain.objects.all()
    },
}))
"""

# What an administrator and a council do after installing.
EDITS = """
import django

django.setup()

from django_celery_beat.models import CrontabSchedule, PeriodicTask

from audits.models import AuditTemplate, Question

reminders = PeriodicTask.objects.get(name="Audit due date reminders (daily)")
reminders.crontab = CrontabSchedule.objects.create(
    minute="15", hour="6", day_of_week="1-5", timezone="Europe/London"
)
reminders.enabled = False
reminders.save()
PeriodicTask.objects.get(name="Clear expired sessions (daily)").delete()

cja = AuditTemplate.objects.get(family="child-journey-audit")
cja.name = "Northshire Child Journey Audit"
cja.save()
question = Question.objects.filter(section__template=cja).order_by("section__order", "order")[0]
question.text = "Was the child seen alone at the last visit?"
question.save()
AuditTemplate.objects.filter(family="leaving-care-audit").update(is_active=False)
"""


def run(database, *args, timeout=600):
    result = subprocess.run(
        [sys.executable, *args],
        cwd=settings.BASE_DIR,
        env={**os.environ, "DATABASE_URL": database, "DJANGO_SETTINGS_MODULE": "qa_audit.settings"},
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert result.returncode == 0, f"{args[:2]} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def migrate(database):
    return run(database, "manage.py", "migrate", "--noinput")


def snapshot(database):
    return json.loads(run(database, "-c", SNAPSHOT))


@pytest.fixture
def empty_database(django_db_blocker, tmp_path):
    """The URL of a database with nothing in it, made for this test and dropped after."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
        return
    assert connection.vendor == "postgresql", connection.vendor
    name = f"{connection.settings_dict['NAME'][:40]}_fresh_{uuid.uuid4().hex[:12]}"
    with django_db_blocker.unblock(), connection._nodb_cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    try:
        yield database_url(connection, name=name)
    finally:
        with django_db_blocker.unblock(), connection._nodb_cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def registered_tasks():
    from qa_audit.celery import app

    app.loader.import_default_modules()  # autodiscovery, as a worker does at start
    return set(app.tasks)


def expected_templates():
    return {
        spec.family: {
            "version": 1,
            "name": spec.name,
            "is_active": True,
            "sections": [
                {
                    "title": section.title,
                    "domain": section.domain,
                    "questions": [q.text for q in section.questions],
                }
                for section in spec.sections
            ],
        }
        for spec in STANDARD_TEMPLATES
    }


def without_ids(rows):
    return {key: {k: v for k, v in row.items() if k != "id"} for key, row in rows.items()}


def test_migrate_on_an_empty_database_installs_the_defaults_once_and_keeps_edits(empty_database):
    output = migrate(empty_database)
    state = snapshot(empty_database)

    assert without_ids(state["schedules"]) == {
        name: {
            "task": task,
            "enabled": True,
            "crontab": [
                fields["minute"],
                fields["hour"],
                fields["day_of_week"],
                fields["day_of_month"],
                fields["month_of_year"],
                TIMEZONE,
            ],
        }
        for name, (task, fields) in DEFAULT_SCHEDULES.items()
    }
    unregistered = {s["task"] for s in state["schedules"].values()} - registered_tasks()
    assert unregistered == set(), "schedules name tasks the Celery app does not have"
    for name in DEFAULT_SCHEDULES:
        assert f"Installed the default schedule {name!r}." in output

    assert without_ids(state["templates"]) == expected_templates()
    assert len(state["templates"]) == 3
    standard_domains = {d for spec in STANDARD_TEMPLATES for d in spec.domain_names}
    assert state["domains"] == {name: sorted(DOMAINS[name][1]) for name in standard_domains}
    assert all(len(grades) == 4 for grades in state["domains"].values())
    assert "Installed the standard audit template Leaving Care Audit (version 1)." in output

    # A second migrate (the next deploy) creates, changes and reports nothing.
    again = migrate(empty_database)
    assert snapshot(empty_database) == state
    assert "Installed" not in again

    # The administrator and the council make changes; the deploy after keeps them.
    installed = state
    run(empty_database, "-c", EDITS)
    edited = snapshot(empty_database)

    output = migrate(empty_database)
    after = snapshot(empty_database)

    reminders = after["schedules"]["Audit due date reminders (daily)"]
    assert reminders == edited["schedules"]["Audit due date reminders (daily)"]
    assert reminders["enabled"] is False
    assert reminders["crontab"] == ["15", "6", "1-5", "*", "*", TIMEZONE]

    # Missing by name: created again, as installed.
    sessions = "Clear expired sessions (daily)"
    assert sessions not in edited["schedules"]
    assert without_ids({sessions: after["schedules"][sessions]}) == without_ids(
        {sessions: installed["schedules"][sessions]}
    )
    assert output.count("Installed") == 1
    assert set(after["schedules"]) == set(DEFAULT_SCHEDULES)

    # The council's templates are left as they made them: nothing reinstalled.
    assert after["templates"] == edited["templates"]
    assert after["templates"]["child-journey-audit"]["name"] == "Northshire Child Journey Audit"
    first_section = after["templates"]["child-journey-audit"]["sections"][0]
    assert first_section["questions"][0] == "Was the child seen alone at the last visit?"
    assert after["templates"]["leaving-care-audit"]["is_active"] is False
    assert after["domains"] == installed["domains"]
