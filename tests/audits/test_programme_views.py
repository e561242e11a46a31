"""The programme pages: happy path, wrong method, outsiders and bad input for each."""

import datetime
import re

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from accounts.models import JobTitle, Role
from audits.models import (
    AllocationRound,
    Audit,
    AuditStatus,
    Exemption,
    ExemptionKind,
    ExemptionStatus,
    LegalStatus,
    RoundStatus,
    StandingReason,
)
from audits.selectors_programme import programme_work
from audits.services.allocation import round_propose
from tests.factories import AuditFactory, ChildFactory, TeamFactory, UserFactory, make_template

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 15)
DEC = datetime.date(2026, 12, 1)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(datetime.datetime(2026, 11, 15, 10, 0), tick=False):
        yield


@pytest.fixture
def template():
    return make_template(family="child-journey-audit")


@pytest.fixture
def council(org, template):
    """Team A1 with children NC1-NC3, team B1 with NC4-NC6; NC6 audited in May 2026."""
    refs = {}
    for n, team in enumerate([org.team_a] * 3 + [org.team_b] * 3, start=1):
        refs[f"NC{n}"] = ChildFactory(
            case_reference=f"NC{n}", team=team, legal_status=LegalStatus.CHILD_IN_NEED
        )
    AuditFactory(
        child=refs["NC6"],
        template=template,
        auditor=org.users["moderator"],
        month=datetime.date(2026, 5, 1),
        status=AuditStatus.ACCEPTED,
    )
    return refs


