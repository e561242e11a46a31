"""The Ambassadors' pages: the QA Lead's sample screen, the Ambassador's home and
review of an anonymised audit, and 404 for an Ambassador everywhere else.

Kayden Marsh's audit is written the way real files are: his name, his mum's and his
worker's, his school, postcode, phone, email, date of birth and case reference all turn
up inside the evidence. None of it may reach the Ambassador."""

import base64
import datetime
import random

import pytest
from django.urls import reverse

from audits.models import AuditEvent, DomainGrading, ProposedAction
from feedback.models import AmbassadorReview, ReviewStatus
from feedback.services import ambassadors as services
from tests.factories import PASSWORD, UserFactory
from tests.qa_audit.urlwalk import address, walk

from .conftest import give, make_audit

pytestmark = pytest.mark.django_db

MAY = datetime.date(2026, 5, 1)
SECRET_TEXT = (
    "Kayden Marsh (NC-4471) lives with his mum Tracy Marsh at 12 Elm Road, LS6 2AB. "
    "Kayden told {worker} he loves football at Oakfield Primary. Call 07700 900123 or "
    "tracy.marsh@example.com. Born 14/03/2014; seen on 3 March 2026 by {worker_first}. "
    "Grandad Derek Hollis helps. {manager} signed it off."
)


@pytest.fixture
def review(org):
    # Names no other person in the fixture can have, so a match on the page is a leak.
    for key, first, last in (
        ("no_role", "Marisol", "Vandermeer"),
        ("team_manager", "Ottoline", "Quennell"),
        ("auditor", "Barnaby", "Fothergill"),
    ):
        person = org.users[key]
        person.first_name, person.last_name = first, last
        person.save(update_fields=["first_name", "last_name"])
    worker = org.users["no_role"]
    audit = make_audit(org.team_a, org.users["auditor"], month_override=MAY)
    child = audit.child
    child.case_reference = "NC-4471"
    child.social_worker = worker
    child.date_of_birth = datetime.date(2014, 3, 14)
    child.save()
    text = SECRET_TEXT.format(
        worker=worker.get_full_name(),
        worker_first=worker.first_name,
        manager=org.users["team_manager"].get_full_name(),
    )
    DomainGrading.objects.filter(audit=audit).update(evidence=text)
    audit.answers.update(comment=text)
    audit.strengths = text
    audit.overall_rationale = f"{org.users['auditor'].get_full_name()} found: {text}"
    audit.save()
    ProposedAction.objects.create(audit=audit, text=f"Tracy to meet {worker.first_name}")
    give(audit, comments="Kayden said Mrs Marsh and Derek were kind.")
    result = services.ambassador_sample_draw(
        month=MAY,
        how_chosen="number",
        amount=1,
        ambassadors=[org.users["ambassador"]],
        user=org.users["qa_lead"],
        today=datetime.date(2026, 6, 1),
        rng=random.Random(1),
    )
    review = result.reviews[0]
    services.ambassador_review_set_hidden(
        review=review,
        names="Kayden Marsh\nTracy Marsh\nDerek Hollis",
        places="Oakfield Primary\nElm Road",
        user=org.users["qa_lead"],
    )
    return review


def forbidden_words(org, review):
    worker, manager, auditor = (org.users[k] for k in ("no_role", "team_manager", "auditor"))
    return [
        "Kayden",
        "Marsh",
        "Tracy",
        "Derek",
        "Hollis",
        "NC-4471",
        "Oakfield",
        "Elm Road",
        "LS6 2AB",
        "07700 900123",
        "tracy.marsh@example.com",
        "14/03/2014",
        "2014-03-14",
        "3 March 2026",
        worker.first_name,
        worker.last_name,
        manager.first_name,
        manager.last_name,
        auditor.first_name,
        auditor.last_name,
        "Family Support North",
        "Safeguarding",
    ]


