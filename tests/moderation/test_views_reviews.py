"""The review screen: regrading with rationales, marking done, the lock, unlocking, two
people saving at once, and the auditor's feedback pages."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import Role
from audits.models import AuditEvent, AuditEventKind, Grade, SocialWorkerReply
from moderation.models import ModerationReview, ReviewStatus
from moderation.services import (
    RATIONALE_NEEDED,
    REASON_NEEDED,
    REVIEW_EDITED_ELSEWHERE,
    REVIEW_FINAL,
    UNLOCK_REASON_NEEDED,
    panel_add_audit,
)
from moderation.views.reviews import REVIEW_DONE, REVIEW_SAVED, REVIEW_SAVED_NOT_DONE
from tests.factories import UserFactory, make_template

from .conftest import accepted_audit, moderate

pytestmark = pytest.mark.django_db

G, RI = Grade.GOOD, Grade.REQUIRES_IMPROVEMENT


@pytest.fixture
def review(org, template, panel, moderator):
    audit = accepted_audit(org, template, G)
    return panel_add_audit(panel=panel, audit=audit, user=org.users["qa_lead"], moderator=moderator)


def domains(review):
    return {row.domain.name: row.domain_id for row in review.domain_grades.select_related("domain")}


def post_data(review, action="save", overall=G, rationale="", feedback="", reasons=(), **grades):
    """Agree with every domain unless a grade is given by domain name."""
    data = {
        "lock_version": review.lock_version,
        "action": action,
        "moderated_grade": overall,
        "rationale": rationale,
        "feedback": feedback,
        "reasons": list(reasons),
    }
    for name, domain_id in domains(review).items():
        grade, why = grades.get(name, (G, ""))
        data[f"domain-{domain_id}"] = grade
        data[f"domain-{domain_id}-rationale"] = why
    return data


def url(review):
    return reverse("moderation:review", args=[review.pk])


def test_moderator_sees_the_audit_beside_the_controls_and_the_view_is_logged(
    client, org, review, moderator
):
    SocialWorkerReply.objects.create(
        audit=review.audit,
        author=org.users["no_role"],
        stance="disagree",
        text="The plan was updated last week.",
    )
    client.force_login(moderator)
    response = client.get(url(review))
    assert response.status_code == 200
    html = response.content.decode()
    visits = domains(review)["Visits"]
    assert f'id="domain-{visits}"' in html
    assert f'id="domain-{visits}-rationale"' in html
    assert 'id="moderated_grade"' in html
    assert 'id="reasons"' in html
    assert "Agree: Good" in html
    assert "Good practice in Visits." in html  # the descriptors
    assert "(the auditor's grade)" in html
    assert "Visits are regular and purposeful" in html  # the evidence
    assert "The plan was updated last week." in html  # the social worker's reply
    assert 'name="lock_version" value="0"' in html
    assert AuditEvent.objects.filter(
        audit=review.audit, user=moderator, kind=AuditEventKind.VIEWED
    ).exists()


def test_the_auditors_answers_are_shown_in_words(client, org, panel, moderator):
    template = make_template(domains=("Visits", "Assessments"), family="cja-questions")
    audit = accepted_audit(org, template, G)
    review = panel_add_audit(panel=panel, audit=audit, user=moderator, moderator=moderator)
    client.force_login(moderator)
    html = client.get(url(review)).content.decode()
    assert "Is the child&#x27;s plan up to date?" in html
    assert re.search(r"How many visits in the last 3 months\?</dt>\s*<dd[^>]*>\s*3\s*<", html)
    assert re.search(r"Which tools were used\?</dt>\s*<dd[^>]*>\s*Genogram\s*<", html)
    assert re.search(r"plan up to date\?</dt>\s*<dd[^>]*>\s*Yes\s*<", html)
    assert "Seen on the file." in html


def test_the_agree_option_is_selected_by_default(client, review, moderator):
    client.force_login(moderator)
    html = client.get(url(review)).content.decode()
    visits = domains(review)["Visits"]
    start = html.index(f'id="domain-{visits}"')
    assert "checked" in html[start : html.index(">", start)]


def test_wrong_method_is_refused(client, review, moderator):
    client.force_login(moderator)
    assert client.delete(url(review)).status_code == 405
    assert client.put(url(review)).status_code == 405


@pytest.mark.parametrize("who", ["auditor", "no_role", "head_of_service", "leader"])
def test_people_without_the_review_get_404(client, org, review, who):
    client.force_login(org.users[who])
    assert client.get(url(review)).status_code == 404
    assert client.post(url(review), post_data(review)).status_code == 404


def test_another_moderator_cannot_open_it(client, review):
    client.force_login(UserFactory(roles=[Role.MODERATOR]))
    assert client.get(url(review)).status_code == 404


def test_save_keeps_the_regrade_in_progress(client, review, moderator):
    client.force_login(moderator)
    response = client.post(
        url(review),
        post_data(review, overall=RI, rationale="Drift in visits", Visits=(RI, "Visits lapsed")),
    )
    assert response.status_code == 302
    assert response.url == url(review)
    review.refresh_from_db()
    assert review.status == ReviewStatus.IN_PROGRESS
    assert review.moderated_grade == RI
    row = review.domain_grades.get(domain__name="Visits")
    assert (row.moderated_grade, row.rationale) == (RI, "Visits lapsed")


def test_mark_done_without_a_rationale_shows_the_services_message(client, review, moderator):
    client.force_login(moderator)
    response = client.post(
        url(review), post_data(review, action="done", Visits=(RI, ""), reasons=["poor_recording"])
    )
    assert response.status_code == 200
    html = response.content.decode()
    visits = domains(review)["Visits"]
    message = RATIONALE_NEEDED.format(what="Visits")
    assert f'<a href="#domain-{visits}-rationale">{message}</a>' in html
    assert html.count(message) == 2  # in the summary and beside the field
    assert "<title>\n      Error:" in html
    review.refresh_from_db()
    assert review.status != ReviewStatus.FINAL
    assert mail.outbox == []


def test_an_upgrade_needs_a_rationale_as_much_as_a_downgrade(client, review, moderator):
    client.force_login(moderator)
    response = client.post(
        url(review),
        post_data(review, action="done", overall=Grade.OUTSTANDING, Visits=(Grade.OUTSTANDING, "")),
    )
    assert response.status_code == 200
    html = response.content.decode()
    visits = domains(review)["Visits"]
    overall = RATIONALE_NEEDED.format(what="the overall grade")
    domain = RATIONALE_NEEDED.format(what="Visits")
    assert f'<a href="#rationale">{overall}</a>' in html
    assert f'<a href="#domain-{visits}-rationale">{domain}</a>' in html
    review.refresh_from_db()
    assert review.status != ReviewStatus.FINAL
    assert mail.outbox == []


def test_a_refused_mark_as_done_keeps_the_draft_and_says_so(client, review, moderator):
    """What the moderator typed is saved (nothing is lost), the page says it is saved but
    not done, and lists what stops it being done."""
    client.force_login(moderator)
    response = client.post(
        url(review),
        post_data(
            review,
            action="done",
            overall=RI,
            feedback="Check the plan's review date.",
            Visits=(RI, "Visits lapsed in March"),
        ),
    )
    assert response.status_code == 200
    html = response.content.decode()
    reference = review.audit.child.case_reference
    assert REVIEW_SAVED_NOT_DONE.format(reference=reference) in html
    assert REVIEW_DONE.format(reference=reference) not in html
    assert f'<a href="#rationale">{RATIONALE_NEEDED.format(what="the overall grade")}</a>' in html
    review.refresh_from_db()
    assert review.status == ReviewStatus.IN_PROGRESS
    assert (review.moderated_grade, review.feedback) == (RI, "Check the plan's review date.")
    row = review.domain_grades.get(domain__name="Visits")
    assert (row.moderated_grade, row.rationale) == (RI, "Visits lapsed in March")
    assert f'name="lock_version" value="{review.lock_version}"' in html
    assert mail.outbox == []


def test_saving_without_marking_done_does_not_say_not_done(client, review, moderator):
    client.force_login(moderator)
    response = client.post(url(review), post_data(review, overall=RI), follow=True)
    html = response.content.decode()
    reference = review.audit.child.case_reference
    assert REVIEW_SAVED.format(reference=reference) in html
    assert REVIEW_SAVED_NOT_DONE.format(reference=reference) not in html


@pytest.mark.parametrize("field", ["rationale", "feedback", "Visits"])
def test_a_megabyte_of_text_is_refused_and_nothing_saved(client, review, moderator, field):
    client.force_login(moderator)
    if field == "Visits":
        data = post_data(review, Visits=(RI, "x" * 1_000_000))
        name = f"domain-{domains(review)['Visits']}-rationale"
        message = "The rationale for Visits must be 20,000 characters or fewer"
    else:
        data = post_data(review, **{field: "x" * 1_000_000})
        name = field
        message = {
            "rationale": "The rationale for the overall grade must be 20,000 characters or fewer",
            "feedback": "The feedback for the auditor must be 20,000 characters or fewer",
        }[field]
    response = client.post(url(review), data)
    assert response.status_code == 200
    assert f'<a href="#{name}">{message}</a>' in response.content.decode()
    review.refresh_from_db()
    assert (review.status, review.lock_version) == (ReviewStatus.ASSIGNED, 0)


def test_a_downgrade_needs_a_reason(client, review, moderator):
    client.force_login(moderator)
    response = client.post(
        url(review), post_data(review, action="done", overall=RI, rationale="Plans are out of date")
    )
    html = response.content.decode()
    assert f'<a href="#reasons">{REASON_NEEDED}</a>' in html
    review.refresh_from_db()
    assert review.status == ReviewStatus.IN_PROGRESS


def test_an_invalid_grade_is_refused_with_a_specific_message(client, review, moderator):
    client.force_login(moderator)
    data = post_data(review)
    data[f"domain-{domains(review)['Visits']}"] = "excellent"
    response = client.post(url(review), data)
    assert "Choose the grade after moderation for Visits" in response.content.decode()
    review.refresh_from_db()
    assert review.status == ReviewStatus.ASSIGNED
    assert review.lock_version == 0


def test_mark_done_finalises_and_the_auditor_is_told(
    client, org, review, moderator, django_capture_on_commit_callbacks
):
    client.force_login(moderator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url(review),
            post_data(
                review,
                action="done",
                overall=RI,
                rationale="Plans are out of date",
                feedback="Check the plan's review date.",
                reasons=["outdated_plan"],
                Visits=(RI, "Visits lapsed in March"),
            ),
        )
    assert response.status_code == 302
    assert response.url == reverse("moderation:panel_detail", args=[review.panel_id])
    review.refresh_from_db()
    assert review.status == ReviewStatus.FINAL
    assert review.outcome == "downgraded"
    assert [m.to for m in mail.outbox] == [[org.users["auditor"].email]]
    page = client.get(response.url).content.decode()
    assert REVIEW_DONE.format(reference=review.audit.child.case_reference) in page


def test_a_final_review_is_read_only_and_cannot_be_saved(client, org, template, panel, moderator):
    review = moderate(accepted_audit(org, template, G), panel, moderator, G)
    client.force_login(moderator)
    html = client.get(url(review)).content.decode()
    assert "Mark as done" not in html
    assert 'name="lock_version"' not in html
    assert "This review is final" in html
    version = review.lock_version
    response = client.post(url(review), post_data(review, overall=RI, rationale="Changed"))
    assert response.status_code == 200
    assert REVIEW_FINAL in response.content.decode()
    review.refresh_from_db()
    assert (review.status, review.moderated_grade, review.lock_version) == (
        ReviewStatus.FINAL,
        G,
        version,
    )


def test_only_the_qa_lead_unlocks_and_must_give_a_reason(client, org, template, panel, moderator):
    review = moderate(accepted_audit(org, template, G), panel, moderator, G)
    unlock = reverse("moderation:review_unlock", args=[review.pk])
    client.force_login(moderator)
    assert 'action="' + unlock not in client.get(url(review)).content.decode()
    assert client.post(unlock, {"reason": "Wrong grade"}).status_code == 403
    client.force_login(org.users["qa_lead"])
    assert client.get(unlock).status_code == 405
    response = client.post(unlock, {"reason": "  "})
    html = response.content.decode()
    assert f'<a href="#id_reason">{UNLOCK_REASON_NEEDED}</a>' in html
    review.refresh_from_db()
    assert review.status == ReviewStatus.FINAL
    response = client.post(unlock, {"reason": "The auditor sent more evidence"})
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.status == ReviewStatus.IN_PROGRESS
    assert review.events.filter(kind="unlocked", reason="The auditor sent more evidence").exists()


def test_two_people_saving_at_once_loses_nothing(client, org, review, moderator):
    """The moderator and the QA Lead open the same review; the QA Lead saves first. The
    moderator's save is refused with the message, shows what the QA Lead saved, and
    keeps the moderator's typed values in the form; nothing of theirs is written."""
    qa_lead = org.users["qa_lead"]
    client.force_login(moderator)
    assert 'name="lock_version" value="0"' in client.get(url(review)).content.decode()
    opened = ModerationReview.objects.get(pk=review.pk)  # both hold version 0

    client.force_login(qa_lead)
    first = client.post(
        url(review),
        post_data(opened, overall=G, feedback="QA Lead's note on the plan"),
    )
    assert first.status_code == 302

    client.force_login(moderator)
    second = client.post(
        url(review),
        post_data(
            opened,
            overall=RI,
            rationale="My typed rationale about drift",
            feedback="My typed feedback",
            Visits=(RI, "My typed visits rationale"),
        ),
    )
    assert second.status_code == 409
    html = second.content.decode()
    assert REVIEW_EDITED_ELSEWHERE in html
    assert '<a href="#saved-elsewhere">' in html
    assert "QA Lead&#x27;s note on the plan" in html  # the other person's saved values
    assert "My typed rationale about drift</textarea>" in html  # the user's values kept
    assert "My typed visits rationale</textarea>" in html
    assert "My typed feedback</textarea>" in html
    assert 'name="lock_version" value="1"' in html  # resubmitting applies them on purpose
    review.refresh_from_db()
    assert review.moderated_grade == G
    assert review.feedback == "QA Lead's note on the plan"
    assert review.rationale == ""
    assert review.domain_grades.get(domain__name="Visits").rationale == ""