def login(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def qa(client, org):
    return login(client, org.users["qa_lead"])


@pytest.fixture
def draft(council, org):
    return round_propose(month=DEC, created_by=org.users["qa_lead"], per_team=2, today=TODAY).round


def errors_in(response):
    return response.context["form"].errors


# Programme home ---------------------------------------------------------------------


def test_index_shows_this_and_next_month(qa, draft, org, template, django_assert_max_num_queries):
    nov = datetime.date(2026, 11, 1)
    for status in (AuditStatus.ACCEPTED, AuditStatus.SUBMITTED, AuditStatus.ALLOCATED):
        AuditFactory(
            child=ChildFactory(team=org.team_a), template=template, month=nov, status=status
        )
    AuditFactory(
        child=ChildFactory(team=org.team_a),
        template=template,
        month=nov,
        status=AuditStatus.CANCELLED,
    )
    with django_assert_max_num_queries(15):
        response = qa.get(reverse("programme:index"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "November 2026" in html and "December 2026" in html
    # 2 of 3 allocated (the cancelled one does not count)
    assert response.context["months"][0]["completion"] == {
        "allocated": 3,
        "completed": 2,
        "rate": 67,
    }
    assert "67%" in html
    assert response.context["months"][1]["round"] == draft
    assert reverse("programme:round_detail", args=[draft.pk]) in html


def test_index_says_how_many_of_the_months_audits_are_in_the_allocation(qa, draft, org, template):
    """December's draft has 4 audits; a re-audit allocated outside it makes 5."""
    AuditFactory(child=ChildFactory(team=org.team_a), template=template, month=DEC)
    page = qa.get(reverse("programme:index")).content.decode()
    december = page[page.index('data-testid="month-2"') :]
    assert (
        "5 audits for December 2026: 4 in the allocation and 1 allocated outside it "
        "(ad hoc or re-audits)." in " ".join(december.split())
    )
    total = re.search(r"Total</th>\s*<td[^>]*>(\d+)</td>", december)
    assert total.group(1) == "5"


def test_round_page_says_how_many_teams_the_audits_are_in(qa, draft, org):
    """Asked for 2 for each team: the page shows how many teams that became."""
    TeamFactory(name="Disabled Children", service_area=org.area_a)
    page = qa.get(reverse("programme:round_detail", args=[draft.pk])).content.decode()
    text = " ".join(page.split())
    assert "2 for each team" in text
    assert 'data-testid="audit-count"> 4 in 2 of the 3 teams </dd>' in text


@pytest.mark.parametrize("persona", ["auditor", "head_of_service", "leader", "team_manager"])
def test_index_is_for_the_qa_lead(client, org, persona):
    assert login(client, org.users[persona]).get(reverse("programme:index")).status_code == 403


def test_index_wrong_method_and_signed_out(client, qa):
    assert qa.post(reverse("programme:index")).status_code == 405
    qa.logout()
    response = qa.get(reverse("programme:index"))
    assert response.status_code == 302 and "/accounts/" in response.url


# Proposing --------------------------------------------------------------------------


def test_round_new_proposes_and_shows_the_draft(qa, council, org, template):
    response = qa.get(reverse("programme:round_new"))
    assert response.status_code == 200
    form = response.context["form"]
    assert form["month"].value() == "2026-12-01"
    assert form["template"].value() == template.pk

    response = qa.post(
        reverse("programme:round_new"),
        {
            "month": "2026-12-01",
            "basis": "per_team",
            "per_team": "3",
            "total": "",
            "template": template.pk,
        },
    )
    allocation_round = AllocationRound.objects.get(month=DEC)
    assert response.status_code == 302
    assert response.url == reverse("programme:round_detail", args=[allocation_round.pk])
    assert allocation_round.per_team == 3
    assert allocation_round.audits.count() == 5  # NC6 was audited in May

    page = qa.get(response.url)
    html = page.content.decode()
    assert "5 audits proposed for December 2026" in html
    assert (
        "Children in Care 1 has only 2 children who have not been audited in the last 12 months"
        in html
    )
    # shown once only
    assert "has only 2 children" not in qa.get(response.url).content.decode()


def test_round_new_by_total(qa, council, template):
    qa.post(
        reverse("programme:round_new"),
        {
            "month": "2026-12-01",
            "basis": "total",
            "per_team": "",
            "total": "3",
            "template": template.pk,
        },
    )
    allocation_round = AllocationRound.objects.get(month=DEC)
    assert (allocation_round.total, allocation_round.per_team) == (3, None)
    assert allocation_round.audits.count() == 3


@pytest.mark.parametrize(
    "data,field,message",
    [
        (
            {"basis": "per_team", "per_team": ""},
            "per_team",
            "Enter the number of audits for each team",
        ),
        ({"basis": "total", "total": ""}, "total", "Enter the total number of audits"),
        (
            {"basis": "total", "total": "two"},
            "total",
            "The total number of audits must be a whole number, like 25",
        ),
        (
            {"basis": "per_team", "per_team": "0"},
            "per_team",
            "The number of audits for each team must be 1 or more",
        ),
        ({"basis": ""}, "basis", "Choose how many audits to propose"),
        ({"month": "2026-10-01"}, "month", "Choose the month to allocate from the list"),
    ],
)
def test_round_new_bad_input(qa, council, template, data, field, message):
    post = {"month": "2026-12-01", "basis": "per_team", "per_team": "2", "template": template.pk}
    response = qa.post(reverse("programme:round_new"), {**post, **data})
    assert response.status_code == 200
    assert errors_in(response)[field] == [message]
    assert "Error: " in response.content.decode().split("</title>")[0]
    assert not AllocationRound.objects.exists()


def test_round_new_refuses_an_existing_draft_unless_replaced(qa, draft, template):
    post = {"month": "2026-12-01", "basis": "per_team", "per_team": "1", "template": template.pk}
    response = qa.post(reverse("programme:round_new"), post)
    assert errors_in(response)["month"] == [
        "There is already a draft allocation for December 2026: open it to adjust it, or "
        "tick “Replace the draft” to propose it again"
    ]
    assert draft.audits.count() == 4
    response = qa.post(reverse("programme:round_new"), {**post, "replace_draft": "on"})
    assert response.status_code == 302
    assert draft.audits.count() == 2


def test_round_new_outsider_and_wrong_method(client, org, council, template):
    login(client, org.users["head_of_service"])
    post = {"month": "2026-12-01", "basis": "per_team", "per_team": "2", "template": template.pk}
    assert client.post(reverse("programme:round_new"), post).status_code == 403
    assert not AllocationRound.objects.exists()
    login(client, org.users["qa_lead"])
    assert client.put(reverse("programme:round_new")).status_code == 405


# The draft --------------------------------------------------------------------------


def test_round_detail_groups_by_team_with_warnings(qa, draft, org, django_assert_max_num_queries):
    nc1 = draft.audits.get(child__case_reference="NC1")
    nc1.auditor = org.users["auditor"]  # works in team A1, NC1's team
    nc1.save()
    with django_assert_max_num_queries(25):
        response = qa.get(reverse("programme:round_detail", args=[draft.pk]))
    assert response.status_code == 200
    groups = response.context["groups"]
    assert [g["team"].name for g in groups] == ["Children in Care 1", "Family Support North"]
    assert [r["audit"].child.case_reference for r in groups[1]["rows"]] == ["NC1", "NC2"]
    html = response.content.decode()
    assert f"{org.users['auditor']} works in Family Support North" in html
    assert reverse("programme:round_audit_change", args=[draft.pk, nc1.pk]) in html
    assert reverse("programme:round_publish", args=[draft.pk]) in html


def test_round_detail_queries_do_not_grow(qa, draft, org, template, django_assert_max_num_queries):
    for n in range(20):
        Audit.objects.create(
            child=ChildFactory(team=TeamFactory(name=f"Extra {n}")),
            template=template,
            auditor=org.users["moderator"],
            allocation_round=draft,
            team_id=ChildFactory._meta.model.objects.latest("pk").team_id,
            month=DEC,
            status=AuditStatus.PROPOSED,
        )
    with django_assert_max_num_queries(25):
        assert qa.get(reverse("programme:round_detail", args=[draft.pk])).status_code == 200


def test_round_detail_outsiders(client, org, draft):
    url = reverse("programme:round_detail", args=[draft.pk])
    assert login(client, org.users["auditor"]).get(url).status_code == 403
    login(client, org.users["qa_lead"])
    assert client.get(reverse("programme:round_detail", args=[draft.pk + 99])).status_code == 404
    assert client.delete(url).status_code == 405


def test_round_detail_adds_a_child(qa, draft, org, council):
    council_child = ChildFactory(case_reference="NC9", team=org.team_b)
    response = qa.post(
        reverse("programme:round_detail", args=[draft.pk]),
        {"team": org.team_b.pk, "case_reference": "NC9", "auditor": org.users["auditor"].pk},
    )
    assert response.status_code == 302
    added = draft.audits.get(child=council_child)
    assert (added.auditor, added.status) == (org.users["auditor"], AuditStatus.PROPOSED)


def test_round_detail_add_bad_input(qa, draft, org):
    response = qa.post(
        reverse("programme:round_detail", args=[draft.pk]),
        {"team": org.team_b.pk, "case_reference": "NC404", "auditor": org.users["auditor"].pk},
    )
    assert response.status_code == 200
    assert errors_in(response)["case_reference"] == ["NC404 is not a known case reference"]
    response = qa.post(
        reverse("programme:round_detail", args=[draft.pk]),
        {"team": org.team_b.pk, "case_reference": "NC6", "auditor": org.users["auditor"].pk},
    )
    assert errors_in(response)["case_reference"] == [
        "NC6 has an audit in May 2026, within 12 months of December 2026: choose another child"
    ]
    response = qa.post(reverse("programme:round_detail", args=[draft.pk]), {})
    assert errors_in(response) == {
        "team": ["Choose the team of the child"],
        "case_reference": ["Enter the child’s case reference"],
        "auditor": ["Choose an auditor"],
    }
    assert draft.audits.count() == 4


# Changing one audit -----------------------------------------------------------------


def change_url(draft, reference):
    audit = draft.audits.get(child__case_reference=reference)
    return reverse("programme:round_audit_change", args=[draft.pk, audit.pk]), audit


def test_change_page_and_change_auditor(qa, draft, org):
    url, audit = change_url(draft, "NC4")
    response = qa.get(url)
    assert response.status_code == 200
    choices = [c for c, _ in response.context["auditor_form"].fields["auditor"].choices if c]
    assert {int(str(c)) for c in choices} == {org.users["auditor"].pk, org.users["moderator"].pk}
    response = qa.post(url, {"action": "auditor", "auditor": org.users["moderator"].pk})
    assert response.status_code == 302
    audit.refresh_from_db()
    assert audit.auditor == org.users["moderator"]
    page = qa.get(response.url).content.decode()
    assert "works in Children in Care 1, the child’s team" in page


def test_change_auditor_bad_input(qa, draft, org):
    url, audit = change_url(draft, "NC4")
    before = audit.auditor_id
    response = qa.post(url, {"action": "auditor", "auditor": ""})
    assert errors_in(response)["auditor"] == ["Choose an auditor"]
    response = qa.post(url, {"action": "auditor", "auditor": org.users["qa_lead"].pk})
    assert errors_in(response)["auditor"] == ["Choose an auditor from the list"]
    audit.refresh_from_db()
    assert audit.auditor_id == before


def test_swap_and_remove(qa, draft, council):
    url, audit = change_url(draft, "NC1")
    response = qa.post(url, {"action": "swap", "case_reference": "NC5"})
    assert errors_in(response)["case_reference"] == [
        "NC5 is in Children in Care 1, not Family Support North: choose a child of "
        "Family Support North"
    ]
    response = qa.post(url, {"action": "swap", "case_reference": ""})
    assert errors_in(response)["case_reference"] == [
        "Enter the case reference of the child to audit instead"
    ]
    response = qa.post(url, {"action": "swap", "case_reference": "NC3"})
    assert response.status_code == 302
    audit.refresh_from_db()
    assert audit.child.case_reference == "NC3"

    response = qa.post(url, {"action": "remove"})
    assert response.status_code == 302
    assert not Audit.objects.filter(pk=audit.pk).exists()


def test_the_swap_list_leaves_out_children_audited_within_twelve_months(qa, draft, org, template):
    """December 2026: a child audited in December 2025, exactly twelve months before, may
    be audited again; one audited in January 2026 may not."""
    for reference, month in (
        ("NC7", datetime.date(2025, 12, 1)),
        ("NC8", datetime.date(2026, 1, 1)),
    ):
        AuditFactory(
            child=ChildFactory(case_reference=reference, team=org.team_a),
            template=template,
            auditor=org.users["moderator"],
            month=month,
            status=AuditStatus.ACCEPTED,
        )
    in_round = set(draft.audits.values_list("child__case_reference", flat=True))
    url, _ = change_url(draft, sorted(in_round & {"NC1", "NC2", "NC3"})[0])
    page = qa.get(url).content.decode()
    listed = page[page.index('data-testid="eligible"') :]
    listed = re.findall(r"<li>(NC\d+):", listed[: listed.index("</ul>")])
    assert listed == sorted({"NC1", "NC2", "NC3", "NC7"} - in_round)


def test_change_outsiders_wrong_method_and_other_rounds(client, org, draft, template):
    url, audit = change_url(draft, "NC1")
    assert login(client, org.users["auditor"]).post(url, {"action": "remove"}).status_code == 403
    assert Audit.objects.filter(pk=audit.pk).exists()
    login(client, org.users["qa_lead"])
    assert client.put(url).status_code == 405
    elsewhere = AuditFactory(template=template, month=DEC, status=AuditStatus.ALLOCATED)
    assert (
        client.get(
            reverse("programme:round_audit_change", args=[draft.pk, elsewhere.pk])
        ).status_code
        == 404
    )
    assert client.post(url, {"action": "explode"}).status_code == 400


# Publishing -------------------------------------------------------------------------


def test_publish_needs_confirmation_then_emails(qa, draft, django_capture_on_commit_callbacks):
    url = reverse("programme:round_publish", args=[draft.pk])
    response = qa.post(url, {})
    assert response.status_code == 200
    assert errors_in(response)["confirm"] == [
        "Confirm that you have checked the allocation before publishing it"
    ]
    draft.refresh_from_db()
    assert draft.status == RoundStatus.DRAFT

    with django_capture_on_commit_callbacks(execute=True):
        response = qa.post(url, {"confirm": "on"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == RoundStatus.PUBLISHED
    auditors = {a.auditor.email for a in draft.audits.select_related("auditor")}
    assert sorted(m.to[0] for m in mail.outbox) == sorted(auditors)

    with django_capture_on_commit_callbacks(execute=True):
        response = qa.post(url, {"confirm": "on"})
    assert response.status_code == 302
    page = qa.get(response.url).content.decode()
    assert "The allocation for December 2026 has already been published" in page
    assert len(mail.outbox) == len(auditors)


def test_publish_wrong_method_and_outsider(client, org, draft):
    url = reverse("programme:round_publish", args=[draft.pk])
    login(client, org.users["qa_lead"])
    assert client.get(url).status_code == 405
    login(client, org.users["leader"])
    assert client.post(url, {"confirm": "on"}).status_code == 403
    draft.refresh_from_db()
    assert draft.status == RoundStatus.DRAFT


# Ad hoc -----------------------------------------------------------------------------


def adhoc_post(template, **data):
    return {
        "references": "NC1\nNC2",
        "auditor": "",
        "due_date_0": "4",
        "due_date_1": "12",
        "due_date_2": "2026",
        "template": template.pk,
        "reason": "Ofsted inspection",
        **data,
    }


def test_adhoc_allocates_and_emails(qa, council, org, template, django_capture_on_commit_callbacks):
    assert qa.get(reverse("programme:adhoc")).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = qa.post(
            reverse("programme:adhoc"),
            adhoc_post(template, auditor=org.users["moderator"].pk),
        )
    assert response.status_code == 302
    audits = Audit.objects.filter(allocation_note="Ofsted inspection")
    assert {a.child.case_reference for a in audits} == {"NC1", "NC2"}
    assert {a.status for a in audits} == {AuditStatus.ALLOCATED}
    assert {a.due_date for a in audits} == {datetime.date(2026, 12, 4)}
    assert [m.to for m in mail.outbox] == [["moderator@council.example"]]


def test_adhoc_names_each_unknown_reference_and_creates_nothing(qa, council, template):
    response = qa.post(
        reverse("programme:adhoc"), adhoc_post(template, references="NC1, NC123\nXY9")
    )
    assert response.status_code == 200
    assert errors_in(response)["references"] == [
        "NC123 is not a known case reference",
        "XY9 is not a known case reference",
    ]
    html = response.content.decode()
    assert "NC123 is not a known case reference" in html
    assert not Audit.objects.filter(allocation_note="Ofsted inspection").exists()


def test_adhoc_recent_audit_needs_confirmation(qa, council, template):
    response = qa.post(reverse("programme:adhoc"), adhoc_post(template, references="NC6"))
    assert errors_in(response)["confirm"] == [
        "NC6 has an audit in May 2026, within 12 months of this one"
    ]
    assert not Audit.objects.filter(allocation_note="Ofsted inspection").exists()
    response = qa.post(
        reverse("programme:adhoc"), adhoc_post(template, references="NC6", confirm="on")
    )
    assert response.status_code == 302
    assert Audit.objects.filter(allocation_note="Ofsted inspection").count() == 1


@pytest.mark.parametrize(
    "data,field,message",
    [
        ({"references": ""}, "references", "Enter the case references of the children to audit"),
        ({"auditor": "999999"}, "auditor", "Choose an auditor from the list"),
        ({"due_date_0": "", "due_date_1": "", "due_date_2": ""}, "due_date", "Enter the due date"),
        ({"due_date_0": "31", "due_date_1": "2"}, "due_date", "The due date must be a real date"),
        ({"due_date_1": ""}, "due_date", "The due date must include a month"),
        (
            {"due_date_1": "11", "due_date_0": "1"},
            "due_date",
            "The due date must be today or in the future",
        ),
        ({"reason": ""}, "reason", "Enter the reason for allocating these audits"),
        ({"reason": "x" * 201}, "reason", "The reason must be 200 characters or fewer"),
        # an absurd year was a 500 (OverflowError in datetime.date)
        (
            {"due_date_2": "99999999999999999999"},
            "due_date",
            "The due date must be in a year from 1900 to 2100",
        ),
        ({"due_date_2": "2101"}, "due_date", "The due date must be in a year from 1900 to 2100"),
        ({"due_date_0": "²"}, "due_date", "The due date must be a real date"),
        (
            {"due_date_0": "", "due_date_1": ""},
            "due_date",
            "The due date must include a day and month",
        ),
    ],
)
def test_adhoc_bad_input(qa, council, template, data, field, message):
    response = qa.post(reverse("programme:adhoc"), adhoc_post(template, **data))
    assert response.status_code == 200
    assert errors_in(response)[field] == [message]
    assert not Audit.objects.filter(allocation_note__startswith="Ofsted").exists()


def test_adhoc_outsider_and_wrong_method(client, org, council, template):
    login(client, org.users["head_of_service"])
    assert client.post(reverse("programme:adhoc"), adhoc_post(template)).status_code == 403
    assert not Audit.objects.filter(allocation_note="Ofsted inspection").exists()
    login(client, org.users["qa_lead"])
    assert client.patch(reverse("programme:adhoc")).status_code == 405


# Exemptions -------------------------------------------------------------------------


@pytest.fixture
def pending(org):
    return Exemption.objects.create(
        auditor=org.users["auditor"],
        kind=ExemptionKind.SINGLE_MONTH,
        month=DEC,
        reason="Court work",
        requested_by=org.users["team_manager"],
    )


def test_exemption_list_pending_first_and_scoped(client, org, pending):
    old = Exemption.objects.create(
        auditor=org.users["moderator"],
        kind=ExemptionKind.STANDING,
        standing_reason=StandingReason.MODERATOR,
        starts_on=datetime.date(2026, 1, 1),
        reason="Moderator",
        status=ExemptionStatus.APPROVED,
        requested_at=pending.requested_at + datetime.timedelta(days=1),
    )
    login(client, org.users["qa_lead"])
    response = client.get(reverse("programme:exemptions"))
    assert response.status_code == 200
    assert response.context["exemptions"] == [pending, old]
    assert response.context["to_decide"] == []

    login(client, org.users["head_of_service"])
    response = client.get(reverse("programme:exemptions"))
    assert response.context["to_decide"] == [pending]
    assert response.context["exemptions"] == [pending]
    assert reverse("programme:exemption_decide", args=[pending.pk]) in response.content.decode()

    login(client, org.users["outside_manager"])  # manages the moderator's team
    assert client.get(reverse("programme:exemptions")).context["exemptions"] == [old]


def test_exemption_list_outsiders_and_method(client, org):
    for persona in ("auditor", "ambassador", "leader", "no_role"):
        assert login(client, org.users[persona]).get(
            reverse("programme:exemptions")
        ).status_code == (404 if persona == "ambassador" else 403)
    login(client, org.users["qa_lead"])
    assert client.post(reverse("programme:exemptions")).status_code == 405


def test_team_manager_asks_for_an_exemption(client, org, django_capture_on_commit_callbacks):
    login(client, org.users["team_manager"])
    response = client.get(reverse("programme:exemption_new"))
    assert response.status_code == 200
    choices = {c for c, _ in response.context["form"].fields["auditor"].choices if c}
    assert {int(str(c)) for c in choices} == {org.users["auditor"].pk}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("programme:exemption_new"),
            {"auditor": org.users["auditor"].pk, "month": "2026-12-01", "reason": "Court"},
        )
    assert response.status_code == 302
    exemption = Exemption.objects.get()
    assert (exemption.status, exemption.month) == (ExemptionStatus.PENDING, DEC)
    assert [m.to for m in mail.outbox] == [["alice@council.example"]]


def test_exemption_request_bad_input(client, org):
    login(client, org.users["team_manager"])
    response = client.post(
        reverse("programme:exemption_new"),
        {"auditor": org.users["moderator"].pk, "month": "2026-12-01", "reason": ""},
    )
    assert errors_in(response) == {
        "auditor": ["Choose an auditor from the list"],
        "reason": ["Enter the reason for the exemption"],
    }
    assert not Exemption.objects.exists()


def test_an_exemption_reason_of_a_megabyte_is_refused(client, org):
    login(client, org.users["team_manager"])
    response = client.post(
        reverse("programme:exemption_new"),
        {"auditor": org.users["auditor"].pk, "month": "2026-12-01", "reason": "x" * 1_000_000},
    )
    assert errors_in(response) == {"reason": ["The reason must be 20,000 characters or fewer"]}
    assert not Exemption.objects.exists()


def test_exemption_new_outsiders(client, org):
    login(client, org.users["auditor"])
    assert client.get(reverse("programme:exemption_new")).status_code == 403
    login(client, org.users["team_manager"])
    assert client.get(reverse("programme:exemption_new") + "?kind=standing").status_code == 403
    assert client.put(reverse("programme:exemption_new")).status_code == 405


def test_qa_lead_records_a_standing_exemption(client, org):
    login(client, org.users["qa_lead"])
    url = reverse("programme:exemption_new") + "?kind=standing"
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "kind": "standing",
            "auditor": org.users["auditor"].pk,
            "standing_reason": StandingReason.PART_TIME,
            "starts_on_0": "1",
            "starts_on_1": "11",
            "starts_on_2": "2026",
            "ends_on_0": "",
            "ends_on_1": "",
            "ends_on_2": "",
            "details": "",
        },
    )
    assert response.status_code == 302
    exemption = Exemption.objects.get()
    assert (exemption.kind, exemption.status, exemption.starts_on, exemption.ends_on) == (
        ExemptionKind.STANDING,
        ExemptionStatus.APPROVED,
        datetime.date(2026, 11, 1),
        None,
    )


def test_standing_exemption_bad_input(client, org):
    login(client, org.users["qa_lead"])
    response = client.post(
        reverse("programme:exemption_new"),
        {
            "kind": "standing",
            "auditor": org.users["auditor"].pk,
            "standing_reason": "",
            "starts_on_0": "1",
            "starts_on_1": "11",
            "starts_on_2": "2026",
            "ends_on_0": "1",
            "ends_on_1": "10",
            "ends_on_2": "2026",
        },
    )
    assert errors_in(response) == {
        "standing_reason": ["Choose why the auditor is exempt"],
        "ends_on": ["The end date must be the same as or after the start date"],
    }
    assert not Exemption.objects.exists()


def test_head_of_service_decides(client, org, pending, django_capture_on_commit_callbacks):
    login(client, org.users["head_of_service"])
    url = reverse("programme:exemption_decide", args=[pending.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"decision": "approved", "reason": ""})
    assert errors_in(response)["reason"] == ["Enter the reason for approving the exemption"]
    response = client.post(url, {"decision": "rejected", "reason": ""})
    assert errors_in(response)["reason"] == ["Enter the reason for not approving the exemption"]
    response = client.post(url, {"reason": "Fine"})
    assert errors_in(response)["decision"] == ["Choose whether to approve the exemption"]
    pending.refresh_from_db()
    assert pending.status == ExemptionStatus.PENDING

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"decision": "approved", "reason": "Court work first"})
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.status == ExemptionStatus.APPROVED
    assert sorted(m.to[0] for m in mail.outbox) == [
        "auditor@council.example",
        "tom@council.example",
    ]
    page = client.get(url)
    assert "already been decided" in page.content.decode()


