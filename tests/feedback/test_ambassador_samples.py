"""Drawing the Ambassadors' monthly sample, and the Ambassador's answers."""

import datetime
import random

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import Role
from audits.models import AuditStatus
from feedback.models import AmbassadorReview, AmbassadorSample, HowChosen, ReviewStatus
from feedback.selectors.ambassadors import ambassador_results
from feedback.services import ambassadors as services
from tests.factories import UserFactory

from .conftest import make_audit

pytestmark = pytest.mark.django_db

MAY = datetime.date(2026, 5, 1)
TODAY = datetime.date(2026, 6, 10)
ANSWERS = {
    "relationship": "yes",
    "summary": "partly",
    "views": "no",
    "likes": "yes",
    "language": "yes",
    "views_comments": "No direct work seen.",
}


def accepted(org, month=MAY, n=1, **kwargs):
    return [
        make_audit(org.team_a, org.users["auditor"], month_override=month, **kwargs)
        for _ in range(n)
    ]


def draw(org, month=MAY, how=HowChosen.NUMBER, amount=2, ambassadors=None, **kwargs):
    return services.ambassador_sample_draw(
        month=month,
        how_chosen=how,
        amount=amount,
        ambassadors=ambassadors or [org.users["ambassador"]],
        user=org.users["qa_lead"],
        today=TODAY,
        rng=random.Random(7),
        **kwargs,
    )


def test_the_sample_is_drawn_from_the_months_accepted_audits_only(org):
    audits = accepted(org, n=3)
    accepted(org, month=datetime.date(2026, 4, 1))
    make_audit(org.team_a, org.users["auditor"], month_override=MAY, status=AuditStatus.SUBMITTED)
    result = draw(org, amount=10)
    assert {r.audit_id for r in result.reviews} == {a.pk for a in audits}
    assert result.sample.available == 3
    assert result.messages == [
        "Only 3 accepted audits of May 2026 could be drawn, so the sample holds all of them"
    ]
    assert all(r.ambassador == org.users["ambassador"] for r in result.reviews)
    assert all(r.status == ReviewStatus.OPEN and r.month == MAY for r in result.reviews)


def test_asking_for_fewer_than_available_draws_that_many_without_a_message(org):
    accepted(org, n=4)
    result = draw(org, amount=3)
    assert len(result.reviews) == 3
    assert result.messages == []


def test_the_draw_is_random(org):
    accepted(org, n=6)
    first = draw(org, amount=2)
    picked = {r.audit_id for r in first.reviews}
    first.sample.delete()
    seen = set()
    for seed in range(8):
        result = services.ambassador_sample_draw(
            month=MAY,
            how_chosen=HowChosen.NUMBER,
            amount=2,
            ambassadors=[org.users["ambassador"]],
            user=org.users["qa_lead"],
            today=TODAY,
            rng=random.Random(seed),
        )
        seen.add(frozenset(r.audit_id for r in result.reviews))
        result.sample.delete()
    assert len(seen) > 1
    assert picked


@pytest.mark.parametrize(
    "available, percent, expected",
    [(10, 25, 3), (10, 24, 2), (10, 15, 2), (10, 14, 1), (3, 10, 1), (10, 100, 10), (0, 50, 0)],
)
def test_a_share_rounds_to_the_nearest_audit_halves_up_and_never_to_none(
    available, percent, expected
):
    assert services.share_count(available, percent) == expected


def test_a_share_draws_its_rounded_count(org):
    accepted(org, n=6)
    result = draw(org, how=HowChosen.SHARE, amount=25)  # 1.5 rounds to 2
    assert len(result.reviews) == 2
    assert result.sample.how_chosen == HowChosen.SHARE and result.sample.amount == 25


def audit_of(org, child, month=MAY):
    audit = make_audit(org.team_a, org.users["auditor"], month_override=month)
    audit.child = child
    audit.save()
    return audit


def previous_review(org, child, month):
    sample = AmbassadorSample.objects.create(month=month, how_chosen="number", amount=1)
    (earlier,) = accepted(org, month=month)
    earlier.child = child
    earlier.save()
    AmbassadorReview.objects.create(
        sample=sample, audit=earlier, child=child, month=month, ambassador=org.users["ambassador"]
    )


def test_a_child_reviewed_exactly_12_months_before_may_be_drawn_again(org):
    audit = accepted(org)[0]
    previous_review(org, audit.child, datetime.date(2025, 5, 1))
    result = draw(org, amount=5)
    assert [r.audit_id for r in result.reviews] == [audit.pk]


def test_a_child_reviewed_11_months_before_is_not_drawn(org):
    audit = accepted(org)[0]
    previous_review(org, audit.child, datetime.date(2025, 6, 1))
    with pytest.raises(ValidationError) as error:
        draw(org, amount=5)
    assert error.value.message_dict["month"] == [
        services.SAMPLE_NONE_AVAILABLE.format(month="May 2026")
    ]
    assert not AmbassadorSample.objects.filter(month=MAY).exists()


