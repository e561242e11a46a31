"""/api/audits/: scoped reading, filters and pages, ad hoc allocation, drafts and submission.

In the org fixture the auditor (team A1) audits a child of B1; the moderator audits the
others. Alice heads area A, Bea area B; Tom manages A1.
"""

import datetime

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audits.api import (
    AUDIT_INCOMPLETE,
    MONTH_FORMAT,
    NO_SUCH_AUDITOR,
    NOT_THE_AUDITOR,
    ONLY_QA_LEAD,
    UNKNOWN_FIELD,
)
from audits.models import (
    Audit,
    AuditEvent,
    AuditEventKind,
    AuditStatus,
    AuditTemplate,
    AuditType,
    DomainGrading,
    Grade,
)
from audits.services.allocation import (
    ADHOC_DUE_BEFORE_MONTH,
    AUDITOR_NOT_AVAILABLE,
    TEMPLATE_INACTIVE,
    UNKNOWN_REFERENCE,
)
from audits.services.audit import EDITED_ELSEWHERE, NOT_EDITABLE
from tests.factories import AuditFactory, ChildFactory, complete_audit, make_template

pytestmark = pytest.mark.django_db

LIST = reverse("audit-list")


def detail(audit):
    return reverse("audit-detail", args=[audit.pk])


def submit(audit):
    return reverse("audit-submit", args=[audit.pk])


@pytest.fixture
def template():
    return make_template()


@pytest.fixture
def audits(org, template):
    """own: the auditor's, allocated (team B1). accepted_a: the moderator's, accepted in
    team A1. submitted_b: the moderator's, submitted in B1. proposed: the auditor's, in a
    draft round."""
    users = org.users
    own = AuditFactory(
        child=ChildFactory(team=org.team_b, case_reference="NC200001"),
        template=template,
        auditor=users["auditor"],
        month=datetime.date(2026, 11, 1),
    )
    accepted_a = AuditFactory(
        child=ChildFactory(
            team=org.team_a, case_reference="NC200002", social_worker=users["no_role"]
        ),
        template=template,
        auditor=users["moderator"],
        month=datetime.date(2026, 10, 1),
    )
    complete_audit(accepted_a, grade=Grade.REQUIRES_IMPROVEMENT)
    Audit.objects.filter(pk=accepted_a.pk).update(
        status=AuditStatus.ACCEPTED, completed_on=datetime.date(2026, 10, 20)
    )
    submitted_b = AuditFactory(
        child=ChildFactory(team=org.team_b, case_reference="NC200003"),
        template=template,
        auditor=users["moderator"],
        month=datetime.date(2026, 10, 1),
        status=AuditStatus.SUBMITTED,
        completed_on=datetime.date(2026, 10, 28),
    )
    proposed = AuditFactory(
        child=ChildFactory(team=org.team_b, case_reference="NC200004"),
        template=template,
        auditor=users["auditor"],
        month=datetime.date(2026, 12, 1),
        status=AuditStatus.PROPOSED,
    )
    for audit in (accepted_a, submitted_b):
        audit.refresh_from_db()
    return {"own": own, "accepted_a": accepted_a, "submitted_b": submitted_b, "proposed": proposed}


def sign_in(client, org, role):
    client.force_login(org.users[role])
    return client


# Reading ----------------------------------------------------------------------------------

# role -> the audits they may read
VISIBLE = {
    "auditor": {"own"},
    "qa_lead": {"own", "accepted_a", "submitted_b", "proposed"},
    "head_of_service": {"accepted_a"},
    "outside_head": {"submitted_b"},
    "team_manager": {"accepted_a"},
    "outside_manager": set(),
    "no_role": {"accepted_a"},  # the child's social worker, once accepted
    "leader": set(),
    "administrator": set(),
}


def test_an_ambassador_finds_no_audit_api(client, org, audits):
    assert sign_in(client, org, "ambassador").get(LIST).status_code == 404


