"""The post_migrate wiring of qa_audit/defaults.py, in the test process (the real
`migrate` on an empty database is in test_fresh_install.py)."""

import io
from unittest import mock

import pytest
from django.core.management import call_command
from django_celery_beat.models import CrontabSchedule, PeriodicTask

from audits.models import AuditTemplate
from qa_audit import schedules
from qa_audit.schedules import DEFAULT_SCHEDULES, install_default_schedules

NOT_CHECKED = "Default schedules and audit templates not checked: migrations are unapplied."


def migrate(*args):
    out = io.StringIO()
    call_command("migrate", *args, stdout=out, verbosity=1)
    return out.getvalue()


@pytest.mark.django_db
def test_migrate_runs_the_installer_once_not_once_per_app(settings):
    settings.INSTALL_DEFAULTS_ON_MIGRATE = True
    with mock.patch.object(
        schedules, "install_default_schedules", wraps=install_default_schedules
    ) as installer:
        output = migrate()
    assert installer.call_count == 1
    assert set(PeriodicTask.objects.values_list("name", flat=True)) == set(DEFAULT_SCHEDULES)
    assert AuditTemplate.objects.count() == 3
    assert output.count("Installed the default schedule") == len(DEFAULT_SCHEDULES)


@pytest.mark.django_db
def test_migrate_installs_nothing_when_switched_off(settings):
    settings.INSTALL_DEFAULTS_ON_MIGRATE = False
    migrate()
    assert not PeriodicTask.objects.exists()
    assert not AuditTemplate.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_migrate_installs_nothing_while_a_migration_is_unapplied(settings):
    settings.INSTALL_DEFAULTS_ON_MIGRATE = True
    output = migrate("sessions", "zero")
    assert NOT_CHECKED in output
    assert not PeriodicTask.objects.exists()
    assert not AuditTemplate.objects.exists()

    output = migrate()
    assert NOT_CHECKED not in output
    assert PeriodicTask.objects.count() == len(DEFAULT_SCHEDULES)


@pytest.mark.django_db
def test_an_existing_schedule_of_the_same_name_is_left_as_it_is():
    name = "Audit due date reminders (daily)"
    hourly = CrontabSchedule.objects.create(minute="0", hour="*", timezone="UTC")
    PeriodicTask.objects.create(name=name, task="some.other.task", crontab=hourly, enabled=False)

    created = install_default_schedules()

    assert name not in created
    assert len(created) == len(DEFAULT_SCHEDULES) - 1
    kept = PeriodicTask.objects.get(name=name)
    assert (kept.task, kept.crontab, kept.enabled) == ("some.other.task", hourly, False)
    assert install_default_schedules() == []
