"""The "Family feedback" section of the audit form, added through audits.extensions:
it autosaves like the rest, shows in the list of sections with its status, lists what
is missing on the check page, and stops submission until its rows are complete."""

import ast
import datetime
import html
import pathlib
import re

import pytest
import time_machine
from django.urls import reverse

from audits.models import AuditEvent, AuditStatus
from audits.services.audit import audit_missing_items, audit_save_draft
from feedback.models import Answer, Feedback, Outcome, Quote, Respondent, Source
from feedback.services import records
from tests.factories import AuditFactory, ChildFactory, complete_audit, make_template

from .conftest import give

pytestmark = pytest.mark.django_db
TODAY = datetime.datetime(2026, 11, 20, 10, 42, tzinfo=datetime.UTC)


@pytest.fixture
def draft(org):
    template = make_template(questions=False)
    child = ChildFactory(team=org.team_a, date_of_birth=datetime.date(2014, 3, 1))
    audit = AuditFactory(child=child, template=template, auditor=org.users["auditor"])
    complete_audit(audit)
    return audit


@pytest.fixture
def auditor(client, org):
    client.force_login(org.users["auditor"])
    return client


def url(audit, key="feedback"):
    return reverse("audits:audit_section", args=[audit.pk, key])


def text(response):
    return re.sub(r"\s+", " ", html.unescape(response.content.decode()))


def row(n=0, **values):
    data = {
        f"fb-{n}-respondent": "mother",
        f"fb-{n}-channel": "phone",
        f"fb-{n}-date-day": "3",
        f"fb-{n}-date-month": "11",
        f"fb-{n}-date-year": "2026",
        f"fb-{n}-outcome": "given",
        f"fb-{n}-listened": "yes",
        f"fb-{n}-understood": "partly",
        f"fb-{n}-score": "8",
        f"fb-{n}-comments": "She rang back every time.",
        f"fb-{n}-consent": "yes",
    }
    data.update({f"fb-{n}-{k}": v for k, v in values.items()})
    return data


def test_audits_imports_nothing_from_feedback():
    root = pathlib.Path(__file__).resolve().parents[2] / "audits"
    for path in root.rglob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                assert not (node.module or "").startswith("feedback"), path
            elif isinstance(node, ast.Import):
                assert not any(a.name.startswith("feedback") for a in node.names), path


def test_the_section_follows_who_took_part_in_the_list(auditor, draft):
    response = auditor.get(url(draft))
    assert response.status_code == 200
    keys = [s.key for s in response.context["sections"]]
    assert keys[keys.index("participation") + 1] == "feedback"
    status = {s.key: s.status for s in response.context["sections"]}
    assert status["feedback"] == "Optional"
    assert "Family feedback" in text(response)
    assert 'name="feedback_positions" value="0"' in response.content.decode()


@time_machine.travel(TODAY, tick=False)
def test_autosave_saves_a_row_and_answers_with_the_new_version(auditor, draft, org):
    version = draft.lock_version
    response = auditor.post(
        reverse("audits:audit_autosave", args=[draft.pk]),
        {"section": "feedback", "lock_version": str(version), "feedback_positions": "0", **row()},
    )
    assert response.status_code == 200, response.content
    answer = response.json()
    assert (answer["saved"], answer["lock_version"], answer["saved_at"]) == (
        True,
        version + 1,
        "10:42",
    )
    saved = Feedback.objects.get(audit=draft)
    assert saved.source == Source.AUDIT_FORM
    assert saved.position == 0
    assert saved.team == org.team_a
    assert saved.respondent == Respondent.MOTHER
    assert saved.given_on == datetime.date(2026, 11, 3)
    assert (saved.listened, saved.understood, saved.improved) == ("yes", "partly", "not_answered")
    assert saved.score == 8
    assert saved.consent_to_quote and saved.quote_key is not None
    assert saved.recorded_by == org.users["auditor"]

    # Saving the same row again changes it, never adds another.
    response = auditor.post(
        reverse("audits:audit_autosave", args=[draft.pk]),
        {
            "section": "feedback",
            "lock_version": str(version + 1),
            "feedback_positions": "0",
            **row(score="9"),
        },
    )
    assert response.json()["lock_version"] == version + 2
    assert Feedback.objects.get(audit=draft).score == 9


def test_autosave_with_a_stale_version_is_a_conflict_and_saves_nothing(auditor, draft):
    response = auditor.post(
        reverse("audits:audit_autosave", args=[draft.pk]),
        {"section": "feedback", "lock_version": "999", "feedback_positions": "0", **row()},
    )
    assert response.status_code == 409
    assert not Feedback.objects.exists()


