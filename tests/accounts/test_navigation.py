import datetime

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

EXPECTED = {
    "auditor": ["My work", "My audits"],
    "moderator": ["My work", "My audits", "Moderation"],
    "team_manager": ["My work", "Exemptions", "Actions", "Organisation"],
    "head_of_service": [
        "My work",
        "Dashboard",
        "Reports",
        "Exemptions",
        "Moderation figures",
        "Actions",
        "Cases of Concern",
        "Service improvement",
        "Other audits",
        "Feedback",
        "Organisation",
    ],
    "qa_lead": [
        "My work",
        "Dashboard",
        "Reports",
        "Audit programme",
        "Moderation",
        "Moderation figures",
        "Actions",
        "Cases of Concern",
        "Service improvement",
        "Other audits",
        "Feedback",
        "Organisation",
        "Sent emails",
        "Records",
        "Administration",
    ],
    "leader": [
        "My work",
        "Dashboard",
        "Reports",
        "Moderation figures",
        "Service improvement",
        "Other audits",
        "Feedback",
        "Organisation",
    ],
    "ambassador": ["My work"],
    "administrator": [
        "My work",
        "Dashboard",
        "Reports",
        "Service improvement",
        "Organisation",
        "Sent emails",
        "Administration",
    ],
}


@pytest.mark.parametrize("role", EXPECTED)
def test_each_role_sees_only_what_it_can_use(client, org, role):
    client.force_login(org.users[role])
    response = client.get(reverse("home"))
    labels = [item["label"] for item in response.context["nav_items"]]
    assert labels == EXPECTED[role]


def test_current_section_is_marked(client, org):
    client.force_login(org.users["qa_lead"])
    html = client.get(reverse("organisation:index")).content.decode()
    assert 'aria-current="page"' in html
    items = client.get(reverse("organisation:index")).context["nav_items"]
    assert [i["label"] for i in items if i["current"]] == ["Organisation"]


def test_a_lead_of_a_service_improvement_action_finds_it_in_the_menu(client, org):
    from actions.models import ServiceImprovementAction

    improvement = ServiceImprovementAction.objects.create(
        title="Agree a good chronology",
        raised_in="Quarterly report Q4 2025/26",
        raised_on=datetime.date(2026, 4, 10),
        timescale=datetime.date(2026, 6, 30),
    )
    improvement.leads.set([org.users["auditor"]])
    client.force_login(org.users["auditor"])
    labels = [item["label"] for item in client.get(reverse("home")).context["nav_items"]]
    assert labels == ["My work", "My audits", "Service improvement"]
    items = client.get(reverse("actions:improvement_list")).context["nav_items"]
    assert [i["label"] for i in items if i["current"]] == ["Service improvement"]


def test_signed_out_pages_have_no_navigation(client, db):
    response = client.get(reverse("accounts:login"))
    assert response.context["nav_items"] == []