def test_a_child_in_a_later_sample_within_12_months_is_not_drawn_for_an_earlier_month(org):
    audit = accepted(org)[0]
    previous_review(org, audit.child, datetime.date(2026, 6, 1))
    with pytest.raises(ValidationError):
        draw(org, amount=5)


def test_a_child_with_two_accepted_audits_in_the_month_is_drawn_once(org):
    first = accepted(org)[0]
    second = accepted(org)[0]
    second.child = first.child
    second.save()
    result = draw(org, amount=5)
    assert len(result.reviews) == 1
    assert result.sample.available == 1


def test_audits_are_shared_among_the_ambassadors_in_turn(org):
    accepted(org, n=4)
    other = UserFactory(roles=[Role.AMBASSADOR])
    result = draw(org, amount=4, ambassadors=[org.users["ambassador"], other])
    counts = {}
    for review in result.reviews:
        counts[review.ambassador_id] = counts.get(review.ambassador_id, 0) + 1
    assert counts == {org.users["ambassador"].pk: 2, other.pk: 2}


@pytest.mark.parametrize(
    "kwargs, field, message",
    [
        ({"amount": 0}, "amount", services.SAMPLE_NUMBER_INVALID),
        ({"amount": 101}, "amount", services.SAMPLE_NUMBER_INVALID),
        ({"how": HowChosen.SHARE, "amount": 101}, "amount", services.SAMPLE_SHARE_INVALID),
        ({"how": "all"}, "how_chosen", "Select a number of audits or a share"),
        ({"month": datetime.date(2026, 7, 1)}, "month", services.SAMPLE_MONTH_FUTURE),
    ],
)
def test_bad_requests_are_refused_with_a_message_and_draw_nothing(org, kwargs, field, message):
    accepted(org, n=2)
    with pytest.raises(ValidationError) as error:
        draw(org, **kwargs)
    assert error.value.message_dict[field] == [message]
    assert not AmbassadorSample.objects.exists()


def test_this_month_may_be_sampled(org):
    accepted(org, month=datetime.date(2026, 6, 1))
    assert len(draw(org, month=datetime.date(2026, 6, 1)).reviews) == 1


def test_a_month_is_sampled_once(org):
    accepted(org, n=3)
    draw(org, amount=1)
    with pytest.raises(ValidationError) as error:
        draw(org, amount=1)
    assert error.value.message_dict["month"] == [
        "May 2026 already has a sample for the Ambassadors"
    ]


def test_only_ambassadors_review(org):
    accepted(org)
    with pytest.raises(ValidationError) as error:
        draw(org, ambassadors=[org.users["auditor"]])
    assert "is not an Ambassador" in error.value.message_dict["ambassadors"][0]


@pytest.mark.parametrize("person", ["auditor", "leader", "ambassador", "head_of_service"])
def test_only_the_qa_lead_draws(org, person):
    accepted(org)
    with pytest.raises(PermissionDenied):
        services.ambassador_sample_draw(
            month=MAY,
            how_chosen=HowChosen.NUMBER,
            amount=1,
            ambassadors=[org.users["ambassador"]],
            user=org.users[person],
            today=TODAY,
        )


# The Ambassador's answers ----------------------------------------------------------


@pytest.fixture
def review(org):
    accepted(org)
    return draw(org, amount=1).reviews[0]


def test_the_ambassador_submits_every_answer_once(org, review):
    done = services.ambassador_review_submit(
        review=review, answers=ANSWERS, user=org.users["ambassador"]
    )
    assert done.status == ReviewStatus.SUBMITTED and done.submitted_at is not None
    assert (done.relationship, done.summary, done.views) == ("yes", "partly", "no")
    assert done.views_comments == "No direct work seen."
    with pytest.raises(ValidationError) as error:
        services.ambassador_review_submit(
            review=review, answers={**ANSWERS, "views": "yes"}, user=org.users["ambassador"]
        )
    assert error.value.messages == [services.REVIEW_NOT_OPEN]
    assert AmbassadorReview.objects.get(pk=review.pk).views == "no"


@pytest.mark.parametrize("missing", ["relationship", "summary", "views", "likes", "language"])
def test_every_question_must_be_answered(org, review, missing):
    answers = {**ANSWERS, missing: ""}
    with pytest.raises(ValidationError) as error:
        services.ambassador_review_submit(
            review=review, answers=answers, user=org.users["ambassador"]
        )
    assert list(error.value.message_dict) == [missing]
    assert error.value.message_dict[missing][0].startswith("Select yes, partly or no: ")
    assert AmbassadorReview.objects.get(pk=review.pk).status == ReviewStatus.OPEN


def test_an_answer_must_be_yes_partly_or_no(org, review):
    with pytest.raises(ValidationError) as error:
        services.ambassador_review_submit(
            review=review, answers={**ANSWERS, "likes": "maybe"}, user=org.users["ambassador"]
        )
    assert list(error.value.message_dict) == ["likes"]