@pytest.mark.parametrize("score", ["11", "²", "-1", "99999999999999999999"])
def test_autosave_explains_a_bad_score_by_field(auditor, draft, score):
    response = auditor.post(
        reverse("audits:audit_autosave", args=[draft.pk]),
        {
            "section": "feedback",
            "lock_version": str(draft.lock_version),
            "feedback_positions": "0,²,99999999999999999999",
            **row(score=score),
        },
    )
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert list(errors) == ["fb-0-score"]
    if len(score) < 5:  # longer text is refused by the box's length first
        assert errors["fb-0-score"] == "Enter the score for feedback 1 as a number from 0 to 10"
    assert not Feedback.objects.exists()


@time_machine.travel(TODAY, tick=False)
def test_the_status_shows_incomplete_then_completed_and_the_check_page_lists_the_rows(
    auditor, draft
):
    audit_save_draft(
        audit=draft,
        user=draft.auditor,
        data={"sections": {"feedback": {"rows": {0: {"respondent": "mother"}}}}},
    )
    response = auditor.get(url(draft))
    assert {s.key: s.status for s in response.context["sections"]}["feedback"] == "Incomplete"
    check = auditor.get(url(draft, "check"))
    assert check.context["sections"][-1].status == "Cannot submit yet"
    missing = {item.field: item.message for item in check.context["missing"]}
    assert missing["fb-0-channel"] == records.NEEDS_CHANNEL.format(n=1)
    assert missing["fb-0-date-day"] == records.NEEDS_DATE.format(n=1)
    assert missing["fb-0-outcome"] == records.NEEDS_OUTCOME.format(n=1)

    response = auditor.post(
        url(draft),
        {"lock_version": str(draft.lock_version + 1), "feedback_positions": "0", **row()},
    )
    assert response.status_code == 302
    response = auditor.get(url(draft, "check"))
    assert {s.key: s.status for s in response.context["sections"]}["feedback"] == "Completed"
    page = text(response)
    assert "Family feedback" in page
    assert "Parent: mum, by phone, 3 November 2026" in page
    assert "She rang back every time." in page
    assert "Ready to submit" in page


def test_an_incomplete_row_stops_submission_with_a_link_to_its_input(auditor, draft):
    audit_save_draft(
        audit=draft,
        user=draft.auditor,
        data={
            "sections": {
                "feedback": {
                    "rows": {
                        3: {
                            "respondent": "child",
                            "channel": "visit",
                            "given_on": datetime.date(2026, 11, 2),
                            "outcome": "not_obtained",
                            "not_obtained_reason": "unreachable",
                        }
                    }
                }
            }
        },
    )
    response = auditor.post(reverse("audits:audit_submit", args=[draft.pk]))
    assert response.status_code == 400
    assert response.context["errors"] == [
        {
            "href": f"{url(draft)}#fb-3-attempts",
            "text": records.NEEDS_ATTEMPTS.format(n=1),
        }
    ]
    draft.refresh_from_db()
    assert draft.status == AuditStatus.IN_PROGRESS


def test_missing_items_follow_the_form_order(draft):
    draft.strengths = ""
    draft.save()
    audit_save_draft(
        audit=draft,
        user=draft.auditor,
        data={"sections": {"feedback": {"rows": {0: {"respondent": "carer"}}}}},
    )
    sections = [item.section for item in audit_missing_items(draft)]
    assert sections.index("feedback") < sections.index("findings")


def test_a_cleared_row_is_deleted_with_its_quotes(draft, org):
    audit_save_draft(
        audit=draft,
        user=draft.auditor,
        data={
            "sections": {
                "feedback": {
                    "rows": {
                        0: {
                            "respondent": "father",
                            "channel": "phone",
                            "given_on": datetime.date(2026, 11, 2),
                            "outcome": "given",
                            "comments": "Good",
                            "consent_to_quote": True,
                        }
                    }
                }
            }
        },
    )
    feedback = Feedback.objects.get()
    Quote.objects.create(feedback=feedback, text="Good", attribution="Dad")
    draft.refresh_from_db()
    audit_save_draft(
        audit=draft, user=draft.auditor, data={"sections": {"feedback": {"rows": {0: None}}}}
    )
    assert not Feedback.objects.exists()
    assert not Quote.objects.exists()


