"""Ad hoc allocation has one set of rules (audits.services.allocation.adhoc_allocate):
each rule is taken through the real "Allocate named children" page and the real
``POST /api/audits/``, which must refuse and accept alike.

In the org fixture the auditor works in team A1 and the moderator (also an auditor) in
B1; the children here are in B1. Today is 15 November 2026.
"""

import datetime

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from accounts.models import Role
from audits.api import CONFIRM_RECENT_NEEDED, ONLY_QA_LEAD
from audits.models import (
    Audit,
    AuditEventKind,
    AuditStatus,
    Exemption,
    ExemptionKind,
    ExemptionStatus,
)
from audits.services.allocation import (
    ADHOC_CLOSED,
    ADHOC_DUE_BEFORE_MONTH,
    ADHOC_DUE_PAST,
    ADHOC_MONTH_TOO_FAR,
    ADHOC_NO_REASON,
    ADHOC_RECENT,
    AUDITOR_EXEMPT,
    AUDITOR_IS_SOCIAL_WORKER,
    AUDITOR_NOT_AVAILABLE,
    MONTH_IN_PAST,
)
from tests.factories import AuditFactory, ChildFactory, UserFactory, make_template

pytestmark = pytest.mark.django_db

NOV = datetime.date(2026, 11, 1)
REASON = "Ofsted inspection"
#: the API's field names for the service's
API_NAMES = {
    "references": "case_reference",
    "auditor": "auditor_email",
    "reason": "allocation_note",
    "confirm": "confirm_recent",
}


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(datetime.datetime(2026, 11, 15, 10, 0), tick=False):
        yield


@pytest.fixture
def template(db):
    return make_template(family="child-journey-audit")


@pytest.fixture
def child(org):
    return ChildFactory(case_reference="NC500001", team=org.team_b)


class Page:
    """The "Allocate named children" page."""

    name = "page"

    def __init__(self, client):
        self.client = client

    def allocate(self, *, reference, auditor, template, reason=REASON, confirm=False):
        data = {
            "references": reference,
            "auditor": auditor.pk,
            "due_date_0": "4",
            "due_date_1": "12",
            "due_date_2": "2026",
            "template": template.pk,
            "reason": reason,
        }
        if confirm:
            data["confirm"] = "on"
        response = self.client.post(reverse("programme:adhoc"), data)
        errors = response.context["form"].errors if response.status_code == 200 else {}
        return response.status_code, {name: list(errs) for name, errs in errors.items()}


class Api:
    """``POST /api/audits/``; its errors are renamed to the service's field names."""

    name = "api"

    def __init__(self, client):
        self.client = client

    def allocate(self, *, reference, auditor, template, reason=REASON, confirm=False):
        data = {
            "case_reference": reference,
            "auditor_email": auditor.email,
            "template": template.pk,
            "month": "2026-11",
            "due_date": "2026-12-04",
            "allocation_note": reason,
            "confirm_recent": confirm,
        }
        response = self.client.post(reverse("audit-list"), data, content_type="application/json")
        if response.status_code != 400:
            return response.status_code, {}
        names = {api: service for service, api in API_NAMES.items()}
        errors = {names.get(k, k): v for k, v in response.json().items()}
        if "confirm" in errors:
            assert errors["confirm"][-1] == CONFIRM_RECENT_NEEDED
            errors["confirm"] = errors["confirm"][:-1]
        return response.status_code, errors


CREATED = {"page": 302, "api": 201}


@pytest.fixture(params=[Page, Api], ids=["page", "api"])
def channel(request, client, org):
    client.force_login(org.users["qa_lead"])
    return request.param(client)


def allocated(child):
    return Audit.objects.filter(child=child, allocation_note=REASON)


# The rules, through both ------------------------------------------------------------------


