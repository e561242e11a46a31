"""Moderation's contributions to "My work", and the admin pages for moderation."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from audits.models import Grade
from moderation.models import LoopedAudit, LoopStatus, ModeratorCapacity, Panel
from moderation.my_work import auditor_feedback_work, moderator_work, qa_lead_moderation_work
from moderation.services import panel_add_audit, review_save

from .conftest import accepted_audit, moderate

pytestmark = pytest.mark.django_db

G, RI = Grade.GOOD, Grade.REQUIRES_IMPROVEMENT


def test_a_moderator_is_told_about_reviews_not_done(org, template, panel, moderator):
    first = panel_add_audit(
        panel=panel, audit=accepted_audit(org, template, G), user=moderator, moderator=moderator
    )
    started = panel_add_audit(
        panel=panel, audit=accepted_audit(org, template, G), user=moderator, moderator=moderator
    )
    review_save(
        review=started,
        user=moderator,
        moderated_grade=G,
        rationale="",
        feedback="",
        domain_grades={},
        reasons=[],
    )
    moderate(accepted_audit(org, template, G), panel, moderator, G)  # done: not listed
    [section] = moderator_work(moderator)
    assert section["title"] == "Audits to moderate"
    assert [item["url"] for item in section["items"]] == [
        reverse("moderation:review", args=[first.pk]),
        reverse("moderation:review", args=[started.pk]),
    ]
    assert section["items"][0]["text"] == (
        f"{first.audit.child.case_reference}, Family Support North: assigned, "
        "panel on 10 November 2026"
    )
    assert "in progress" in section["items"][1]["text"]
    assert moderator_work(org.users["auditor"]) == []


def test_an_auditor_is_told_about_feedback_from_the_last_30_days(org, template, panel, moderator):
    with time_machine.travel(datetime.datetime(2026, 10, 1, 12, tzinfo=datetime.UTC)):
        moderate(accepted_audit(org, template, G), panel, moderator, G)  # too old by then
    review = moderate(accepted_audit(org, template, G), panel, moderator, RI)
    [section] = auditor_feedback_work(org.users["auditor"], today=review.finalised_at.date())
    assert section["items"] == [
        {
            "text": f"{review.audit.child.case_reference}: downgraded, Requires Improvement",
            "url": reverse("moderation:feedback", args=[review.pk]),
        }
    ]
    assert auditor_feedback_work(org.users["moderator"]) == []


def test_the_qa_lead_is_told_to_create_the_panel_and_record_loop_outcomes(org, template, panel):
    today = datetime.date(2026, 12, 3)  # November's panel is due
    [section] = qa_lead_moderation_work(org.users["qa_lead"], today=today)
    assert section["items"] == [
        {
            "text": "Create the moderation panel for November 2026",
            "url": reverse("moderation:panel_new"),
        }
    ]
    Panel.objects.create(month=datetime.date(2026, 11, 1), date=datetime.date(2026, 12, 10))
    assert qa_lead_moderation_work(org.users["qa_lead"], today=today) == []
    first = accepted_audit(org, template, G)
    second = accepted_audit(org, template, RI)
    loop = LoopedAudit.objects.create(first=first, second=second, status=LoopStatus.DIFFERS)
    loop_on_panel = LoopedAudit.objects.create(
        first=accepted_audit(org, template, G),
        second=accepted_audit(org, template, RI),
        status=LoopStatus.DIFFERS,
        panel=panel,
    )
    [section] = qa_lead_moderation_work(org.users["qa_lead"], today=today)
    assert [item["url"] for item in section["items"]] == [
        reverse("moderation:loop_detail", args=[loop.pk]),
        reverse("moderation:panel_detail", args=[loop_on_panel.panel_id]),
    ]
    assert qa_lead_moderation_work(org.users["moderator"], today=today) == []


def test_qa_lead_edits_capacities_and_reads_reviews_in_the_admin(
    client, org, template, panel, moderator
):
    review = moderate(accepted_audit(org, template, G), panel, moderator, RI)
    client.force_login(org.users["qa_lead"])
    response = client.post(
        reverse("admin:moderation_moderatorcapacity_add"),
        {"moderator": moderator.pk, "monthly_capacity": "6"},
    )
    assert response.status_code == 302
    assert ModeratorCapacity.objects.get().monthly_capacity == 6
    page = client.get(reverse("admin:moderation_moderationreview_change", args=[review.pk]))
    assert page.status_code == 200
    assert b'name="_save"' not in page.content  # read-only: changed in the pages
    assert client.get(reverse("admin:moderation_moderationsettings_changelist")).status_code == 200


def test_the_administrator_cannot_reach_moderation_in_the_admin(client, org):
    client.force_login(org.users["administrator"])
    assert client.get(reverse("admin:moderation_panel_changelist")).status_code == 403