def test_withdrawing_consent_in_the_form_removes_the_quotes(draft):
    values = {
        "respondent": "father",
        "channel": "phone",
        "given_on": datetime.date(2026, 11, 2),
        "outcome": "given",
        "comments": "Good",
        "consent_to_quote": True,
    }
    audit_save_draft(
        audit=draft, user=draft.auditor, data={"sections": {"feedback": {"rows": {0: values}}}}
    )
    Quote.objects.create(feedback=Feedback.objects.get(), text="Good", attribution="Dad")
    draft.refresh_from_db()
    values["consent_to_quote"] = False
    audit_save_draft(
        audit=draft, user=draft.auditor, data={"sections": {"feedback": {"rows": {0: values}}}}
    )
    feedback = Feedback.objects.get()
    assert feedback.consent_to_quote is False and feedback.quote_key is None
    assert not Quote.objects.exists()


def test_answers_that_do_not_apply_are_cleared(draft):
    audit_save_draft(
        audit=draft,
        user=draft.auditor,
        data={
            "sections": {
                "feedback": {
                    "rows": {
                        0: {
                            "respondent": "child",
                            "age_band": "18_plus",
                            "channel": "visit",
                            "given_on": datetime.date(2026, 11, 2),
                            "outcome": "not_obtained",
                            "not_obtained_reason": "declined",
                            "attempts": 3,
                            "listened": "yes",
                            "score": 7,
                            "comments": "x",
                            "consent_to_quote": True,
                        }
                    }
                }
            }
        },
    )
    saved = Feedback.objects.get()
    # The child was born in March 2014: 12 on the day.
    assert saved.age_band == "12_15"
    assert saved.attempts is None
    assert (saved.listened, saved.score, saved.comments) == (Answer.NOT_ANSWERED, None, "")
    assert saved.consent_to_quote is False


def test_a_row_from_elsewhere_cannot_be_changed_through_the_form(draft, org):
    other = give(draft, source=Source.FAMILY_LINK, channel="family_link")
    audit_save_draft(
        audit=draft, user=draft.auditor, data={"sections": {"feedback": {"rows": {0: None}}}}
    )
    assert Feedback.objects.filter(pk=other.pk).exists()


def test_too_many_rows_are_refused(draft):
    from django.core.exceptions import ValidationError

    rows = {n: {"respondent": "carer"} for n in range(records.MAX_ROWS + 1)}
    with pytest.raises(ValidationError):
        audit_save_draft(
            audit=draft, user=draft.auditor, data={"sections": {"feedback": {"rows": rows}}}
        )
    assert not Feedback.objects.exists()


def test_save_and_add_more_feedback_offers_a_new_row(auditor, draft):
    response = auditor.post(
        url(draft),
        {
            "lock_version": str(draft.lock_version),
            "feedback_positions": "0",
            "then": "more",
            **row(),
        },
    )
    assert response["Location"] == url(draft)
    response = auditor.get(url(draft))
    assert 'name="feedback_positions" value="0,1"' in response.content.decode()
    assert "Feedback 2" in text(response)


def test_the_audit_page_shows_feedback_and_links_to_it_for_those_allowed(client, org, draft):
    give(draft, comments="Kind words")
    draft.status = AuditStatus.ACCEPTED
    draft.save()
    client.force_login(org.users["qa_lead"])
    page = client.get(reverse("audits:audit_detail", args=[draft.pk]))
    assert "Kind words" in text(page)
    assert reverse("feedback:audit_feedback", args=[draft.pk]) in page.content.decode()

    # The team manager may read the accepted audit, but not the family's words.
    client.force_login(org.users["team_manager"])
    page = client.get(reverse("audits:audit_detail", args=[draft.pk]))
    assert page.status_code == 200
    assert "Kind words" not in text(page)
    assert reverse("feedback:audit_feedback", args=[draft.pk]) not in page.content.decode()


def test_the_feedback_page_loads_in_a_constant_number_of_queries(
    auditor, draft, django_assert_max_num_queries
):
    for n in range(2):
        give(draft, source=Source.AUDIT_FORM, position=n, outcome=Outcome.GIVEN)
    with django_assert_max_num_queries(60) as captured:
        auditor.get(url(draft))
    for n in range(2, 12):
        give(draft, source=Source.AUDIT_FORM, position=n, outcome=Outcome.GIVEN)
    with django_assert_max_num_queries(len(captured)):
        auditor.get(url(draft))


def test_viewing_the_section_is_logged(auditor, draft):
    auditor.get(url(draft))
    assert AuditEvent.objects.filter(audit=draft, note="Audit form: Family feedback").exists()
