"""Every page, API answer and admin page that shows an audit, or a record made from one,
records who viewed which audit and when; a list records each audit on the page it
answered with. A child's record opened in the admin records a view of the child.

The QA Lead (Quinn) opens everything; ``every_kind`` provides the records.
"""

import pytest
from django.urls import reverse
from django.utils import timezone

from audits.models import Audit, AuditEvent, AuditEventKind, ChildViewEvent
from moderation.models import ModerationReview

pytestmark = pytest.mark.django_db


@pytest.fixture
def quinn(client, org):
    client.force_login(org.users["qa_lead"])
    return org.users["qa_lead"]


def views_by(user):
    return AuditEvent.objects.filter(kind=AuditEventKind.VIEWED, user=user)


def viewed(user, note):
    """{audit id: number of view events} for the user's views with this note."""
    counts = {}
    for audit_id in views_by(user).filter(note=note).values_list("audit_id", flat=True):
        counts[audit_id] = counts.get(audit_id, 0) + 1
    return counts


def get_ok(client, path):
    response = client.get(path)
    assert response.status_code == 200, path
    return response


# The API ----------------------------------------------------------------------------------


def test_api_audit_list_records_each_audit_on_the_page(client, quinn, every_kind):
    before = timezone.now()
    rows = get_ok(client, reverse("audit-list")).json()["results"]
    assert len(rows) >= 3
    assert viewed(quinn, "API: list of audits") == {row["id"]: 1 for row in rows}
    assert views_by(quinn).filter(at__lt=before).count() == 0


def test_api_audit_list_records_only_the_page_it_answered(client, quinn, every_kind):
    response = get_ok(client, reverse("audit-list") + "?page_size=1&page=2")
    [row] = response.json()["results"]
    assert viewed(quinn, "API: list of audits") == {row["id"]: 1}


def test_api_audit_list_with_a_filter_records_only_the_audits_it_returned(
    client, quinn, every_kind
):
    rows = get_ok(client, reverse("audit-list") + "?status=accepted").json()["results"]
    assert {row["id"] for row in rows} == {every_kind.accepted.pk}
    assert viewed(quinn, "API: list of audits") == {every_kind.accepted.pk: 1}


def test_api_audit_detail_records_the_audit(client, quinn, every_kind):
    audit = every_kind.accepted
    get_ok(client, reverse("audit-detail", args=[audit.pk]))
    assert viewed(quinn, f"API: audit {audit.pk}") == {audit.pk: 1}


def test_api_review_list_records_each_review_audit(client, quinn, every_kind):
    rows = get_ok(client, reverse("moderation-review-list")).json()["results"]
    audits = dict(ModerationReview.objects.values_list("pk", "audit_id"))
    assert rows
    assert viewed(quinn, "API: list of moderation reviews") == {
        audits[row["id"]]: 1 for row in rows
    }


def test_api_review_detail_records_its_audit(client, quinn, every_kind):
    review = every_kind.review
    get_ok(client, reverse("moderation-review-detail", args=[review.pk]))
    assert viewed(quinn, f"API: moderation review {review.pk}") == {review.audit_id: 1}


def test_api_action_detail_records_its_audit(client, org, every_kind):
    manager = org.users["team_manager"]  # the action's owner: the team's manager
    client.force_login(manager)
    action = every_kind.action
    get_ok(client, reverse("action-detail", args=[action.pk]))
    assert viewed(manager, f"API: action {action.pk}") == {action.audit_id: 1}


def test_api_action_list_records_each_action_audit(client, org, every_kind):
    manager = org.users["team_manager"]
    client.force_login(manager)
    rows = get_ok(client, reverse("action-list")).json()["results"]
    assert [row["audit"] for row in rows] == [every_kind.action.audit_id]
    assert viewed(manager, "API: list of actions") == {every_kind.action.audit_id: 1}


def test_api_detail_outside_scope_records_nothing(client, org, every_kind):
    outsider = org.users["outside_manager"]
    client.force_login(outsider)
    assert client.get(reverse("action-detail", args=[every_kind.action.pk])).status_code == 404
    assert client.get(reverse("audit-detail", args=[every_kind.accepted.pk])).status_code == 404
    assert not views_by(outsider).exists()


