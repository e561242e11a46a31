"""An Administrator manages people, teams, roles and schedules, and opens no case record:
children, audits (with their answers), moderation reviews, actions and Cases of Concern
are closed to them in the admin; the QA Lead reads them there."""

import datetime

import pytest
from django.urls import reverse

from actions.models import Action, ActionKind, CaseOfConcern
from audits.models import AuditStatus, Grade
from moderation.models import ModerationReview
from tests.factories import AuditFactory, ChildFactory, complete_audit, make_template

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(org):
    child = ChildFactory(team=org.team_a, social_worker=org.users["no_role"])
    audit = AuditFactory(
        child=child,
        template=make_template(),
        auditor=org.users["auditor"],
        status=AuditStatus.ACCEPTED,
    )
    complete_audit(audit, grade=Grade.INADEQUATE)
    action = Action.objects.create(
        audit=audit,
        child=child,
        team=org.team_a,
        text="Update the chronology",
        kind=ActionKind.OTHER,
        owner=org.users["team_manager"],
        raised_on=datetime.date(2026, 3, 2),
        due_date=datetime.date(2026, 3, 30),
    )
    case = CaseOfConcern.objects.create(
        child=child,
        service_area=org.area_a,
        team=org.team_a,
        head_of_service=org.users["head_of_service"],
        opened_on=datetime.date(2026, 3, 2),
    )
    review = ModerationReview.objects.create(audit=audit, original_grade=Grade.INADEQUATE)
    return {
        "audits_child": child,
        "audits_audit": audit,
        "actions_action": action,
        "actions_caseofconcern": case,
        "moderation_moderationreview": review,
    }


MODELS = [
    "audits_child",
    "audits_audit",
    "actions_action",
    "actions_caseofconcern",
    "moderation_moderationreview",
]


@pytest.mark.parametrize("model", MODELS)
def test_an_administrator_opens_no_case_record(client, org, records, model):
    client.force_login(org.users["administrator"])
    obj = records[model]
    assert client.get(reverse(f"admin:{model}_changelist")).status_code == 403
    assert client.get(reverse(f"admin:{model}_change", args=[obj.pk])).status_code in (403, 404)
    assert client.get(reverse(f"admin:{model}_history", args=[obj.pk])).status_code in (403, 404)
    assert client.get(reverse(f"admin:{model}_delete", args=[obj.pk])).status_code in (403, 404)
    page = client.get(reverse("admin:index")).content.decode()
    assert reverse(f"admin:{model}_changelist") not in page


@pytest.mark.parametrize("model", MODELS)
def test_the_qa_lead_reads_them(client, org, records, model):
    client.force_login(org.users["qa_lead"])
    obj = records[model]
    assert client.get(reverse(f"admin:{model}_changelist")).status_code == 200
    assert client.get(reverse(f"admin:{model}_change", args=[obj.pk])).status_code == 200


def test_an_administrator_still_manages_people_teams_and_schedules(client, org):
    client.force_login(org.users["administrator"])
    for name in (
        "accounts_user",
        "accounts_team",
        "accounts_servicearea",
        "django_celery_beat_periodictask",
    ):
        assert client.get(reverse(f"admin:{name}_changelist")).status_code == 200, name
    assert client.get(reverse("admin:accounts_user_add")).status_code == 200