def test_director_decides_and_others_cannot(client, org, pending):
    director = UserFactory(job_title=JobTitle.ASSISTANT_DIRECTOR, roles=[Role.LEADER])
    url = reverse("programme:exemption_decide", args=[pending.pk])
    assert login(client, director).get(url).status_code == 200
    assert login(client, org.users["outside_head"]).get(url).status_code == 404
    assert login(client, org.users["leader"]).get(url).status_code == 404
    assert (
        login(client, org.users["qa_lead"])
        .post(url, {"decision": "approved", "reason": "Yes"})
        .status_code
        == 403
    )
    assert login(client, org.users["head_of_service"]).put(url).status_code == 405
    pending.refresh_from_db()
    assert pending.status == ExemptionStatus.PENDING


def test_own_exemption_or_request_cannot_be_decided(client, org, pending):
    url = reverse("programme:exemption_decide", args=[pending.pk])
    login(client, org.users["team_manager"])  # asked for it
    response = client.get(url)
    assert response.context["blocker"] == (
        "You asked for this exemption, so someone else must decide it: the Head of Service "
        "or a Director"
    )
    response = client.post(url, {"decision": "approved", "reason": "Me"})
    assert response.context["form"].non_field_errors() == [response.context["blocker"]]
    login(client, org.users["auditor"])  # it is theirs
    response = client.post(url, {"decision": "approved", "reason": "Me"})
    assert response.status_code == 200
    assert response.context["blocker"].startswith("You cannot decide your own exemption")
    pending.refresh_from_db()
    assert pending.status == ExemptionStatus.PENDING


