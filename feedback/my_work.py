"""The feedback app's sections of the home page, "My work" (wired in qa_audit/my_work.py).

Each provider takes the user and returns sections ({"title", "items"}), running a
constant number of scoped queries, and nothing for people it does not concern.
"""

import datetime

from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from common.dates import quarter_of

from .models import AmbassadorReview, Feedback, Outcome, Quote, ReviewStatus, Source

#: how long a family's answer stays on the auditor's list
RECENT_DAYS = 14
MAX_LISTED = 5


def auditor_feedback_work(user) -> list[dict]:
    """Auditors: families who answered from a link, on their audits, lately."""
    if not user.has_role(Role.AUDITOR):
        return []
    since = timezone.now() - datetime.timedelta(days=RECENT_DAYS)
    answers = list(
        Feedback.objects.filter(
            source=Source.FAMILY_LINK, audit__auditor=user, created_at__gte=since
        )
        .select_related("audit__child")
        .order_by("-created_at", "-pk")[: MAX_LISTED + 1]
    )
    if not answers:
        return []
    items = [
        {
            "text": f"A family answered for the audit of {f.audit.child.case_reference}",
            "url": reverse("feedback:audit_feedback", args=[f.audit_id]),
        }
        for f in answers[:MAX_LISTED]
    ]
    return [{"title": "Family feedback", "items": items}]


def qa_lead_quote_work(user) -> list[dict]:
    """The QA Lead: this quarter's comments given with consent and not yet quoted, and
    quotes still being edited."""
    if not user.has_role(Role.QA_LEAD):
        return []
    period = quarter_of(timezone.localdate())
    in_quarter = Feedback.objects.counted().filter(
        given_on__gte=period.start, given_on__lte=period.end
    )
    waiting = (
        in_quarter.filter(outcome=Outcome.GIVEN, consent_to_quote=True, quotes__isnull=True)
        .exclude(comments="")
        .count()
    )
    drafts = Quote.objects.filter(
        status="draft", feedback__given_on__gte=period.start, feedback__given_on__lte=period.end
    ).count()
    url = reverse("feedback:quotes")
    items = []
    if waiting:
        items.append(
            {
                "text": f"{waiting} comment{'s' if waiting != 1 else ''} from families in "
                f"{period.label} may be quoted",
                "url": url,
                "count": waiting,
            }
        )
    if drafts:
        items.append(
            {
                "text": f"{drafts} quote{'s are' if drafts != 1 else ' is'} not ready yet",
                "url": url,
                "count": drafts,
            }
        )
    return [{"title": "Quotes", "items": items}] if items else []


def ambassador_review_work(user) -> list[dict]:
    """Ambassadors: their open reviews, and nothing else."""
    if not user.has_role(Role.AMBASSADOR):
        return []
    from .selectors.ambassadors import open_reviews_for

    items = [
        {
            "text": f"Review an audit from {review.month:%B %Y} ({n})",
            "url": reverse("feedback:ambassador_review", args=[review.pk]),
        }
        for n, review in enumerate(open_reviews_for(user), start=1)
    ]
    if items:
        empty = ""
    elif AmbassadorReview.objects.filter(ambassador=user, status=ReviewStatus.SUBMITTED).exists():
        empty = "You have no audits to review. Thank you for your reviews."
    else:
        empty = (
            "You have no audits to review. The QA Lead draws a sample each month and you "
            "will get an email when there are audits for you."
        )
    return [{"title": "Audits to review", "items": items, "empty": empty}]
