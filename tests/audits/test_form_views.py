"""The audit form: a page per section, drafts, autosave, the check page and submission."""

import datetime
import html
import json
import re

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from accounts.models import Role
from audits.models import (
    Answer,
    AuditEvent,
    AuditEventKind,
    AuditStatus,
    AuditType,
    DomainGrading,
    Grade,
    Involvement,
    NotSpokenReason,
    ProposedAction,
    Question,
    QuestionKind,
    TemplateSection,
)
from audits.services.audit import (
    EDITED_ELSEWHERE,
    NOT_EDITABLE,
    audit_missing_items,
    audit_save_draft,
)
from tests.factories import (
    EVIDENCE,
    AuditFactory,
    ChildFactory,
    UserFactory,
    complete_audit,
    make_template,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def audit(org):
    template = make_template()
    child = ChildFactory(team=org.team_a, social_worker=org.users["no_role"])
    return AuditFactory(child=child, template=template, auditor=org.users["auditor"])


@pytest.fixture
def auditor(client, org):
    client.force_login(org.users["auditor"])
    return client


def domain_ids(audit):
    return {s.domain.name: s.domain_id for s in audit.template.sections.all() if s.domain_id}


def questions(audit):
    return {q.text: q for q in Question.objects.filter(section__template=audit.template)}


def section_url(audit, key):
    return reverse("audits:audit_section", args=[audit.pk, key])


def autosave_url(audit):
    return reverse("audits:audit_autosave", args=[audit.pk])


def text(response):
    """The page, unescaped, with each run of whitespace as one space."""
    return re.sub(r"\s+", " ", html.unescape(response.content.decode()))


def message_texts(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


# Opening the form -------------------------------------------------------------------


def test_edit_opens_the_first_section_with_something_missing(auditor, audit):
    response = auditor.get(reverse("audits:audit_form", args=[audit.pk]))
    assert response.status_code == 302
    assert response["Location"] == section_url(audit, "s1")

    plan = questions(audit)["Is the child's plan up to date?"]
    Answer.objects.create(audit=audit, question=plan, value="yes", comment="On file")
    response = auditor.get(reverse("audits:audit_form", args=[audit.pk]))
    assert response["Location"] == section_url(audit, "s2")


def test_edit_opens_the_first_section_when_nothing_is_missing(auditor, audit):
    complete_audit(audit)
    response = auditor.get(reverse("audits:audit_form", args=[audit.pk]))
    assert response["Location"] == section_url(audit, "s1")


def test_domain_section_shows_each_grade_descriptor_and_the_evidence_minimum(auditor, audit):
    visits = domain_ids(audit)["Visits"]
    response = auditor.get(section_url(audit, "s2"))
    assert response.status_code == 200
    page = text(response)
    assert f'id="grade-{visits}"' in page
    assert f'id="grade-{visits}-2"' in page
    assert f'id="evidence-{visits}"' in page
    assert f'id="ri-band-{visits}"' in page
    for grade in ("Outstanding", "Good", "Requires Improvement", "Inadequate"):
        assert f'app-descriptor">{grade} practice in Visits.</div>' in page
    assert "Not graded" in page
    assert "Write at least 50 characters." in page
    assert f'name="lock_version" value="{audit.lock_version}"' in page
    assert 'aria-current="page">Visits</a>' in page


def test_general_section_draws_each_kind_of_question(auditor, audit, org):
    general = TemplateSection.objects.get(template=audit.template, order=1)
    Question.objects.create(
        section=general, order=4, text="Name the plan", kind=QuestionKind.SHORT_TEXT
    )
    Question.objects.create(
        section=general, order=5, text="Describe the plan", kind=QuestionKind.LONG_TEXT
    )
    Question.objects.create(
        section=general,
        order=6,
        text="Which plan?",
        kind=QuestionKind.SINGLE_CHOICE,
        choices=["CIN plan", "CP plan"],
        help_text="The plan in force in the month audited.",
    )
    q = questions(audit)
    page = text(auditor.get(section_url(audit, "s1")))
    plan = q["Is the child's plan up to date?"].pk
    assert f'<input class="govuk-radios__input" id="q-{plan}"' in page
    for label in ("Yes", "Partly", "No", "Not applicable"):
        assert f">{label}</label>" in page
    assert f'id="q-{plan}-comment"' in page
    assert "Evidence for your answer" in page
    assert f'id="q-{q["How many visits in the last 3 months?"].pk}"' in page
    assert 'inputmode="decimal"' in page
    tools = q["Which tools were used?"].pk
    assert f'class="govuk-checkboxes__input" id="q-{tools}"' in page
    assert f'<input class="govuk-input" id="q-{q["Name the plan"].pk}"' in page
    assert f'<textarea class="govuk-textarea" id="q-{q["Describe the plan"].pk}"' in page
    assert f'id="q-{q["Which plan?"].pk}"' in page
    assert "The plan in force in the month audited." in page


# Saving a section -------------------------------------------------------------------


def test_save_and_continue_saves_the_draft_and_opens_the_next_section(auditor, audit):
    visits = domain_ids(audit)["Visits"]
    response = auditor.post(
        section_url(audit, "s2"),
        {
            "lock_version": "0",
            f"grade-{visits}": Grade.REQUIRES_IMPROVEMENT,
            f"ri-band-{visits}": "lower",
            f"evidence-{visits}": "Visits were late twice.",
            "then": "continue",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == section_url(audit, "s3")
    grading = DomainGrading.objects.get(audit=audit, domain_id=visits)
    assert (grading.grade, grading.ri_band, grading.evidence) == (
        Grade.REQUIRES_IMPROVEMENT,
        "lower",
        "Visits were late twice.",
    )
    audit.refresh_from_db()
    assert (audit.status, audit.lock_version) == (AuditStatus.IN_PROGRESS, 1)


def test_save_and_come_back_later_returns_to_my_audits(auditor, audit):
    response = auditor.post(
        section_url(audit, "findings"),
        {"lock_version": "0", "strengths": "Warm", "areas_for_development": "", "then": "later"},
    )
    assert response["Location"] == reverse("audits:my_audits")
    assert any("are saved" in m for m in message_texts(response))
    audit.refresh_from_db()
    assert audit.strengths == "Warm"


def test_the_band_is_kept_only_with_requires_improvement(auditor, audit):
    auditor.post(
        section_url(audit, "overall"),
        {"lock_version": "0", "overall_grade": Grade.GOOD, "overall_ri_band": "upper"},
    )
    audit.refresh_from_db()
    assert (audit.overall_grade, audit.overall_ri_band) == (Grade.GOOD, "")


def test_a_reason_is_kept_only_when_the_answer_is_no(auditor, audit):
    auditor.post(
        section_url(audit, "participation"),
        {
            "lock_version": "0",
            "child_spoken_to": Involvement.YES,
            "child_not_spoken_reason": NotSpokenReason.DECLINED,
            "parent_carer_spoken_to": Involvement.NO,
            "parent_not_spoken_reason": NotSpokenReason.UNREACHABLE,
        },
    )
    audit.refresh_from_db()
    assert audit.child_not_spoken_reason == ""
    assert audit.parent_not_spoken_reason == NotSpokenReason.UNREACHABLE
    assert audit.social_worker_involved == ""


def test_participation_reveals_the_reason_and_explains_the_age_rule(auditor, audit):
    audit.child.date_of_birth = datetime.date(2015, 6, 1)
    audit.child.save()
    page = text(auditor.get(section_url(audit, "participation")))
    assert 'aria-controls="conditional-child_spoken_to-2"' in page
    assert 'id="child_not_spoken_reason"' in page
    assert 'id="parent_not_spoken_reason"' in page
    assert "The child was 11 in the month of the audit, so select yes or no." in page


def test_letters_in_a_number_are_explained_and_nothing_is_lost(auditor, audit):
    q = questions(audit)
    visits, plan = q["How many visits in the last 3 months?"], q["Is the child's plan up to date?"]
    response = auditor.post(
        section_url(audit, "s1"),
        {
            "lock_version": "0",
            f"q-{visits.pk}": "lots",
            f"q-{plan.pk}": "partly",
            f"q-{plan.pk}-comment": "Reviewed in June, not since",
        },
    )
    assert response.status_code == 200
    page = text(response)
    assert "<title> Error: The child" in page
    message = "Enter a number for: How many visits in the last 3 months?"
    assert f'<a href="#q-{visits.pk}">{message}</a>' in page
    assert f'id="q-{visits.pk}-error"' in page
    assert 'value="lots"' in page
    assert "Reviewed in June, not since</textarea>" in page
    assert 'value="partly" checked' in page
    assert not Answer.objects.filter(audit=audit).exists()
    audit.refresh_from_db()
    assert audit.lock_version == 0


def test_numbers_are_saved_as_numbers(auditor, audit):
    visits = questions(audit)["How many visits in the last 3 months?"]
    auditor.post(section_url(audit, "s1"), {"lock_version": "0", f"q-{visits.pk}": "12"})
    assert Answer.objects.get(audit=audit, question=visits).value == 12


def test_a_stale_version_says_edited_elsewhere_and_keeps_what_was_typed(auditor, audit, org):
    audit_save_draft(audit=audit, user=org.users["auditor"], data={"fields": {"strengths": "A"}})
    response = auditor.post(
        section_url(audit, "findings"),
        {"lock_version": "0", "strengths": "Typed in the old tab", "areas_for_development": "B"},
    )
    assert response.status_code == 409
    page = text(response)
    assert EDITED_ELSEWHERE in page
    assert "Typed in the old tab</textarea>" in page
    assert 'name="lock_version" value="0"' in page
    audit.refresh_from_db()
    assert (audit.strengths, audit.lock_version) == ("A", 1)


def test_a_missing_version_is_treated_as_stale(auditor, audit):
    response = auditor.post(section_url(audit, "findings"), {"strengths": "No version"})
    assert response.status_code == 409
    audit.refresh_from_db()
    assert audit.strengths == ""


def test_opening_a_section_or_the_check_page_is_logged(auditor, audit, org):
    auditor.get(section_url(audit, "s2"))
    auditor.get(section_url(audit, "check"))
    auditor.post(autosave_url(audit), {"section": "findings", "lock_version": "0"})
    events = AuditEvent.objects.filter(audit=audit, kind=AuditEventKind.VIEWED).order_by("pk")
    assert [(e.user, e.note) for e in events] == [
        (org.users["auditor"], "Audit form: Visits"),
        (org.users["auditor"], "Audit form: Check your answers"),
    ]


def test_an_unknown_section_is_not_found(auditor, audit):
    assert auditor.get(section_url(audit, "s9")).status_code == 404
    assert auditor.get(section_url(audit, "nonsense")).status_code == 404


def test_wrong_methods_are_refused(auditor, audit):
    assert auditor.put(section_url(audit, "s1")).status_code == 405
    assert auditor.post(reverse("audits:audit_form", args=[audit.pk])).status_code == 405
    assert auditor.get(autosave_url(audit)).status_code == 405
    assert auditor.delete(reverse("audits:audit_submit", args=[audit.pk])).status_code == 405


# Proposed actions -------------------------------------------------------------------


def test_actions_show_three_blank_rows_with_the_team_manager_as_default_owner(auditor, audit, org):
    colleague = UserFactory(team=org.team_a, first_name="Cleo", last_name="Carter")
    page = text(auditor.get(section_url(audit, "actions")))
    for n in range(3):
        assert f'id="action-{n}-text"' in page
        assert f'id="action-{n}-due-day"' in page
    assert 'id="action-3-text"' not in page
    manager = org.users["team_manager"]
    assert f'<option value="{manager.pk}" selected>' in page
    assert f'<option value="{colleague.pk}" >Cleo Carter, Social Worker</option>' in page
    outsider = org.users["outside_manager"]
    assert f'<option value="{outsider.pk}"' not in page


def test_actions_are_saved_in_order_and_cleared_rows_are_removed(auditor, audit, org):
    manager = org.users["team_manager"]
    data = {"lock_version": "0", "action_rows": "3"}
    data |= {
        "action-0-text": "Update the plan",
        "action-0-plan": "on",
        "action-0-owner": str(manager.pk),
        "action-0-due-day": "27",
        "action-0-due-month": "3",
        "action-0-due-year": "2027",
        "action-1-text": "",
        "action-1-owner": str(manager.pk),
        "action-2-text": "Hold a review",
        "action-2-owner": "",
    }
    response = auditor.post(section_url(audit, "actions"), data)
    assert response["Location"] == section_url(audit, "check")
    actions = list(ProposedAction.objects.filter(audit=audit))
    assert [(a.text, a.for_child_plan, a.suggested_owner_id, a.suggested_due) for a in actions] == [
        ("Update the plan", True, manager.pk, datetime.date(2027, 3, 27)),
        ("Hold a review", False, None, None),
    ]
    page = text(auditor.get(section_url(audit, "actions")))
    assert 'id="action-4-text"' in page  # two saved, three blank
    assert 'id="action-5-text"' not in page

    data = {"lock_version": "1", "action_rows": "2", "action-0-text": "Update the plan"}
    auditor.post(section_url(audit, "actions"), data | {"then": "more"})
    assert list(ProposedAction.objects.filter(audit=audit).values_list("text", flat=True)) == [
        "Update the plan"
    ]


def test_save_and_add_more_actions_stays_on_the_page(auditor, audit):
    response = auditor.post(
        section_url(audit, "actions"),
        {"lock_version": "0", "action_rows": "3", "action-0-text": "One", "then": "more"},
    )
    assert response["Location"] == section_url(audit, "actions")


def test_an_impossible_date_is_explained_and_nothing_is_lost(auditor, audit):
    response = auditor.post(
        section_url(audit, "actions"),
        {
            "lock_version": "0",
            "action_rows": "3",
            "action-0-text": "Update the plan",
            "action-0-due-day": "31",
            "action-0-due-month": "2",
            "action-0-due-year": "2027",
            "action-1-text": "Second",
            "action-1-due-day": "4",
            "action-2-text": "Third",
            "action-2-due-day": "4",
            "action-2-due-month": "5",
            "action-2-due-year": "99999999999999999999",
        },
    )
    assert response.status_code == 200
    page = text(response)
    assert (
        '<a href="#action-2-due-day">The suggested date for proposed action 3 must be in a '
        "year from 1900 to 2100" in page
    )
    assert (
        '<a href="#action-0-due-day">The suggested date for proposed action 1 must be a real date'
        in page
    )
    assert (
        '<a href="#action-1-due-day">The suggested date for proposed action 2 must include a '
        "month and year" in page
    )
    assert "Update the plan</textarea>" in page
    assert 'value="31"' in page
    assert not ProposedAction.objects.filter(audit=audit).exists()


def test_an_owner_outside_the_team_is_refused(auditor, audit, org):
    response = auditor.post(
        section_url(audit, "actions"),
        {
            "lock_version": "0",
            "action_rows": "1",
            "action-0-text": "Update the plan",
            "action-0-owner": str(org.users["outside_manager"].pk),
        },
    )
    assert "Choose a suggested owner from the list for proposed action 1" in text(response)
    assert not ProposedAction.objects.filter(audit=audit).exists()


# Who may use the form ---------------------------------------------------------------


@pytest.mark.parametrize("person", ["moderator", "no_role", "team_manager", "outside_manager"])
def test_people_who_cannot_see_the_audit_get_not_found(client, audit, org, person):
    client.force_login(org.users[person])
    for url in (
        reverse("audits:audit_form", args=[audit.pk]),
        section_url(audit, "s2"),
        reverse("audits:audit_submit", args=[audit.pk]),
    ):
        assert client.get(url).status_code == 404
    assert client.post(autosave_url(audit), {"section": "findings"}).status_code == 404
    assert client.post(section_url(audit, "findings"), {"strengths": "x"}).status_code == 404
    audit.refresh_from_db()
    assert audit.strengths == ""


def test_the_qa_lead_can_see_the_audit_but_not_change_it(client, audit, org):
    client.force_login(org.users["qa_lead"])
    assert client.get(reverse("audits:audit_form", args=[audit.pk])).status_code == 403
    assert client.get(section_url(audit, "s2")).status_code == 403
    assert client.post(reverse("audits:audit_submit", args=[audit.pk])).status_code == 403
    audit.refresh_from_db()
    assert audit.status == AuditStatus.ALLOCATED


def test_signed_out_people_are_sent_to_sign_in(client, audit):
    response = client.get(section_url(audit, "s1"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_a_submitted_audit_sends_its_auditor_to_the_audit_page(auditor, audit):
    complete_audit(audit)
    audit.status = AuditStatus.SUBMITTED
    audit.save()
    detail = reverse("audits:audit_detail", args=[audit.pk])
    response = auditor.get(reverse("audits:audit_form", args=[audit.pk]))
    assert response["Location"] == detail
    assert NOT_EDITABLE in message_texts(response)
    response = auditor.post(
        section_url(audit, "findings"), {"lock_version": "0", "strengths": "Changed"}
    )
    assert response["Location"] == detail
    audit.refresh_from_db()
    assert audit.strengths == "Strong relationships with the family."


@pytest.mark.parametrize(
    ("audit_type", "caption"),
    [
        (AuditType.CHILD_JOURNEY, "Leaving Care Audit"),
        (AuditType.RE_AUDIT, "Re-audit: Leaving Care Audit"),
    ],
)
def test_the_audit_page_is_headed_with_the_template_it_follows(auditor, org, audit_type, caption):
    template = make_template(name="Leaving Care Audit", family="leaving-care")
    child = ChildFactory(team=org.team_a)
    audit = AuditFactory(
        child=child, template=template, auditor=org.users["auditor"], audit_type=audit_type
    )
    page = text(auditor.get(reverse("audits:audit_detail", args=[audit.pk])))
    assert f'<span class="govuk-caption-l">{caption} {audit.display_reference}</span>' in page
    assert "Child Journey Audit" not in page


# Autosave ---------------------------------------------------------------------------


@time_machine.travel(datetime.datetime(2026, 11, 20, 10, 42, tzinfo=datetime.UTC), tick=False)
def test_autosave_saves_and_answers_with_the_new_version(auditor, audit):
    visits = domain_ids(audit)["Visits"]
    response = auditor.post(
        autosave_url(audit),
        {"section": "s2", "lock_version": "0", f"evidence-{visits}": "Half written"},
    )
    assert response.status_code == 200
    answer = response.json()
    assert {k: answer[k] for k in ("saved", "lock_version", "saved_at")} == {
        "saved": True,
        "lock_version": 1,
        "saved_at": "10:42",
    }
    assert DomainGrading.objects.get(audit=audit, domain_id=visits).evidence == "Half written"

    response = auditor.post(
        autosave_url(audit),
        {"section": "s2", "lock_version": "1", f"evidence-{visits}": "Half written, more"},
    )
    assert response.json()["lock_version"] == 2


def test_autosave_answers_with_every_sections_status_after_the_save(auditor, audit):
    """The list of sections beside the form changes from "Not started" as soon as the
    first answer is saved, without reloading the page."""
    visits = domain_ids(audit)["Visits"]
    page = auditor.get(section_url(audit, "s2")).content.decode()
    assert re.search(
        r'id="nav-s2-status">\s*<strong class="govuk-tag govuk-tag--blue">Not started', page
    )
    response = auditor.post(
        autosave_url(audit),
        {"section": "s2", "lock_version": "0", f"evidence-{visits}": "Half written"},
    )
    statuses = {s["key"]: (s["status"], s["class"]) for s in response.json()["sections"]}
    assert statuses["s2"] == ("Incomplete", "govuk-tag govuk-tag--light-blue")
    assert statuses["s3"] == ("Not started", "govuk-tag govuk-tag--blue")
    assert statuses["check"] == ("Cannot submit yet", "govuk-task-list__status--cannot-start-yet")
    page = auditor.get(section_url(audit, "s2")).content.decode()
    assert re.search(
        r'id="nav-s2-status">\s*<strong class="govuk-tag govuk-tag--light-blue">Incomplete', page
    )


def test_autosave_with_a_stale_version_is_a_conflict(auditor, audit, org):
    audit_save_draft(audit=audit, user=org.users["auditor"], data={"fields": {"strengths": "A"}})
    response = auditor.post(
        autosave_url(audit), {"section": "findings", "lock_version": "0", "strengths": "B"}
    )
    assert response.status_code == 409
    assert response.json() == {"saved": False, "error": EDITED_ELSEWHERE}
    audit.refresh_from_db()
    assert audit.strengths == "A"


def test_autosave_explains_type_errors_by_field(auditor, audit):
    visits = questions(audit)["How many visits in the last 3 months?"]
    response = auditor.post(
        autosave_url(audit), {"section": "s1", "lock_version": "0", f"q-{visits.pk}": "ten"}
    )
    assert response.status_code == 400
    assert response.json() == {
        "saved": False,
        "errors": {f"q-{visits.pk}": "Enter a number for: How many visits in the last 3 months?"},
    }
    assert not Answer.objects.filter(audit=audit).exists()


def test_autosave_refuses_an_unknown_section(auditor, audit):
    response = auditor.post(autosave_url(audit), {"section": "check", "lock_version": "0"})
    assert response.status_code == 400
    assert response.json()["saved"] is False


def test_autosave_is_refused_to_people_who_may_not_change_the_audit(client, audit, org):
    client.force_login(org.users["qa_lead"])
    response = client.post(autosave_url(audit), {"section": "findings", "strengths": "x"})
    assert response.status_code == 403
    assert response.json()["saved"] is False
    client.force_login(org.users["moderator"])
    assert client.post(autosave_url(audit), {"section": "findings"}).status_code == 404
    audit.refresh_from_db()
    assert audit.strengths == ""


def test_autosave_of_a_submitted_audit_is_refused_with_the_reason(auditor, audit):
    complete_audit(audit)
    audit.status = AuditStatus.SUBMITTED
    audit.save()
    response = auditor.post(
        autosave_url(audit), {"section": "findings", "lock_version": "0", "strengths": "x"}
    )
    assert response.status_code == 403
    assert response.json() == {"saved": False, "error": NOT_EDITABLE}


def test_autosave_needs_the_csrf_token(audit, org):
    client = Client(enforce_csrf_checks=True)
    client.force_login(org.users["auditor"])
    response = client.post(
        autosave_url(audit), {"section": "findings", "lock_version": "0", "strengths": "x"}
    )
    assert response.status_code == 403
    audit.refresh_from_db()
    assert audit.strengths == ""


def test_section_pages_load_the_autosave_script(auditor, audit):
    page = text(auditor.get(section_url(audit, "findings")))
    assert f'data-autosave-url="{autosave_url(audit)}"' in page
    assert 'class="app-autosave-status" aria-live="polite"' in page
    assert "js/autosave" in page


# Check and submit -------------------------------------------------------------------


def test_the_check_page_shows_every_answer_with_change_links(auditor, audit):
    complete_audit(audit)
    visits = domain_ids(audit)["Visits"]
    response = auditor.get(section_url(audit, "check"))
    assert response.status_code == 200
    page = text(response)
    assert f'href="{section_url(audit, "s2")}#grade-{visits}"' in page
    assert f'href="{section_url(audit, "findings")}#strengths"' in page
    assert 'app-grade-tag--good">Good</strong>' in page
    assert EVIDENCE in page
    assert "Strong relationships with the family." in page
    assert "still need" not in page


def test_each_change_link_on_the_check_page_names_what_it_changes(auditor, audit):
    """The same question in two domains, each with evidence for its answer, still gives
    every change link its own name."""
    for section in audit.template.sections.exclude(domain=None):
        for order, wording in enumerate(["Is the work up to date?", "Is the record clear?"]):
            Question.objects.create(
                section=section,
                order=order + 1,
                text=wording,
                kind=QuestionKind.YES_NO,
                needs_comment=True,
            )
    complete_audit(audit)
    page = text(auditor.get(section_url(audit, "check")))
    names = [
        re.sub(r"<[^>]+>", "", name).strip()
        for name in re.findall(r'<a class="govuk-link" href="[^"]*#[^"]*">(Change.*?)</a>', page)
    ]
    assert len(names) > 10
    duplicates = sorted({name for name in names if names.count(name) > 1})
    assert duplicates == []
    assert "Change evidence for the Visits grade" in names
    assert "Change grade for Visits" in names
    comments = [n for n in names if n.startswith("Change evidence for your answer to")]
    assert comments


def test_submit_get_shows_the_check_page(auditor, audit):
    response = auditor.get(reverse("audits:audit_submit", args=[audit.pk]))
    assert response["Location"] == section_url(audit, "check")


def test_submitting_an_incomplete_audit_lists_every_missing_item_with_its_link(auditor, audit):
    ids = domain_ids(audit)
    DomainGrading.objects.create(audit=audit, domain_id=ids["Assessments"], grade=Grade.GOOD)
    missing = audit_missing_items(audit)
    assert len(missing) > 10
    response = auditor.post(reverse("audits:audit_submit", args=[audit.pk]))
    assert response.status_code == 400
    page = text(response)
    assert "<title> Error: Check your answers" in page
    for item in missing:
        assert (
            f'<a href="{section_url(audit, item.section)}#{item.field}">{item.message}</a>' in page
        )
    assert (
        f'<a href="/audits/{audit.pk}/edit/s3/#evidence-{ids["Assessments"]}">'
        "Enter the evidence for the Assessments grade</a>"
    ) in page
    assert (
        f'<a href="/audits/{audit.pk}/edit/s2/#grade-{ids["Visits"]}">Choose a grade for Visits</a>'
    ) in page
    assert "Choose a grade for Assessments" not in page
    audit.refresh_from_db()
    assert audit.status == AuditStatus.ALLOCATED
    assert DomainGrading.objects.get(audit=audit, domain_id=ids["Assessments"]).grade == Grade.GOOD


def test_submitting_a_complete_audit_makes_it_read_only(auditor, audit):
    complete_audit(audit)
    response = auditor.post(reverse("audits:audit_submit", args=[audit.pk]))
    assert response["Location"] == reverse("audits:my_audits")
    assert any(m.startswith("Audit submitted") for m in message_texts(response))
    audit.refresh_from_db()
    assert audit.status == AuditStatus.SUBMITTED
    response = auditor.get(section_url(audit, "s2"))
    assert response["Location"] == reverse("audits:audit_detail", args=[audit.pk])


@pytest.mark.parametrize(("length", "submitted"), [(49, False), (50, True)])
def test_evidence_of_exactly_the_minimum_length_is_enough(auditor, audit, length, submitted):
    complete_audit(audit)
    visits = domain_ids(audit)["Visits"]
    DomainGrading.objects.filter(audit=audit, domain_id=visits).update(evidence="x" * length)
    response = auditor.post(reverse("audits:audit_submit", args=[audit.pk]))
    message = "The evidence for Visits must be at least 50 characters (it has 49)"
    audit.refresh_from_db()
    if submitted:
        assert response["Location"] == reverse("audits:my_audits")
        assert audit.status == AuditStatus.SUBMITTED
    else:
        assert response.status_code == 400
        assert f'<a href="{section_url(audit, "s2")}#evidence-{visits}">{message}</a>' in text(
            response
        )
        assert audit.status == AuditStatus.IN_PROGRESS


def test_posting_the_check_section_submits_too(auditor, audit):
    complete_audit(audit)
    response = auditor.post(section_url(audit, "check"))
    assert response["Location"] == reverse("audits:my_audits")
    audit.refresh_from_db()
    assert audit.status == AuditStatus.SUBMITTED


def test_a_returned_audit_can_be_edited_and_shows_the_comments(auditor, audit):
    complete_audit(audit)
    audit.status = AuditStatus.RETURNED
    audit.return_comments = "Say more about the visits."
    audit.save()
    page = text(auditor.get(section_url(audit, "s2")))
    assert "Say more about the visits." in page


# Queries ----------------------------------------------------------------------------


def _many_actions(audit, count):
    ProposedAction.objects.bulk_create(
        ProposedAction(audit=audit, order=n, text=f"Action {n}") for n in range(count)
    )


def test_section_and_check_pages_do_a_constant_number_of_queries(
    auditor, audit, org, django_assert_max_num_queries
):
    complete_audit(audit)
    _many_actions(audit, 2)
    counts = {}
    for key in ("s2", "actions", "check"):
        with django_assert_max_num_queries(40) as captured:
            auditor.get(section_url(audit, key))
        counts[key] = len(captured)
    ProposedAction.objects.filter(audit=audit).delete()
    _many_actions(audit, 25)
    UserFactory.create_batch(10, team=org.team_a, roles=[Role.AUDITOR])
    for key in ("s2", "actions", "check"):
        with django_assert_max_num_queries(counts[key]):
            auditor.get(section_url(audit, key))


def test_autosave_answers_in_json_for_every_section(auditor, audit):
    for key in ("s1", "s2", "s3", "overall", "participation", "findings", "actions"):
        audit.refresh_from_db()
        response = auditor.post(
            autosave_url(audit), {"section": key, "lock_version": str(audit.lock_version)}
        )
        assert response.status_code == 200, key
        assert json.loads(response.content)["saved"] is True