# My work ----------------------------------------------------------------------------


def test_programme_work_for_the_qa_lead(org, council, pending):
    lead = org.users["qa_lead"]
    assert programme_work(lead) == [
        {
            "title": "Audit programme",
            "items": [
                {
                    "text": "Propose the audit allocation for December 2026",
                    "url": "/programme/rounds/new/",
                },
                {
                    "text": "1 exemption request is waiting for a decision",
                    "url": "/programme/exemptions/",
                    "count": 1,
                },
            ],
        }
    ]
    allocation_round = round_propose(month=DEC, created_by=lead, per_team=1, today=TODAY).round
    items = programme_work(lead)[0]["items"]
    assert items[0] == {
        "text": "Review and publish the draft allocation for December 2026 (2 audits proposed)",
        "url": f"/programme/rounds/{allocation_round.pk}/",
    }
    AllocationRound.objects.update(status=RoundStatus.PUBLISHED)
    pending.delete()
    assert programme_work(lead) == []
    assert programme_work(org.users["head_of_service"]) == []


def test_programme_work_sends_the_qa_lead_to_the_case_list_when_it_is_empty(org, qa):
    assert programme_work(org.users["qa_lead"]) == [
        {
            "title": "Audit programme",
            "items": [
                {
                    "text": "The case list is empty: update the case list before you propose "
                    "an allocation",
                    "url": reverse("programme:case_list"),
                },
            ],
        }
    ]
    html = qa.get(reverse("home")).content.decode()
    assert "The case list is empty: update the case list" in html
    assert "Propose the audit allocation" not in html