def test_the_childs_social_worker_is_refused(channel, org, template):
    worker = org.users["moderator"]
    child = ChildFactory(case_reference="NC500002", team=org.team_b, social_worker=worker)
    status, errors = channel.allocate(reference="NC500002", auditor=worker, template=template)
    assert status in (200, 400)
    assert errors == {
        "auditor": [AUDITOR_IS_SOCIAL_WORKER.format(auditor=worker, reference="NC500002")]
    }
    assert not allocated(child).exists()


def test_another_auditor_is_accepted_and_emailed_once(
    channel, org, template, child, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        status, errors = channel.allocate(
            reference="nc500001", auditor=org.users["auditor"], template=template
        )
    assert (status, errors) == (CREATED[channel.name], {})
    audit = allocated(child).get()
    assert (audit.status, audit.auditor, audit.month, audit.due_date) == (
        AuditStatus.ALLOCATED,
        org.users["auditor"],
        NOV,
        datetime.date(2026, 12, 4),
    )
    assert (audit.allocated_by, audit.allocation_round) == (org.users["qa_lead"], None)
    assert audit.events.filter(kind=AuditEventKind.ALLOCATED, note=REASON).count() == 1
    assert [m.to for m in mail.outbox] == [[org.users["auditor"].email]]


@pytest.mark.parametrize(
    ("audited", "recent"),
    [
        (datetime.date(2026, 10, 1), True),  # last month
        (datetime.date(2025, 12, 1), True),  # 11 months before
        (datetime.date(2025, 11, 1), False),  # exactly 12 months before: may be audited again
    ],
)
def test_a_child_audited_in_the_last_12_months_needs_confirmation(
    channel, org, template, child, audited, recent
):
    AuditFactory(
        child=child,
        template=template,
        auditor=org.users["moderator"],
        month=audited,
        status=AuditStatus.ACCEPTED,
    )
    status, errors = channel.allocate(
        reference="NC500001", auditor=org.users["auditor"], template=template
    )
    if not recent:
        assert (status, errors) == (CREATED[channel.name], {})
        return
    assert status in (200, 400)
    month = audited.strftime("%B %Y")
    assert errors == {"confirm": [ADHOC_RECENT.format(reference="NC500001", months=month, n=12)]}
    assert not allocated(child).exists()

    status, errors = channel.allocate(
        reference="NC500001", auditor=org.users["auditor"], template=template, confirm=True
    )
    assert (status, errors) == (CREATED[channel.name], {})
    assert allocated(child).count() == 1


def test_a_closed_case_needs_confirmation(channel, org, template):
    child = ChildFactory(case_reference="NC500003", team=org.team_b, is_open=False)
    status, errors = channel.allocate(
        reference="NC500003", auditor=org.users["auditor"], template=template
    )
    assert errors == {"confirm": [ADHOC_CLOSED.format(reference="NC500003")]}
    assert not allocated(child).exists()
    status, errors = channel.allocate(
        reference="NC500003", auditor=org.users["auditor"], template=template, confirm=True
    )
    assert (status, errors) == (CREATED[channel.name], {})


def _inactive(org):
    return UserFactory(email="gone@council.example", is_active=False, roles=[Role.AUDITOR])


def _exempt(org):
    user = UserFactory(email="court@council.example", roles=[Role.AUDITOR])
    Exemption.objects.create(
        auditor=user,
        kind=ExemptionKind.SINGLE_MONTH,
        month=NOV,
        reason="Court work",
        status=ExemptionStatus.APPROVED,
    )
    return user


@pytest.mark.parametrize(
    ("make", "api_message"),
    [
        (_inactive, AUDITOR_NOT_AVAILABLE),
        (lambda org: org.users["no_role"], AUDITOR_NOT_AVAILABLE),
        (lambda org: org.users["team_manager"], AUDITOR_NOT_AVAILABLE),
        (_exempt, AUDITOR_EXEMPT),
    ],
    ids=["inactive", "no-role", "not-an-auditor", "exempt"],
)
def test_an_inactive_exempt_or_non_auditor_is_refused(
    channel, org, template, child, make, api_message
):
    person = make(org)
    status, errors = channel.allocate(reference="NC500001", auditor=person, template=template)
    assert status in (200, 400)
    if channel.name == "page":
        # the page lists only the available auditors; anything else is not in the list
        assert errors == {"auditor": ["Choose an auditor from the list"]}
    else:
        assert errors == {"auditor": [api_message.format(auditor=person, month="November 2026")]}
    assert not allocated(child).exists()


def test_the_reason_is_required(channel, org, template, child):
    status, errors = channel.allocate(
        reference="NC500001", auditor=org.users["auditor"], template=template, reason=" "
    )
    assert errors == {"reason": [ADHOC_NO_REASON]}
    assert not Audit.objects.filter(child=child).exists()


@pytest.mark.parametrize(
    "role", ["auditor", "moderator", "head_of_service", "team_manager", "leader", "administrator"]
)
def test_outsiders_are_refused(client, org, template, child, role):
    client.force_login(org.users[role])
    page = Page(client).allocate(
        reference="NC500001", auditor=org.users["auditor"], template=template
    )
    response = client.post(
        reverse("audit-list"),
        {
            "case_reference": "NC500001",
            "auditor_email": org.users["auditor"].email,
            "template": template.pk,
            "month": "2026-11",
            "allocation_note": REASON,
        },
        content_type="application/json",
    )
    assert page[0] == 403
    assert (response.status_code, response.json()) == (403, {"detail": ONLY_QA_LEAD})
    assert not Audit.objects.exists()


# What only the API asks for: the month and the default due date -----------------------------


def post(client, template, **changes):
    data = {
        "case_reference": "NC500001",
        "auditor_email": "auditor@council.example",
        "template": template.pk,
        "month": "2026-12",
        "allocation_note": REASON,
        **changes,
    }
    return client.post(reverse("audit-list"), data, content_type="application/json")


@pytest.mark.parametrize(
    ("month", "field", "message"),
    [
        ("0001-01", "month", "The month must be in a year from 1900 to 2100"),
        ("1999-01", "month", MONTH_IN_PAST.format(month="January 1999")),
        ("2026-10", "month", MONTH_IN_PAST.format(month="October 2026")),
        (
            "2027-12",
            "month",
            ADHOC_MONTH_TOO_FAR.format(month="December 2027", n=12, last="November 2027"),
        ),
        (
            "9999-12",
            "month",
            "The month must be in a year from 1900 to 2100",
        ),
        (
            "2100-12",
            "month",
            ADHOC_MONTH_TOO_FAR.format(month="December 2100", n=12, last="November 2027"),
        ),
    ],
)
def test_the_month_is_this_month_or_one_of_the_next_12(
    client, org, template, child, month, field, message
):
    client.force_login(org.users["qa_lead"])
    response = post(client, template, month=month)
    assert response.status_code == 400
    assert response.json() == {field: [message]}
    assert not Audit.objects.exists()


@pytest.mark.parametrize("month", ["2026-11", "2027-11"])
def test_this_month_and_12_months_ahead_are_accepted(client, org, template, child, month):
    client.force_login(org.users["qa_lead"])
    response = post(client, template, month=month)
    assert response.status_code == 201, response.json()


@pytest.mark.parametrize(
    ("due_date", "message"),
    [("2026-11-14", ADHOC_DUE_PAST), ("2026-11-30", ADHOC_DUE_BEFORE_MONTH)],
)
def test_the_due_date_is_not_past_nor_before_the_month(
    client, org, template, child, due_date, message
):
    client.force_login(org.users["qa_lead"])
    response = post(client, template, due_date=due_date)
    assert (response.status_code, response.json()) == (400, {"due_date": [message]})


def test_a_confirmation_that_is_not_needed_changes_nothing(client, org, template, child):
    client.force_login(org.users["qa_lead"])
    response = post(client, template, confirm_recent=True)
    assert response.status_code == 201
    assert response.json()["due_date"] == "2026-12-31"