def test_api_writes_are_not_recorded_as_views(client, every_kind):
    walker = every_kind.walker
    client.force_login(walker)
    draft = every_kind.draft
    response = client.patch(
        reverse("audit-detail", args=[draft.pk]),
        {"lock_version": draft.lock_version, "fields": {"strengths": "Warm, consistent."}},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert not views_by(walker).exists()


# Pages --------------------------------------------------------------------------------------


def test_panel_page_records_its_audits_and_the_candidates(client, quinn, every_kind):
    panel = every_kind.panel
    candidate = Audit.objects.filter(status="accepted", moderation_review__isnull=True)
    response = get_ok(client, reverse("moderation:panel_detail", args=[panel.pk]))
    loop = every_kind.loop
    expected = {every_kind.review.audit_id, loop.first_id, loop.second_id}
    expected |= set(candidate.filter(month=panel.month).values_list("pk", flat=True))
    assert viewed(quinn, f"Moderation panel {panel.pk}") == dict.fromkeys(expected, 1)
    assert every_kind.accepted.child.case_reference in response.content.decode()


def test_looped_audits_page_records_both_audits_of_each_loop(client, quinn, every_kind):
    loop = every_kind.loop
    get_ok(client, reverse("moderation:loops"))
    assert viewed(quinn, "Looped audits") == {loop.first_id: 1, loop.second_id: 1}


def test_looped_audit_page_records_both_audits(client, quinn, every_kind):
    loop = every_kind.loop
    get_ok(client, reverse("moderation:loop_detail", args=[loop.pk]))
    assert viewed(quinn, f"Looped audit {loop.pk}") == {loop.first_id: 1, loop.second_id: 1}


# The admin ----------------------------------------------------------------------------------


def admin_change(obj):
    meta = obj._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])


@pytest.mark.parametrize(
    "name, audits_of",
    [
        ("review", lambda kind: [kind.review.audit_id]),
        ("action", lambda kind: [kind.action.audit_id]),
        ("case", lambda kind: [kind.accepted.pk]),
        ("loop", lambda kind: [kind.loop.first_id, kind.loop.second_id]),
        ("reaudit", lambda kind: [kind.reaudit.audit_id]),
        ("accepted", lambda kind: [kind.accepted.pk]),
    ],
)
def test_admin_change_page_records_the_audits_it_shows(client, quinn, every_kind, name, audits_of):
    obj = getattr(every_kind, name)
    get_ok(client, admin_change(obj))
    note = f"Admin: {obj._meta.verbose_name} {obj.pk}"
    assert viewed(quinn, note) == dict.fromkeys(audits_of(every_kind), 1)
    assert views_by(quinn).exclude(note=note).count() == 0


def test_admin_child_page_records_a_view_of_the_child(client, quinn, every_kind):
    child = every_kind.accepted.child
    get_ok(client, admin_change(child))
    [event] = ChildViewEvent.objects.filter(user=quinn)
    assert (event.child, event.user, event.note) == (child, quinn, "Admin")
    assert (timezone.now() - event.at).total_seconds() < 60


def test_admin_page_refused_records_nothing(client, org, every_kind):
    client.force_login(org.users["auditor"])
    for obj in (every_kind.review, every_kind.accepted.child):
        assert client.get(admin_change(obj)).status_code in (302, 403)
    assert not AuditEvent.objects.filter(
        kind=AuditEventKind.VIEWED, note__startswith="Admin"
    ).exists()
    assert not ChildViewEvent.objects.filter(user=org.users["auditor"]).exists()


def test_admin_post_is_not_recorded_as_a_view(client, quinn, every_kind):
    client.post(admin_change(every_kind.review), {})
    assert not views_by(quinn).exists()


def test_browsable_api_page_records_one_view(client, quinn, every_kind):
    audit = every_kind.accepted
    response = client.get(reverse("audit-detail", args=[audit.pk]), HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert viewed(quinn, f"API: audit {audit.pk}") == {audit.pk: 1}
    assert views_by(quinn).count() == 1
