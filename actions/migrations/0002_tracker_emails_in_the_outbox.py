"""Tracker emails are delivered by the outbox: each email already sent keeps its text
and time as an outbox email; one never sent is planned again by the next run."""

import uuid

import django.db.models.deletion
from django.db import migrations, models

TEMPLATES = {"tracker": "tracker", "hos_tracker": "hos-tracker", "coc_request": "coc-request"}
KINDS = {
    "tracker": "Weekly tracker",
    "hos_tracker": "Weekly escalation to Heads of Service",
    "coc_request": "Monthly Case of Concern update request",
}


def move_sent_emails(apps, schema_editor):
    TrackerEmail = apps.get_model("actions", "TrackerEmail")
    OutboxEmail = apps.get_model("outbox", "OutboxEmail")
    for email in TrackerEmail.objects.select_related("run", "recipient").order_by("pk"):
        if email.status != "sent":
            email.delete()  # never sent: the next run of the task plans it
            continue
        run = email.run
        email.outbox = OutboxEmail.objects.create(
            recipient=email.recipient,
            to=email.sent_to or email.recipient.email,
            template=TEMPLATES.get(run.kind, run.kind),
            kind=KINDS.get(run.kind, run.kind),
            key=f"{run.kind}:{run.period_start.isoformat()}:{email.recipient_id}",
            message_id=f"<{uuid.uuid4().hex}@migrated.invalid>",
            subject=email.subject,
            body_text=email.body_text,
            body_html=email.body_html,
            status="sent",
            attempts=1,
            created_at=email.claimed_at or email.sent_at,
            sent_at=email.sent_at,
        )
        email.save(update_fields=["outbox"])


class Migration(migrations.Migration):
    dependencies = [
        ("actions", "0001_closing_the_loop"),
        ("outbox", "0001_outbox_email"),
    ]

    operations = [
        migrations.AddField(
            model_name="trackeremail",
            name="outbox",
            field=models.OneToOneField(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="tracker_email",
                to="outbox.outboxemail",
            ),
        ),
        migrations.RunPython(move_sent_emails, migrations.RunPython.noop),
        *[
            migrations.RemoveField(model_name="trackeremail", name=name)
            for name in (
                "body_html",
                "body_text",
                "claimed_at",
                "sent_at",
                "sent_to",
                "status",
                "subject",
            )
        ],
    ]