@pytest.mark.parametrize("role", list(VISIBLE))
def test_list_is_scoped_to_the_user(client, org, audits, role):
    response = sign_in(client, org, role).get(LIST)
    assert response.status_code == 200
    ids = {row["id"] for row in response.json()["results"]}
    assert ids == {audits[key].pk for key in VISIBLE[role]}


@pytest.mark.parametrize("role", list(VISIBLE))
def test_detail_is_404_outside_scope_and_logged_inside(client, org, audits, role):
    client = sign_in(client, org, role)
    for key, audit in audits.items():
        response = client.get(detail(audit))
        expected = 200 if key in VISIBLE[role] else 404
        assert response.status_code == expected, key
    viewed = AuditEvent.objects.filter(kind=AuditEventKind.VIEWED, user=org.users[role])
    assert viewed.count() == len(VISIBLE[role])


def test_anonymous_is_refused(client, audits):
    assert client.get(LIST).status_code in (401, 403)
    assert client.get(detail(audits["own"])).status_code in (401, 403)
    assert client.patch(detail(audits["own"]), {}, content_type="application/json").status_code in (
        401,
        403,
    )


def test_detail_has_gradings_answers_participation_and_only_the_case_reference(client, org, audits):
    audit = audits["accepted_a"]
    data = sign_in(client, org, "qa_lead").get(detail(audit)).json()
    assert data["case_reference"] == "NC200002"
    assert data["status"] == AuditStatus.ACCEPTED
    assert data["overall_grade"] == Grade.REQUIRES_IMPROVEMENT
    assert data["lock_version"] == audit.lock_version
    gradings = {g["domain_name"]: g for g in data["gradings"]}
    assert set(gradings) == {"Visits", "Assessments"}
    visits = gradings["Visits"]
    assert visits["grade"] == Grade.REQUIRES_IMPROVEMENT
    assert (
        visits["domain"] == DomainGrading.objects.get(audit=audit, domain__name="Visits").domain_id
    )
    assert visits["evidence"].startswith("Visits are regular")
    answers = {a["question_text"]: a for a in data["answers"]}
    assert answers["Is the child's plan up to date?"]["value"] == "yes"
    assert answers["How many visits in the last 3 months?"]["value"] == 3
    assert answers["Which tools were used?"]["value"] == ["Genogram"]
    assert data["participation"]["child_spoken_to"] == "yes"
    assert data["participation"]["child_not_spoken_reason"] == ""
    text = str(data)
    assert "date_of_birth" not in text and "social_worker'" not in text
    assert "2015-06-01" not in text  # the child's date of birth


# Filters and pages -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"status": "submitted"}, {"submitted_b"}),
        ({"month": "2026-10"}, {"accepted_a", "submitted_b"}),
        ({"month": "2026-11-01"}, {"own"}),
        ({"audit_type": "re_audit"}, set()),
        ({"completed_on_after": "2026-10-25"}, {"submitted_b"}),
        ({"completed_on_before": "2026-10-25"}, {"accepted_a"}),
        (
            {"completed_on_after": "2026-10-01", "completed_on_before": "2026-10-31"},
            {"accepted_a", "submitted_b"},
        ),
    ],
)
def test_filters(client, org, audits, params, expected):
    response = sign_in(client, org, "qa_lead").get(LIST, params)
    assert response.status_code == 200
    assert {r["id"] for r in response.json()["results"]} == {audits[k].pk for k in expected}


def test_filter_by_team_and_audit_type(client, org, audits):
    client = sign_in(client, org, "qa_lead")
    rows = client.get(LIST, {"team": org.team_a.pk}).json()["results"]
    assert [r["id"] for r in rows] == [audits["accepted_a"].pk]
    Audit.objects.filter(pk=audits["own"].pk).update(audit_type=AuditType.RE_AUDIT)
    rows = client.get(LIST, {"audit_type": "re_audit"}).json()["results"]
    assert [r["id"] for r in rows] == [audits["own"].pk]


