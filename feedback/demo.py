"""The demo council's family feedback, built from whatever completed audits exist.

About half of the completed audits get feedback in the proportions councils report:
more parents and carers than children, a few professionals, and some families who could
not be reached or declined; a few are recorded on their own after the audit (a QA
officer's call). Recent audits get one-use links: answered, waiting and expired. The QA
Lead has picked quotes, some ready for reports and some still being edited (with a
worker's name left in, to edit out). Everything follows ``rng``: the same seed gives the
same feedback.
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import random
import uuid

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.demo import demo_email
from accounts.models import User
from audits.models import Audit, AuditStatus, Grade, Involvement
from common.dates import add_months
from common.history import record_objects

from .models import (
    Answer,
    Audience,
    Channel,
    FamilyLink,
    Feedback,
    LinkThrottle,
    NotObtainedReason,
    Outcome,
    Quote,
    QuoteTheme,
    Respondent,
    Source,
    age_band_for,
)
from .questions import QUESTION_FIELDS
from .services.quotes import attribution_for, quote_update
from .services.records import normalised

#: the share of completed audits with feedback
SHARE = 0.65
COMMENTS = {
    "positive": [
        "{worker} always rang back when she said she would, and listened to what I had to say.",
        "For the first time someone explained the plan in words we understood.",
        "The social worker helped us get the support at school that we had asked for for years.",
        "I felt listened to. They didn't judge me and they were honest with me.",
        "My social worker takes me out and asks what I want. I like that she remembers things.",
        "Things are calmer at home now. The visits made a real difference.",
    ],
    "mixed": [
        "The help was good once it started but we waited a long time for anything to happen.",
        "{worker} was kind but we have had three social workers this year and had to start again.",
        "Meetings were useful, but I did not always get the minutes before the next one.",
        "I liked my worker but I didn't understand why decisions were made.",
    ],
    "negative": [
        "Nobody told us when the visit was cancelled. We waited in all afternoon.",
        "I didn't feel listened to. The plan was decided before the meeting.",
        "I never know who my social worker is going to be.",
    ],
}
TONE_BY_GRADE = {
    Grade.OUTSTANDING: (0.8, 0.15),
    Grade.GOOD: (0.65, 0.25),
    Grade.REQUIRES_IMPROVEMENT: (0.4, 0.35),
    Grade.INADEQUATE: (0.2, 0.35),
}
ANSWERS_BY_TONE = {
    "positive": [(Answer.YES, 75), (Answer.PARTLY, 15), (Answer.NO, 4), (Answer.NOT_ANSWERED, 6)],
    "mixed": [(Answer.YES, 35), (Answer.PARTLY, 40), (Answer.NO, 18), (Answer.NOT_ANSWERED, 7)],
    "negative": [(Answer.YES, 10), (Answer.PARTLY, 25), (Answer.NO, 58), (Answer.NOT_ANSWERED, 7)],
}
SCORE_BY_TONE = {"positive": (7, 10), "mixed": (4, 8), "negative": (0, 5)}
PARENTS = [
    (Respondent.MOTHER, 52),
    (Respondent.FATHER, 18),
    (Respondent.CARER, 24),
    (Respondent.FAMILY_MEMBER, 6),
]
PROFESSIONALS = [Respondent.SCHOOL, Respondent.HEALTH, Respondent.POLICE, Respondent.PROFESSIONAL]
CHANNELS = [(Channel.PHONE, 55), (Channel.VISIT, 35), (Channel.ONLINE, 10)]
REASONS = [
    (NotObtainedReason.UNREACHABLE, 50),
    (NotObtainedReason.DECLINED, 32),
    (NotObtainedReason.NOT_APPROPRIATE, 12),
    (NotObtainedReason.OTHER, 6),
]


def _tone_of(comments: str) -> str:
    for tone, texts in COMMENTS.items():
        if any(text.split("{worker}")[-1] in comments for text in texts):
            return tone
    return "mixed"


def _pick(rng: random.Random, weighted):
    values, weights = zip(*weighted, strict=True)
    return rng.choices(values, weights=weights)[0]


def _at(day: datetime.date, hour: int = 11) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def delete_feedback_data() -> None:
    Quote.objects.all().delete()
    FamilyLink.objects.all().delete()
    Feedback.objects.all().delete()
    LinkThrottle.objects.all().delete()


def _between(rng: random.Random, first: datetime.date, last: datetime.date) -> datetime.date:
    if last <= first:
        return first
    return first + datetime.timedelta(days=rng.randrange((last - first).days + 1))


def _record(rng, audit, respondent, given_on, *, source, user, position=None):
    """One row of feedback for the audit, through the same cleaning as the services."""
    grade = audit.overall_grade or Grade.GOOD
    positive, mixed = TONE_BY_GRADE.get(grade, (0.5, 0.3))
    roll = rng.random()
    tone = "positive" if roll < positive else "mixed" if roll < positive + mixed else "negative"
    given = rng.random() < (0.72 if respondent != Respondent.CHILD else 0.78)
    values = {
        "respondent": respondent,
        "channel": _pick(rng, CHANNELS),
        "given_on": given_on,
        "outcome": Outcome.GIVEN if given else Outcome.NOT_OBTAINED,
    }
    if given:
        for field in QUESTION_FIELDS:
            values[field] = _pick(rng, ANSWERS_BY_TONE[tone])
        if rng.random() < 0.75:
            values["score"] = rng.randint(*SCORE_BY_TONE[tone])
        if rng.random() < 0.6:
            worker = audit.child.social_worker
            text = rng.choice(COMMENTS[tone]).format(worker=worker.first_name if worker else "She")
            values["comments"] = text
            values["consent_to_quote"] = rng.random() < 0.7
    else:
        reason = _pick(rng, REASONS)
        if respondent == Respondent.CHILD and reason == NotObtainedReason.UNREACHABLE:
            reason = NotObtainedReason.DECLINED
        values["not_obtained_reason"] = reason
        if reason == NotObtainedReason.UNREACHABLE:
            values["attempts"] = rng.randint(2, 4)
        if reason == NotObtainedReason.OTHER:
            values["reason_other"] = "The family had moved out of the area."
    clean = normalised(values, audit=audit)
    consent = clean.pop("consent_to_quote")
    return Feedback(
        source=source,
        audit=audit,
        team_id=audit.team_id,
        position=position,
        recorded_by=user,
        created_at=_at(given_on),
        consent_to_quote=consent,
        quote_key=uuid.UUID(int=rng.getrandbits(128)) if consent else None,
        **clean,
    )


def _rows_for(rng, audit, today, qa_lead):
    done = audit.completed_on or today
    first = audit.month
    rows = []
    position = 0
    if audit.parent_carer_spoken_to == Involvement.YES and rng.random() < 0.9:
        day = _between(rng, first, done)
        rows.append(
            _record(
                rng,
                audit,
                _pick(rng, PARENTS),
                day,
                source=Source.AUDIT_FORM,
                user=audit.auditor,
                position=position,
            )
        )
        position += 1
    age = audit.child.age_on(audit.month)
    if (
        audit.child_spoken_to == Involvement.YES
        and age is not None
        and age >= 4
        and rng.random() < 0.5
    ):
        day = _between(rng, first, done)
        rows.append(
            _record(
                rng,
                audit,
                Respondent.CHILD,
                day,
                source=Source.AUDIT_FORM,
                user=audit.auditor,
                position=position,
            )
        )
        position += 1
    if rng.random() < 0.08:
        day = _between(rng, first, done)
        rows.append(
            _record(
                rng,
                audit,
                rng.choice(PROFESSIONALS),
                day,
                source=Source.AUDIT_FORM,
                user=audit.auditor,
                position=position,
            )
        )
    if audit.status in (AuditStatus.SUBMITTED, AuditStatus.ACCEPTED) and rng.random() < 0.1:
        # A QA officer's call after the audit.
        day = min(today, done + datetime.timedelta(days=rng.randint(3, 20)))
        rows.append(
            _record(rng, audit, _pick(rng, PARENTS), day, source=Source.RECORDED, user=qa_lead)
        )
    return rows


def _links(rng, audits, today, qa_lead) -> tuple[list[FamilyLink], str]:
    """Links for recent audits: answered, waiting and expired. Returns the links and one
    waiting link's token, to try the family's page."""
    links, try_token = [], ""
    for index, audit in enumerate(audits):
        kind = ("used", "used", "unused", "expired")[index % 4]
        made_on = today - datetime.timedelta(days={"used": 9, "unused": 3, "expired": 30}[kind])
        selector = f"demo{index:03d}{rng.getrandbits(32):08x}"
        secret = f"{rng.getrandbits(128):032x}{rng.getrandbits(128):032x}"
        audience = Audience.CHILD if index % 5 == 4 else Audience.ADULT
        link = FamilyLink(
            audit=audit,
            audience=audience,
            selector=selector,
            verifier_hash=hashlib.sha256(secret.encode()).hexdigest(),
            created_by=audit.auditor or qa_lead,
            created_at=_at(made_on, 9),
            expires_at=_at(made_on, 9) + datetime.timedelta(days=14),
        )
        if kind == "used":
            answered = made_on + datetime.timedelta(days=rng.randint(1, 5))
            link.used_at = _at(answered, 19)
            respondent = Respondent.CHILD if audience == Audience.CHILD else _pick(rng, PARENTS[:3])
            feedback = _record(
                rng, audit, respondent, answered, source=Source.FAMILY_LINK, user=None
            )
            if feedback.outcome != Outcome.GIVEN:
                feedback.outcome = Outcome.GIVEN
                feedback.not_obtained_reason, feedback.attempts, feedback.reason_other = (
                    "",
                    None,
                    "",
                )
                feedback.listened = Answer.YES
            feedback.channel = Channel.FAMILY_LINK
            if respondent == Respondent.CHILD:
                feedback.age_band = age_band_for(audit.child.age_on(answered))
            feedback.save()
            link.feedback = feedback
        elif kind == "unused" and not try_token:
            try_token = f"{selector}.{secret}"
        links.append(link)
    FamilyLink.objects.bulk_create(links)
    record_objects(FamilyLink, links, change="+")
    return links, try_token


def _quotes(rng, today, qa_lead) -> int:
    """Quotes picked from the last two quarters' comments; most ready for reports."""
    since = add_months(today, -6)
    themes = list(QuoteTheme.objects.filter(is_active=True).order_by("name"))
    candidates = list(
        Feedback.objects.counted()
        .filter(consent_to_quote=True, given_on__gte=since)
        .exclude(comments="")
        .select_related("audit__child__social_worker")
        .order_by("given_on", "pk")
    )
    picked = rng.sample(candidates, min(14, len(candidates)))
    picked.sort(key=lambda f: (f.given_on, f.pk))
    for index, feedback in enumerate(picked):
        quote = Quote.objects.create(
            feedback=feedback,
            text=feedback.comments,
            attribution=attribution_for(feedback),
            picked_by=qa_lead,
            updated_by=qa_lead,
            picked_at=_at(min(today, feedback.given_on + datetime.timedelta(days=7)), 14),
        )
        if index % 4 == 3 or not themes:
            continue  # still being edited
        worker = feedback.audit.child.social_worker if feedback.audit_id else None
        text = feedback.comments
        if worker is not None:
            text = text.replace(worker.first_name, "[name]")
        tone = _tone_of(feedback.comments)
        # Something else left to edit out stays for the QA Lead.
        with contextlib.suppress(ValidationError):
            quote_update(
                quote=quote,
                user=qa_lead,
                text=text,
                attribution=quote.attribution,
                tone=tone,
                theme_id=rng.choice(themes).pk,
                ready=True,
                expected_version=0,
            )
    return len(picked)


@transaction.atomic
def seed_feedback(rng: random.Random, today: datetime.date) -> dict:
    """Feedback for about half the completed audits, links, and picked quotes."""
    qa_lead = User.objects.filter(email=demo_email("qa.lead")).first()
    audits = list(
        Audit.objects.filter(
            status__in=[AuditStatus.SUBMITTED, AuditStatus.ACCEPTED, AuditStatus.IN_PROGRESS]
        )
        .select_related("child__social_worker", "team", "auditor")
        .order_by("month", "child__case_reference", "audit_type", "pk")
    )
    rows = []
    for audit in audits:
        if rng.random() < SHARE:
            rows += _rows_for(rng, audit, today, qa_lead)
    Feedback.objects.bulk_create(rows)
    record_objects(Feedback, rows, change="+")
    recent = [
        a
        for a in audits
        if a.month >= add_months(today.replace(day=1), -2)
        and not any(r.audit_id == a.pk for r in rows)
    ][:24]
    links, try_token = _links(rng, recent, today, qa_lead)
    quotes = _quotes(rng, today, qa_lead) if qa_lead is not None else 0
    return {
        "feedback": Feedback.objects.count(),
        "links": len(links),
        "quotes": quotes,
        "try_token": try_token,
    }