def test_end_a_standing_exemption(client, org):
    standing = Exemption.objects.create(
        auditor=org.users["moderator"],
        kind=ExemptionKind.STANDING,
        standing_reason=StandingReason.MODERATOR,
        starts_on=datetime.date(2026, 1, 1),
        reason="Moderator",
        status=ExemptionStatus.APPROVED,
    )
    url = reverse("programme:exemption_end", args=[standing.pk])
    login(client, org.users["head_of_service"])
    assert client.post(url).status_code == 403
    login(client, org.users["qa_lead"])
    assert url in client.get(reverse("programme:exemptions")).content.decode()
    assert client.get(url).status_code == 405
    response = client.post(url)
    assert response.status_code == 302
    standing.refresh_from_db()
    assert standing.ends_on == TODAY
    page = client.get(response.url).content.decode()
    assert f"The standing exemption for {org.users['moderator']} ends on 15 November 2026" in page
    assert url not in client.get(reverse("programme:exemptions")).content.decode()


def test_ending_a_single_month_exemption_says_why_not(client, org, pending):
    login(client, org.users["qa_lead"])
    response = client.post(reverse("programme:exemption_end", args=[pending.pk]))
    assert "Only a standing exemption can be ended" in client.get(response.url).content.decode()
    pending.refresh_from_db()
    assert pending.ends_on is None