def test_comments_are_limited_in_length(org, review):
    answers = {**ANSWERS, "overall_comments": "x" * 2000}
    services.ambassador_review_submit(review=review, answers=answers, user=org.users["ambassador"])
    AmbassadorReview.objects.filter(pk=review.pk).update(status="open", submitted_at=None)
    with pytest.raises(ValidationError) as error:
        services.ambassador_review_submit(
            review=review,
            answers={**ANSWERS, "likes_comments": "x" * 2001},
            user=org.users["ambassador"],
        )
    assert error.value.message_dict["likes_comments"] == [
        "Your comments must be 2,000 characters or fewer"
    ]


def test_another_ambassador_cannot_submit_the_review(org, review):
    other = UserFactory(roles=[Role.AMBASSADOR])
    with pytest.raises(PermissionDenied):
        services.ambassador_review_submit(review=review, answers=ANSWERS, user=other)


def test_the_qa_lead_lists_names_and_places_to_hide_while_open(org, review):
    services.ambassador_review_set_hidden(
        review=review,
        names=" Kayden Marsh \n\nTracy Marsh",
        places="Oakfield Primary",
        user=org.users["qa_lead"],
    )
    review.refresh_from_db()
    assert review.hidden_names == "Kayden Marsh\nTracy Marsh"
    with pytest.raises(ValidationError) as error:
        services.ambassador_review_set_hidden(
            review=review, names="x" * 2001, places="", user=org.users["qa_lead"]
        )
    assert error.value.message_dict == {"hidden_names": [services.HIDDEN_TOO_LONG]}
    with pytest.raises(PermissionDenied):
        services.ambassador_review_set_hidden(
            review=review, names="", places="", user=org.users["ambassador"]
        )


# Results ---------------------------------------------------------------------------


def submitted(org, month, answers):
    (audit,) = accepted(org, month=month)
    sample, _ = AmbassadorSample.objects.get_or_create(
        month=month, defaults={"how_chosen": "number", "amount": 1}
    )
    return AmbassadorReview.objects.create(
        sample=sample,
        audit=audit,
        child=audit.child,
        month=month,
        ambassador=org.users["ambassador"],
        status=ReviewStatus.SUBMITTED,
        submitted_at=datetime.datetime(2026, 6, 1, tzinfo=datetime.UTC),
        **{name: answers.get(name, "yes") for name in services.QUESTION_NAMES},
    )


def test_results_count_each_answer_per_question_per_month_with_the_trend(org):
    april, may = datetime.date(2026, 4, 1), MAY
    submitted(org, april, {"views": "no"})
    submitted(org, april, {"views": "yes"})
    submitted(org, may, {"views": "yes"})
    submitted(org, may, {"views": "partly"})
    submitted(org, may, {"views": "yes"})
    # Open reviews and months outside the window are not counted.
    (audit,) = accepted(org, month=may)
    AmbassadorReview.objects.create(
        sample=AmbassadorSample.objects.get(month=may),
        audit=audit,
        child=audit.child,
        month=may,
        ambassador=org.users["ambassador"],
        views="no",
    )
    submitted(org, datetime.date(2025, 5, 1), {"views": "no"})
    results = {r["name"]: r for r in ambassador_results(may, months=12)}
    months = {m["month"]: m for m in results["views"]["months"]}
    assert len(months) == 12 and min(months) == datetime.date(2025, 6, 1)
    assert (months[april]["yes"], months[april]["partly"], months[april]["no"]) == (1, 0, 1)
    assert (months[may]["yes"], months[may]["partly"], months[may]["no"]) == (2, 1, 0)
    assert months[april]["yes_pct"] == 50 and months[may]["yes_pct"] == 67
    assert months[may]["change"] == 17 and months[may]["trend"] == "up"
    assert months[april]["trend"] == ""  # nothing the month before
    assert months[datetime.date(2026, 3, 1)]["total"] == 0
    assert results["relationship"]["months"][-1]["yes"] == 3


def test_a_child_in_a_sample_exactly_12_months_later_may_be_drawn(org):
    audit = accepted(org)[0]
    previous_review(org, audit.child, datetime.date(2027, 5, 1))
    assert [r.audit_id for r in draw(org, amount=5).reviews] == [audit.pk]


def test_a_falling_share_of_yes_shows_as_down(org):
    submitted(org, datetime.date(2026, 3, 1), {"likes": "yes"})
    submitted(org, MAY, {"likes": "no"})
    months = {m["month"]: m for m in ambassador_results(MAY)[3]["months"]}
    # April had no answers: May is compared with March.
    assert months[MAY]["change"] == -100 and months[MAY]["trend"] == "down"
    assert months[datetime.date(2026, 4, 1)]["trend"] == ""


def test_asking_for_exactly_what_is_available_takes_it_without_a_message(org):
    accepted(org, n=3)
    result = draw(org, amount=3)
    assert len(result.reviews) == 3
    assert result.messages == []
