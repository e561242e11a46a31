"""A year of the demo council's Ambassadors' reviews, made through the same services
as the pages: each of the last 12 months sampled (a few audits, or a share), and every
review answered but last month's, which wait on the Ambassador's home page. Answers
improve a little over the year, so the results show a trend. Everything follows
``rng``."""

from __future__ import annotations

import datetime
import random

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.demo import demo_email
from accounts.models import Role, User
from common.dates import add_months

from .models import AMBASSADOR_QUESTIONS, AmbassadorReview, AmbassadorSample, HowChosen
from .services import ambassadors as services

COMMENTS = {
    "yes": [
        "You can tell the worker knows them well.",
        "It is written to the child, which I liked.",
        "Lots about what they enjoy.",
    ],
    "partly": [
        "Some of it is about the child but a lot is about the adults.",
        "Their views are there but not in their own words.",
        "Some words a young person would not know.",
    ],
    "no": [
        "I could not tell who the child is from this.",
        "Too much jargon: I would not understand the decisions.",
        "Nothing about what they like or are good at.",
    ],
}


def delete_ambassador_data() -> None:
    AmbassadorReview.objects.all().delete()
    AmbassadorSample.objects.all().delete()


def _answer(rng: random.Random, progress: float) -> str:
    yes = 0.35 + 0.3 * progress
    roll = rng.random()
    if roll < yes:
        return "yes"
    return "partly" if roll < yes + 0.4 else "no"


@transaction.atomic
def seed_ambassador_reviews(rng: random.Random, today: datetime.date) -> dict:
    qa_lead = User.objects.filter(email=demo_email("qa.lead")).first()
    ambassadors = list(
        User.objects.filter(role_assignments__role=Role.AMBASSADOR, is_active=True)
        .distinct()
        .order_by("pk")
    )
    if qa_lead is None or not ambassadors:
        return {"samples": 0, "reviews": 0, "open": 0}
    this_month = today.replace(day=1)
    samples = reviews = still_open = 0
    for back in range(12, 0, -1):
        month = add_months(this_month, -back)
        share = back % 3 == 0
        try:
            result = services.ambassador_sample_draw(
                month=month,
                how_chosen=HowChosen.SHARE if share else HowChosen.NUMBER,
                amount=10 if share else rng.randint(2, 4),
                ambassadors=ambassadors,
                user=qa_lead,
                today=today,
                rng=rng,
            )
        except ValidationError:
            continue  # no accepted audit that month
        samples += 1
        progress = (12 - back) / 11
        for review in result.reviews:
            reviews += 1
            if back == 1:
                still_open += 1
                continue
            answers = {}
            for name, _question in AMBASSADOR_QUESTIONS:
                answers[name] = _answer(rng, progress)
                if rng.random() < 0.5:
                    answers[f"{name}_comments"] = rng.choice(COMMENTS[answers[name]])
            services.ambassador_review_submit(
                review=review, answers=answers, user=review.ambassador
            )
    return {"samples": samples, "reviews": reviews, "open": still_open}