def test_after_a_conflict_resubmitting_saves_the_users_values(client, org, review, moderator):
    client.force_login(org.users["qa_lead"])
    client.post(url(review), post_data(review, feedback="Lead"))
    client.force_login(moderator)
    stale = post_data(review, feedback="Mine")
    assert client.post(url(review), stale).status_code == 409
    stale["lock_version"] = 1
    assert client.post(url(review), stale).status_code == 302
    review.refresh_from_db()
    assert review.feedback == "Mine"


def test_the_qa_lead_can_regrade_any_review(client, org, review):
    client.force_login(org.users["qa_lead"])
    assert client.post(url(review), post_data(review, feedback="Seen")).status_code == 302


# Feedback ------------------------------------------------------------------------------


def test_the_auditor_reads_the_feedback_once_final(client, org, template, panel, moderator):
    audit = accepted_audit(org, template, G)
    review = panel_add_audit(panel=panel, audit=audit, user=moderator, moderator=moderator)
    feedback = reverse("moderation:feedback", args=[review.pk])
    client.force_login(org.users["auditor"])
    assert client.get(feedback).status_code == 404
    review = moderate_existing(review, moderator)
    response = client.get(feedback)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Downgraded" in html
    assert "Visits lapsed in March" in html
    assert "Look again at the visiting pattern." in html
    assert AuditEvent.objects.filter(
        audit=audit, user=org.users["auditor"], kind=AuditEventKind.VIEWED
    ).exists()
    assert client.post(feedback).status_code == 405
    listing = client.get(reverse("moderation:my_feedback")).content.decode()
    assert feedback in listing