def test_bad_filters_are_400_with_the_reason(client, org, audits):
    client = sign_in(client, org, "qa_lead")
    response = client.get(LIST, {"month": "October"})
    assert response.status_code == 400
    assert response.json()["month"] == [MONTH_FORMAT]
    assert client.get(LIST, {"status": "lost"}).status_code == 400


def test_pages(client, org, template):
    for _ in range(7):
        AuditFactory(
            child=ChildFactory(team=org.team_b), template=template, auditor=org.users["auditor"]
        )
    client = sign_in(client, org, "auditor")
    first = client.get(LIST, {"page_size": 5}).json()
    assert first["count"] == 7
    assert len(first["results"]) == 5
    assert first["next"].endswith("page=2&page_size=5")
    second = client.get(LIST, {"page_size": 5, "page": 2}).json()
    assert len(second["results"]) == 2 and second["next"] is None
    ids = [r["id"] for r in first["results"] + second["results"]]
    assert len(set(ids)) == 7


def test_list_runs_a_constant_number_of_queries(client, org, template):
    client = sign_in(client, org, "qa_lead")

    def make(n):
        for _ in range(n):
            AuditFactory(child=ChildFactory(team=org.team_a), template=template)

    make(2)
    with CaptureQueriesContext(connection) as few:
        client.get(LIST)
    make(20)
    with CaptureQueriesContext(connection) as many:
        response = client.get(LIST)
    assert response.json()["count"] == 22
    assert len(many) == len(few) <= 9  # one of them records the views


# Allocating an ad hoc audit -----------------------------------------------------------------
# The rules are the ad hoc page's; tests/audits/test_adhoc_rules.py takes each rule
# through both.


@pytest.fixture
def mid_november():
    with time_machine.travel(datetime.datetime(2026, 11, 15, 10, 0), tick=False):
        yield


def new_audit(org, audit_template, **changes):
    data = {
        "case_reference": "NC300001",
        "auditor_email": "AUDITOR@council.example",
        "template": audit_template.pk,
        "month": "2026-12",
        "due_date": "2026-12-18",
        "allocation_note": "Requested after a complaint",
    }
    data.update(changes)
    return data


def test_qa_lead_allocates_an_ad_hoc_audit(client, org, template, mid_november):
    child = ChildFactory(team=org.team_b, case_reference="NC300001")
    response = sign_in(client, org, "qa_lead").post(
        LIST, new_audit(org, template), content_type="application/json"
    )
    assert response.status_code == 201, response.json()
    audit = Audit.objects.get(child=child)
    assert response.json()["id"] == audit.pk
    assert (audit.status, audit.auditor, audit.team) == (
        AuditStatus.ALLOCATED,
        org.users["auditor"],
        org.team_b,
    )
    assert (audit.month, audit.due_date) == (
        datetime.date(2026, 12, 1),
        datetime.date(2026, 12, 18),
    )
    assert audit.allocation_round is None and audit.allocated_by == org.users["qa_lead"]
    assert audit.allocation_note == "Requested after a complaint"
    assert audit.events.filter(kind=AuditEventKind.ALLOCATED).count() == 1


def test_ad_hoc_audit_is_due_at_the_end_of_its_month_by_default(
    client, org, template, mid_november
):
    ChildFactory(team=org.team_b, case_reference="NC300001")
    data = new_audit(org, template, month="2027-02-14")
    del data["due_date"]
    response = sign_in(client, org, "qa_lead").post(LIST, data, content_type="application/json")
    assert response.json()["month"] == "2027-02-01"
    assert response.json()["due_date"] == "2027-02-28"


@pytest.mark.parametrize("role", ["auditor", "head_of_service", "leader", "administrator"])
def test_only_the_qa_lead_allocates(client, org, template, role):
    ChildFactory(team=org.team_b, case_reference="NC300001")
    response = sign_in(client, org, role).post(
        LIST, new_audit(org, template), content_type="application/json"
    )
    assert response.status_code == 403
    assert response.json()["detail"] == ONLY_QA_LEAD
    assert not Audit.objects.exists()