def test_the_anonymised_view_holds_no_name_reference_date_or_place(client, org, review):
    client.force_login(org.users["ambassador"])
    response = client.get(reverse("feedback:ambassador_review", args=[review.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    present = [word for word in forbidden_words(org, review) if word in html]
    assert present == []
    # The masked evidence itself is shown.
    assert "[name] ([reference]) lives with his mum [name] at 12 [place], [postcode]" in html
    assert "[phone number]" in html and "[email]" in html and "[date]" in html
    assert "loves football" in html


def test_without_the_listed_names_the_workers_and_patterns_are_still_masked(client, org, review):
    AmbassadorReview.objects.filter(pk=review.pk).update(hidden_names="", hidden_places="")
    client.force_login(org.users["ambassador"])
    html = client.get(reverse("feedback:ambassador_review", args=[review.pk])).content.decode()
    worker = org.users["no_role"]
    for word in (worker.first_name, worker.last_name, "NC-4471", "LS6 2AB", "14/03/2014"):
        assert word not in html


def test_viewing_the_review_is_logged_on_the_audit(client, org, review):
    client.force_login(org.users["ambassador"])
    client.get(reverse("feedback:ambassador_review", args=[review.pk]))
    event = AuditEvent.objects.get(audit=review.audit, user=org.users["ambassador"])
    assert (event.kind, event.note) == ("viewed", "Ambassador's review (anonymised)")


def test_the_ambassadors_home_lists_only_their_open_reviews(client, org, review):
    client.force_login(org.users["ambassador"])
    html = client.get(reverse("home")).content.decode()
    assert reverse("feedback:ambassador_review", args=[review.pk]) in html
    assert "Audits to review" in html
    # what they are here for, then one section of work: their reviews
    assert html.count("govuk-heading-m") == 2 and "What you do here" in html


def test_an_ambassador_completes_a_review(client, org, review):
    client.force_login(org.users["ambassador"])
    url = reverse("feedback:ambassador_review", args=[review.pk])
    data = {
        "relationship": "yes",
        "summary": "partly",
        "views": "no",
        "likes": "yes",
        "language": "partly",
        "views_comments": "No direct work.",
    }
    response = client.post(url, data)
    assert response.status_code == 302 and response["Location"] == reverse("home")
    review.refresh_from_db()
    assert review.status == ReviewStatus.SUBMITTED and review.views_comments == "No direct work."
    # Submitted, it leaves the home page and can no longer be opened.
    home = client.get(reverse("home")).content.decode()
    assert url not in home
    assert "You have no audits to review. Thank you for your reviews." in home
    assert client.get(url).status_code == 404


def test_an_ambassador_who_has_not_reviewed_is_told_what_comes_next(client, org):
    client.force_login(org.users["ambassador"])
    html = client.get(reverse("home")).content.decode()
    assert (
        "You have no audits to review. The QA Lead draws a sample each month and you will "
        "get an email when there are audits for you."
    ) in html
    assert "Thank you for your reviews" not in html


def test_a_missing_answer_is_named_and_nothing_is_saved(client, org, review):
    client.force_login(org.users["ambassador"])
    url = reverse("feedback:ambassador_review", args=[review.pk])
    response = client.post(url, {"relationship": "yes", "likes_comments": "x" * 2001})
    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html
    assert "Select yes, partly or no: Is the case summary about the child" in html
    assert "Your comments must be 2,000 characters or fewer" in html
    assert AmbassadorReview.objects.get(pk=review.pk).status == ReviewStatus.OPEN


@pytest.mark.parametrize("person", ["qa_lead", "auditor", "leader", "other_ambassador"])
def test_nobody_but_its_ambassador_opens_the_review(client, org, review, person):
    user = UserFactory(roles=["ambassador"]) if person == "other_ambassador" else org.users[person]
    client.force_login(user)
    assert client.get(reverse("feedback:ambassador_review", args=[review.pk])).status_code == 404


def test_an_ambassador_gets_404_on_every_other_page_and_api(client, org, review):
    client.force_login(org.users["ambassador"])
    allowed = {"home", "feedback:ambassador_review", "accounts:logout", "accounts:login"}
    # Public pages, and the health probe answered before anyone is signed in.
    allowed |= {"accessibility", "privacy", "health"}
    opened = []
    for pattern in walk():
        if pattern.name in allowed:
            continue
        path = address(pattern, lambda name: review.pk if name != "format" else "json")
        response = client.get(path)
        opened.append(path)
        assert response.status_code == 404, path
    assert len(opened) > 300


def test_an_ambassador_signing_in_to_the_api_gets_404(client, org):
    token = base64.b64encode(f"{org.users['ambassador'].email}:{PASSWORD}".encode()).decode()
    response = client.get(reverse("audit-list"), HTTP_AUTHORIZATION=f"Basic {token}")
    assert response.status_code == 404


def test_the_qa_lead_draws_a_sample_on_the_sample_screen(client, org):
    for _ in range(3):
        make_audit(org.team_a, org.users["auditor"], month_override=MAY)
    client.force_login(org.users["qa_lead"])
    url = reverse("feedback:ambassador_samples")
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "month": "2026-05-01",
            "how_chosen": "number",
            "amount": "5",
            "ambassadors": [org.users["ambassador"].pk],
        },
        follow=True,
    )
    html = response.content.decode()
    assert "3 audits drawn for the Ambassadors." in html
    assert "Only 3 accepted audits of May 2026 could be drawn" in html
    assert AmbassadorReview.objects.count() == 3


def test_a_bad_draw_is_explained_and_draws_nothing(client, org):
    client.force_login(org.users["qa_lead"])
    response = client.post(
        reverse("feedback:ambassador_samples"),
        {"month": "1999-01-01", "how_chosen": "share", "amount": "x", "ambassadors": ["999"]},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Select a month from the list" in html
    assert "Enter how many audits, or the share as a percentage" in html
    assert services.SAMPLE_NEEDS_AMBASSADOR in html
    assert not AmbassadorReview.objects.exists()


def test_the_sample_screen_shows_results_per_question(client, org, review):
    services.ambassador_review_submit(
        review=review,
        answers=dict.fromkeys(services.QUESTION_NAMES, "yes"),
        user=org.users["ambassador"],
    )
    client.force_login(org.users["qa_lead"])
    html = client.get(reverse("feedback:ambassador_samples")).content.decode()
    assert "Is there a good relationship between the worker and the child?" in html
    assert "May 2026" in html
    assert "No Ambassador has sent a review" not in html


def test_without_samples_or_answers_the_sample_screen_says_what_comes_next(client, org):
    client.force_login(org.users["qa_lead"])
    html = client.get(reverse("feedback:ambassador_samples")).content.decode()
    assert "No sample has been drawn yet. Draw a sample above once a month has accepted" in html
    assert "No Ambassador has sent a review in the last 12 months." in html
    assert "Is there a good relationship between the worker and the child?" not in html


def test_the_qa_lead_lists_names_to_hide(client, org, review):
    client.force_login(org.users["qa_lead"])
    url = reverse("feedback:ambassador_hide", args=[review.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"names": "Jo Bloggs", "places": "x" * 2001})
    assert response.status_code == 400
    assert services.HIDDEN_TOO_LONG in response.content.decode()
    response = client.post(url, {"names": "Jo Bloggs", "places": ""})
    assert response.status_code == 302
    assert AmbassadorReview.objects.get(pk=review.pk).hidden_names == "Jo Bloggs"


@pytest.mark.parametrize("person", ["auditor", "leader", "head_of_service", "team_manager"])
def test_the_sample_screens_are_the_qa_leads(client, org, review, person):
    client.force_login(org.users[person])
    for url in (
        reverse("feedback:ambassador_samples"),
        reverse("feedback:ambassador_sample", args=[review.sample_id]),
        reverse("feedback:ambassador_hide", args=[review.pk]),
    ):
        assert client.get(url).status_code == 403


def test_an_ambassadors_post_elsewhere_is_404_and_changes_nothing(client, org, review):
    from feedback.models import QuoteTheme

    client.force_login(org.users["ambassador"])
    themes = QuoteTheme.objects.count()
    response = client.post(reverse("feedback:themes"), {"name": "Sneaky"})
    assert response.status_code == 404
    assert QuoteTheme.objects.count() == themes


def test_an_ambassador_with_another_role_keeps_that_roles_pages(client, org, review):
    from accounts.models import Role, UserRole

    UserRole.objects.create(user=org.users["qa_lead"], role=Role.AMBASSADOR)
    client.force_login(org.users["qa_lead"])
    assert client.get(reverse("feedback:ambassador_samples")).status_code == 200


def test_opening_the_sample_logs_a_view_of_each_audit(client, org, review):
    client.force_login(org.users["qa_lead"])
    response = client.get(reverse("feedback:ambassador_sample", args=[review.sample_id]))
    assert response.status_code == 200
    assert "NC-4471" in response.content.decode()  # the QA Lead sees the case
    event = AuditEvent.objects.get(audit=review.audit, user=org.users["qa_lead"])
    assert event.note == "Ambassadors' sample"


def test_the_feedback_overview_leads_the_qa_lead_to_the_reviews(client, org):
    client.force_login(org.users["qa_lead"])
    html = client.get(reverse("feedback:overview")).content.decode()
    assert reverse("feedback:ambassador_samples") in html
    client.force_login(org.users["leader"])
    html = client.get(reverse("feedback:overview")).content.decode()
    assert reverse("feedback:ambassador_samples") not in html


def test_the_qa_lead_gives_an_open_review_to_another_ambassador(client, org, review):
    other = UserFactory(roles=["ambassador"])
    client.force_login(org.users["qa_lead"])
    url = reverse("feedback:ambassador_sample", args=[review.sample_id])
    response = client.post(url, {"review": review.pk, "ambassador": other.pk})
    assert response.status_code == 302
    assert AmbassadorReview.objects.get(pk=review.pk).ambassador == other
    # The first Ambassador no longer sees it.
    client.force_login(org.users["ambassador"])
    assert client.get(reverse("feedback:ambassador_review", args=[review.pk])).status_code == 404


@pytest.mark.parametrize(
    "data, message",
    [
        ({"review": "99999999999999999999999", "ambassador": "1"}, "Select a review"),
        ({"review": "x", "ambassador": "1"}, "Select a review"),
        ({"ambassador": "1"}, "Select a review"),
        ({"review": "REVIEW", "ambassador": "99999999999999999999999"}, "Select an Ambassador"),
        ({"review": "REVIEW", "ambassador": "AUDITOR"}, "Select an Ambassador"),
    ],
)
def test_a_bad_reassignment_is_refused_with_a_message(client, org, review, data, message):
    data = {
        k: {"REVIEW": review.pk, "AUDITOR": org.users["auditor"].pk}.get(v, v)
        for k, v in data.items()
    }
    client.force_login(org.users["qa_lead"])
    response = client.post(reverse("feedback:ambassador_sample", args=[review.sample_id]), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert AmbassadorReview.objects.get(pk=review.pk).ambassador == org.users["ambassador"]


def test_a_submitted_review_is_not_given_to_anyone_else(org, review):
    services.ambassador_review_submit(
        review=review,
        answers=dict.fromkeys(services.QUESTION_NAMES, "yes"),
        user=org.users["ambassador"],
    )
    with pytest.raises(services.ValidationError):
        services.ambassador_review_reassign(
            review=review,
            ambassador=UserFactory(roles=["ambassador"]),
            user=org.users["qa_lead"],
        )


def test_absurd_ambassador_ids_in_the_draw_are_refused_with_a_message(client, org):
    client.force_login(org.users["qa_lead"])
    response = client.post(
        reverse("feedback:ambassador_samples"),
        {
            "month": "2026-05-01",
            "how_chosen": "number",
            "amount": "2",
            "ambassadors": ["99999999999999999999999"],
        },
    )
    assert response.status_code == 400
    assert services.SAMPLE_NEEDS_AMBASSADOR in response.content.decode()