def moderate_existing(review, moderator):
    from moderation.services import review_finalise, review_save

    visits = domains(review)["Visits"]
    rows = dict.fromkeys(domains(review).values(), (G, ""))
    rows[visits] = (RI, "Visits lapsed in March")
    review = review_save(
        review=review,
        user=moderator,
        moderated_grade=RI,
        rationale="Drift",
        feedback="Look again at the visiting pattern.",
        domain_grades=rows,
        reasons=["statutory_timescales"],
    )
    return review_finalise(review=review, user=moderator)


@pytest.mark.parametrize("who", ["moderator", "qa_lead"])
def test_only_the_auditor_reads_the_feedback_page(client, org, template, panel, moderator, who):
    review = moderate(accepted_audit(org, template, G), panel, moderator, G)
    client.force_login(org.users[who])
    assert client.get(reverse("moderation:feedback", args=[review.pk])).status_code == 403


def test_my_feedback_lists_only_my_final_reviews(client, org, template, panel, moderator):
    mine = moderate(accepted_audit(org, template, G), panel, moderator, G)
    other = moderate(
        accepted_audit(org, template, G, auditor=org.users["moderator"]),
        panel,
        org.users["qa_lead"],
        G,
    )
    client.force_login(org.users["auditor"])
    html = client.get(reverse("moderation:my_feedback")).content.decode()
    assert reverse("moderation:feedback", args=[mine.pk]) in html
    assert reverse("moderation:feedback", args=[other.pk]) not in html
    client.force_login(org.users["ambassador"])
    assert (
        client.get(reverse("moderation:my_feedback")).status_code == 404
    )  # an Ambassador finds no page but their reviews