def test_bad_allocations_are_400_by_field_and_create_nothing(client, org, template, mid_november):
    ChildFactory(team=org.team_b, case_reference="NC300001")
    client = sign_in(client, org, "qa_lead")
    inactive = AuditTemplate.objects.create(family="old", name="Old", is_active=False)

    def errors(**changes):
        response = client.post(
            LIST, new_audit(org, template, **changes), content_type="application/json"
        )
        assert response.status_code == 400
        return response.json()

    assert errors(case_reference="NC999999")["case_reference"] == [
        UNKNOWN_REFERENCE.format(reference="NC999999")
    ]
    assert errors(auditor_email="nobody@council.example")["auditor_email"] == [
        NO_SUCH_AUDITOR.format(email="nobody@council.example")
    ]
    assert errors(auditor_email="sam@council.example")["auditor_email"] == [
        AUDITOR_NOT_AVAILABLE.format(auditor=org.users["no_role"])
    ]
    assert errors(template=inactive.pk)["template"] == [TEMPLATE_INACTIVE.format(template=inactive)]
    assert errors(due_date="2026-11-30")["due_date"] == [ADHOC_DUE_BEFORE_MONTH]
    assert set(errors(case_reference="", month="")) >= {"case_reference", "month"}
    assert not Audit.objects.exists()


# Saving a draft ---------------------------------------------------------------------------------


def domain_id(audit, name):
    return next(
        s.domain_id for s in audit.template.sections.all() if s.domain_id and s.domain.name == name
    )


def test_the_auditor_saves_a_draft(client, org, audits):
    audit = audits["own"]
    visits = domain_id(audit, "Visits")
    question = audit.template.sections.get(order=1).questions.get(order=1)
    body = {
        "lock_version": 0,
        "fields": {"strengths": "Warm relationships", "child_spoken_to": "yes"},
        "gradings": {str(visits): {"grade": "good", "evidence": "Seen alone twice."}},
        "answers": {str(question.pk): {"value": "partly", "comment": "Plan is dated."}},
        "actions": [{"text": "Update the plan", "for_child_plan": True}],
    }
    response = sign_in(client, org, "auditor").patch(
        detail(audit), body, content_type="application/json"
    )
    assert response.status_code == 200, response.json()
    data = response.json()
    assert (data["status"], data["lock_version"]) == (AuditStatus.IN_PROGRESS, 1)
    assert data["gradings"][0]["grade"] == "good"
    audit.refresh_from_db()
    assert audit.strengths == "Warm relationships"
    assert audit.answers.get().comment == "Plan is dated."
    assert list(audit.proposed_actions.values_list("text", "for_child_plan")) == [
        ("Update the plan", True)
    ]


def test_a_stale_lock_version_is_409_and_changes_nothing(client, org, audits):
    audit = audits["own"]
    client = sign_in(client, org, "auditor")
    first = client.patch(
        detail(audit),
        {"lock_version": 0, "fields": {"strengths": "First"}},
        content_type="application/json",
    )
    assert first.status_code == 200
    stale = client.patch(
        detail(audit),
        {"lock_version": 0, "fields": {"strengths": "Second"}},
        content_type="application/json",
    )
    assert stale.status_code == 409
    assert stale.json() == {"detail": EDITED_ELSEWHERE, "lock_version": 1}
    audit.refresh_from_db()
    assert (audit.strengths, audit.lock_version) == ("First", 1)


@pytest.mark.parametrize(
    ("body", "key"),
    [
        ({"fields": {"strengths": "x"}}, "lock_version"),
        ({"lock_version": 0, "fields": {"overall_grade": "brilliant"}}, "fields"),
        ({"lock_version": 0, "fields": {"status": "accepted"}}, "fields"),
        ({"lock_version": 0, "gradings": {"visits": {"grade": "good"}}}, "gradings"),
        ({"lock_version": 0, "gradings": {"1": {"grade": "superb"}}}, "gradings"),
        (
            {"lock_version": 0, "actions": [{"text": "Do it", "suggested_owner_id": 999999}]},
            "actions",
        ),
        ({"lock_version": -1}, "lock_version"),
    ],
)
def test_bad_drafts_are_400_by_field(client, org, audits, body, key):
    audit = audits["own"]
    response = sign_in(client, org, "auditor").patch(
        detail(audit), body, content_type="application/json"
    )
    assert response.status_code == 400
    assert key in response.json()
    audit.refresh_from_db()
    assert (audit.status, audit.lock_version) == (AuditStatus.ALLOCATED, 0)


