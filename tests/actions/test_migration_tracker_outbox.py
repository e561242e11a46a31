"""Tracker emails sent before the outbox keep their text and time as outbox emails;
those never sent are dropped for the next run to plan."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("actions", "0001_closing_the_loop"), ("outbox", "0001_outbox_email")]
AFTER = [("actions", "0002_tracker_emails_in_the_outbox")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_sent_tracker_emails_move_to_the_outbox():
    apps = migrate(BEFORE)
    User = apps.get_model("accounts", "User")
    TrackerRun = apps.get_model("actions", "TrackerRun")
    TrackerEmail = apps.get_model("actions", "TrackerEmail")
    tom = User.objects.create(email="tom@council.example", first_name="Tom")
    una = User.objects.create(email="una@council.example", first_name="Una")
    run = TrackerRun.objects.create(kind="tracker", period_start=datetime.date(2026, 4, 6))
    sent_at = datetime.datetime(2026, 4, 6, 7, 0, tzinfo=datetime.UTC)
    TrackerEmail.objects.create(
        run=run,
        recipient=tom,
        status="sent",
        sent_at=sent_at,
        claimed_at=sent_at,
        sent_to="tom@council.example",
        item_count=2,
        subject="Closing the loop: 2 open actions",
        body_text="Two actions.",
        body_html="<p>Two actions.</p>",
    )
    TrackerEmail.objects.create(run=run, recipient=una, status="pending")
    try:
        apps = migrate(AFTER)
        TrackerEmail = apps.get_model("actions", "TrackerEmail")
        (email,) = TrackerEmail.objects.select_related("outbox")
        assert email.recipient_id == tom.pk and email.item_count == 2
        outbox = email.outbox
        assert (outbox.status, outbox.sent_at, outbox.to) == ("sent", sent_at, tom.email)
        assert outbox.subject == "Closing the loop: 2 open actions"
        assert outbox.body_html == "<p>Two actions.</p>"
        assert outbox.key == f"tracker:2026-04-06:{tom.pk}"  # the rerun plans it no more
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
