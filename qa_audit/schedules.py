"""Default Celery beat schedules, installed by every ``migrate`` and editable in the admin.

Each entry is created only if no periodic task of that name exists, so an
administrator's change to a schedule (its times, its arguments, switching it off)
survives every later migration and deploy. A default schedule that was deleted comes
back at the next ``migrate``: to stop one, untick "Enabled" instead. Installed by
``qa_audit.defaults.install_defaults``.
"""

from django.db import DEFAULT_DB_ALIAS, transaction

TIMEZONE = "Europe/London"

# name -> (task, crontab fields, in TIMEZONE)
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
    "Generate quarterly and annual reports (daily)": (
        "reporting.tasks.generate_due_reports",
        {
            "minute": "0",
            "hour": "6",
            "day_of_week": "*",
            "day_of_month": "*",
            "month_of_year": "*",
        },
    ),
    "Anonymise records past their retention period (daily)": (
        "governance.tasks.apply_retention",
        {
            "minute": "45",
            "hour": "2",
            "day_of_week": "*",
            "day_of_month": "*",
            "month_of_year": "*",
        },
    ),
    "Bring the case list in step with the SSD extract (nightly)": (
        "audits.tasks.caselist.sync_case_list_nightly",
        {
            "minute": "30",
            "hour": "1",
            "day_of_week": "*",
            "day_of_month": "*",
            "month_of_year": "*",
        },
    ),
    "Send waiting and retried emails (every minute)": (
        "outbox.tasks.sweep_outbox",
        {
            "minute": "*",
            "hour": "*",
            "day_of_week": "*",
            "day_of_month": "*",
            "month_of_year": "*",
        },
    ),
}


def register_schedule(name, task, crontab_fields):
    DEFAULT_SCHEDULES[name] = (task, crontab_fields)


def install_default_schedules(*, using: str = DEFAULT_DB_ALIAS) -> list[str]:
    """Create each default schedule that has no periodic task of its name; never change
    an existing one. Returns the names created."""
    from django_celery_beat.models import CrontabSchedule, PeriodicTask

    created = []
    with transaction.atomic(using=using):
        existing = set(PeriodicTask.objects.using(using).values_list("name", flat=True))
        for name, (task, fields) in DEFAULT_SCHEDULES.items():
            if name in existing:
                continue
            crontabs = CrontabSchedule.objects.using(using)
            crontab = crontabs.filter(timezone=TIMEZONE, **fields).order_by("pk").first()
            if crontab is None:
                crontab = crontabs.create(timezone=TIMEZONE, **fields)
            # get_or_create: two processes migrating at once must not both create it.
            _, made = PeriodicTask.objects.using(using).get_or_create(
                name=name, defaults={"task": task, "crontab": crontab}
            )
            if made:
                created.append(name)
    return created
