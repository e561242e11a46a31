"""Default Celery beat schedules, installed once and then editable in the admin.

Each entry is created only if no periodic task of that name exists, so an
administrator's change to a schedule survives every later migration and deploy.
"""

from django.db import transaction

# name -> (task, crontab fields)
DEFAULT_SCHEDULES = {
    "Clear expired sessions (daily)": (
        "qa_audit.tasks.clear_expired_sessions",
        {
            "minute": "30",
            "hour": "3",
            "day_of_week": "*",
            "day_of_month": "*",
            "month_of_year": "*",
        },
    ),
}


def register_schedule(name, task, crontab_fields):
    DEFAULT_SCHEDULES[name] = (task, crontab_fields)


def install_default_schedules(**kwargs):
    from django_celery_beat.models import CrontabSchedule, PeriodicTask

    with transaction.atomic():
        for name, (task, fields) in DEFAULT_SCHEDULES.items():
            if PeriodicTask.objects.filter(name=name).exists():
                continue
            schedule, _ = CrontabSchedule.objects.get_or_create(timezone="Europe/London", **fields)
            PeriodicTask.objects.create(name=name, task=task, crontab=schedule)