def test_exemption_list_queries_do_not_grow(client, org, django_assert_max_num_queries):
    for n in range(15):
        person = UserFactory(team=org.team_a, roles=[Role.AUDITOR])
        Exemption.objects.create(
            auditor=person,
            kind=ExemptionKind.SINGLE_MONTH,
            month=DEC,
            reason=f"Reason {n}",
            requested_by=org.users["team_manager"],
        )
    login(client, org.users["head_of_service"])
    with django_assert_max_num_queries(15):
        response = client.get(reverse("programme:exemptions"))
    assert len(response.context["to_decide"]) == 15


def test_proposing_nothing_warns_and_says_what_to_do_next(qa, org, template):
    response = qa.post(
        reverse("programme:round_new"),
        {
            "month": "2026-12-01",
            "basis": "per_team",
            "per_team": "3",
            "total": "",
            "template": template.pk,
        },
        follow=True,
    )
    html = response.content.decode()
    allocation_round = AllocationRound.objects.get(month=DEC)
    assert allocation_round.audits.count() == 0
    assert "audits proposed for" not in html
    assert "govuk-notification-banner--success" not in html
    assert "No audits could be proposed: there are no open children in the case list" in html
    case_list = reverse("programme:case_list")
    assert f'href="{case_list}">Update the case list</a>' in html
    empty = re.search(r'data-testid="no-audits">(.*?)</p>', html, re.S).group(1)
    assert "There are no audits in this allocation." in empty
    assert f'href="{case_list}"' in empty
    assert 'href="#add">add a child to the allocation</a>' in empty


