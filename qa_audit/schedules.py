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
    "Propose next month's audit allocation (monthly)": (
        "audits.tasks.reminders.propose_next_month_allocation",
        {
            "minute": "0",
            "hour": "7",
            "day_of_week": "*",
            "day_of_month": "1",
            "month_of_year": "*",
        },
    ),
    "Audit due date reminders (daily)": (
        "audits.tasks.reminders.send_audit_reminders",
        {
            "minute": "30",
            "hour": "7",
            "day_of_week": "*",
            "day_of_month": "*",
            "month_of_year": "*",
        },
    ),
    "Closing the loop tracker emails (weekly, Monday)": (
        "actions.tasks.send_weekly_trackers",
        {
            "minute": "0",
            "hour": "8",
            "day_of_week": "1",
            "day_of_month": "*",
            "month_of_year": "*",
        },
    ),
    "Case of Concern update requests (monthly)": (
        "actions.tasks.send_concern_update_requests",
        {
            "minute": "0",
            "hour": "9",
            "day_of_week": "*",
            "day_of_month": "1",
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