def test_unknown_draft_fields_are_named(client, org, audits):
    response = sign_in(client, org, "auditor").patch(
        detail(audits["own"]),
        {"lock_version": 0, "fields": {"status": "accepted"}},
        content_type="application/json",
    )
    assert response.json()["fields"]["status"] == [UNKNOWN_FIELD.format(name="status")]


def test_a_domain_outside_the_template_is_400(client, org, audits):
    response = sign_in(client, org, "auditor").patch(
        detail(audits["own"]),
        {"lock_version": 0, "gradings": {"999999": {"grade": "good"}}},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["gradings"] == ["Domain 999999 is not in this audit's template."]


def test_only_the_auditor_saves_drafts(client, org, audits):
    body = {"lock_version": 0, "fields": {"strengths": "Not mine"}}
    # The QA Lead can read the audit but not write the auditor's draft.
    response = sign_in(client, org, "qa_lead").patch(
        detail(audits["own"]), body, content_type="application/json"
    )
    assert response.status_code == 403
    assert response.json()["detail"] == NOT_THE_AUDITOR
    # Another auditor cannot even see it.
    response = sign_in(client, org, "moderator").patch(
        detail(audits["own"]), body, content_type="application/json"
    )
    assert response.status_code == 404
    audits["own"].refresh_from_db()
    assert audits["own"].strengths == ""


def test_a_submitted_audit_cannot_be_changed(client, org, audits):
    audit = audits["own"]
    Audit.objects.filter(pk=audit.pk).update(status=AuditStatus.SUBMITTED)
    response = sign_in(client, org, "auditor").patch(
        detail(audit),
        {"lock_version": 0, "fields": {"strengths": "Late"}},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert response.json()["detail"] == NOT_EDITABLE


def test_put_and_delete_are_not_allowed(client, org, audits):
    client = sign_in(client, org, "auditor")
    assert client.put(detail(audits["own"]), {}, content_type="application/json").status_code == 405
    assert client.delete(detail(audits["own"])).status_code == 405
    assert Audit.objects.filter(pk=audits["own"].pk).exists()


# Submitting ---------------------------------------------------------------------------------


def test_an_incomplete_audit_is_400_with_the_missing_items(client, org, audits):
    response = sign_in(client, org, "auditor").post(submit(audits["own"]))
    assert response.status_code == 400
    data = response.json()
    assert data["detail"] == AUDIT_INCOMPLETE
    visits = domain_id(audits["own"], "Visits")
    assert {
        "section": "s2",
        "field": f"grade-{visits}",
        "message": "Choose a grade for Visits",
    } in (data["missing_items"])
    assert {"section", "field", "message"} == set(data["missing_items"][0])
    audits["own"].refresh_from_db()
    assert audits["own"].status == AuditStatus.ALLOCATED


def test_a_complete_audit_is_submitted(client, org, audits):
    audit = complete_audit(audits["own"], grade=Grade.GOOD)
    response = sign_in(client, org, "auditor").post(submit(audit))
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == AuditStatus.SUBMITTED
    audit.refresh_from_db()
    assert audit.status == AuditStatus.SUBMITTED
    assert audit.grade_changes.count() == 3  # overall and two domains


def test_submitting_someone_elses_audit(client, org, audits):
    complete_audit(audits["own"])
    assert sign_in(client, org, "qa_lead").post(submit(audits["own"])).status_code == 403
    assert sign_in(client, org, "moderator").post(submit(audits["own"])).status_code == 404
    assert sign_in(client, org, "auditor").get(submit(audits["own"])).status_code == 405
    audits["own"].refresh_from_db()
    assert audits["own"].status == AuditStatus.IN_PROGRESS


def test_submitting_twice_is_refused(client, org, audits):
    client = sign_in(client, org, "auditor")
    client.post(submit(complete_audit(audits["own"])))
    again = client.post(submit(audits["own"]))
    assert again.status_code == 403
    assert again.json()["detail"] == NOT_EDITABLE


# The schema -------------------------------------------------------------------------------------


def test_the_openapi_schema_generates_without_warnings(tmp_path):
    call_command("spectacular", "--fail-on-warn", "--file", str(tmp_path / "schema.yml"))
    schema = (tmp_path / "schema.yml").read_text()
    assert "/api/audits/{id}/submit/" in schema
    assert "missing_items" in schema and "lock_version" in schema


@pytest.mark.parametrize("role", ["head_of_service", "team_manager", "no_role", "auditor"])
def test_a_scoped_list_runs_a_constant_number_of_queries(client, org, template, role):
    """The user's teams and children are resolved in one query however many there are."""
    client = sign_in(client, org, role)
    user = org.users[role]

    def make(n):
        for _ in range(n):
            child = ChildFactory(team=org.team_a, social_worker=user)
            AuditFactory(child=child, template=template, auditor=org.users["auditor"])
            AuditFactory(
                child=child,
                template=template,
                auditor=org.users["auditor"],
                status=AuditStatus.ACCEPTED,
            )

    make(2)
    with CaptureQueriesContext(connection) as few:
        first = client.get(LIST).json()
    make(15)
    with CaptureQueriesContext(connection) as many:
        second = client.get(LIST).json()
    assert second["count"] > first["count"] > 0
    assert len(many) == len(few) <= 10


def test_a_page_exactly_full_has_no_next_and_a_page_beyond_is_404(client, org, template):
    for _ in range(5):
        AuditFactory(
            child=ChildFactory(team=org.team_b), template=template, auditor=org.users["auditor"]
        )
    client = sign_in(client, org, "auditor")
    only = client.get(LIST, {"page_size": 5}).json()
    assert (only["count"], len(only["results"]), only["next"]) == (5, 5, None)
    assert client.get(LIST, {"page_size": 5, "page": 2}).status_code == 404


def test_the_list_is_in_the_audits_default_order(client, org, template):
    made = [
        AuditFactory(
            child=ChildFactory(team=org.team_b),
            template=template,
            auditor=org.users["auditor"],
            month=month,
            due_date=due,
        )
        for month, due in [
            (datetime.date(2026, 10, 1), datetime.date(2026, 10, 31)),
            (datetime.date(2026, 11, 1), datetime.date(2026, 11, 30)),
            (datetime.date(2026, 11, 1), datetime.date(2026, 11, 15)),
            (datetime.date(2026, 11, 1), datetime.date(2026, 11, 15)),
        ]
    ]
    ids = [r["id"] for r in sign_in(client, org, "auditor").get(LIST).json()["results"]]
    assert ids == [made[2].pk, made[3].pk, made[1].pk, made[0].pk]


@pytest.mark.parametrize("size", ["0", "201", "-1", "²", "ten", "1.5", "99999999"])
def test_a_page_size_outside_1_to_200_is_refused_by_name(client, org, size):
    client.force_login(org.users["qa_lead"])
    response = client.get(LIST, {"page_size": size})
    assert response.status_code == 400
    assert response.json() == {"page_size": ["page_size must be a whole number from 1 to 200"]}


@pytest.mark.parametrize("size", ["1", "200", ""])
def test_a_page_size_from_1_to_200_or_none_is_taken(client, org, size):
    client.force_login(org.users["qa_lead"])
    assert client.get(LIST, {"page_size": size}).status_code == 200


def test_an_address_the_api_does_not_have_answers_json_404(client, org):
    client.force_login(org.users["qa_lead"])
    response = client.get("/api/audits/not-a-number/")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}