def test_index_without_allocations_leads_to_the_case_list_then_a_proposal(qa):
    html = qa.get(reverse("programme:index")).content.decode()
    empty = re.search(r'data-testid="no-allocations">(.*?)</p>', html, re.S).group(1)
    assert "No monthly allocation has been made yet." in empty
    assert f'href="{reverse("programme:case_list")}">Update the case list</a>' in empty
    assert f'href="{reverse("programme:round_new")}">propose an allocation</a>' in empty
    # a month without an allocation says so once, not also that it has no audits
    assert "No allocation yet." in html
    assert "No audits for November 2026 yet." not in html


def test_no_exemptions_offers_to_ask_for_one_only_to_those_who_may(client, org):
    login(client, org.users["team_manager"])
    html = client.get(reverse("programme:exemptions")).content.decode()
    empty = re.search(r'data-testid="no-exemptions">(.*?)</p>', html, re.S).group(1)
    assert "There are no exemptions for you to see." in empty
    assert f'href="{reverse("programme:exemption_new")}">Ask for an exemption' in empty
    director = UserFactory(job_title=JobTitle.ASSISTANT_DIRECTOR, roles=[Role.LEADER])
    html = login(client, director).get(reverse("programme:exemptions")).content.decode()
    empty = re.search(r'data-testid="no-exemptions">(.*?)</p>', html, re.S).group(1)
    assert "There are no exemptions for you to see." in empty
    assert reverse("programme:exemption_new") not in empty
