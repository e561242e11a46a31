"""What audits need of this person now, for the home page "My work".

Each provider returns sections ({"title", "items": [{"text", "url", "count"?}],
"empty"?}) in a constant number of queries, and [] when there is nothing.
"""

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format

from accounts.permissions import is_auditor, is_qa_lead

from .models import Audit, AuditStatus
from .models.audit import EDITABLE_STATUSES
from .selectors import audits_for_auditor

DUE_SOON_DAYS = 14
#: the most items a section lists; the rest are a link away
LIST_LIMIT = 20


def _audit_text(audit, what: str) -> str:
    return f"{audit.child.case_reference} ({audit.team.name}): {what}"


def auditor_work(user, today: datetime.date | None = None) -> list[dict]:
    """Returned audits, overdue audits, audits due in the next 14 days and drafts in
    progress; each audit is listed once, under the first of these that fits."""
    if not is_auditor(user):
        return []
    today = today or timezone.localdate()
    soon = today + datetime.timedelta(days=DUE_SOON_DAYS)
    audits = (
        audits_for_auditor(user).filter(status__in=EDITABLE_STATUSES).order_by("due_date", "pk")
    )
    returned, overdue, due_soon, drafts = [], [], [], []
    for audit in audits:
        url = reverse("audits:audit_form", args=[audit.pk])
        due = date_format(audit.due_date, "j F Y") if audit.due_date else ""
        if audit.status == AuditStatus.RETURNED:
            returned.append({"text": _audit_text(audit, "returned for changes"), "url": url})
        elif audit.is_overdue(today):
            overdue.append({"text": _audit_text(audit, f"was due {due}"), "url": url})
        elif audit.due_date and audit.due_date <= soon:
            due_soon.append({"text": _audit_text(audit, f"due {due}"), "url": url})
        elif audit.status == AuditStatus.IN_PROGRESS:
            drafts.append({"text": _audit_text(audit, "draft in progress"), "url": url})
    sections = [
        ("Audits returned to you for changes", returned),
        ("Overdue audits", overdue),
        (f"Audits due in the next {DUE_SOON_DAYS} days", due_soon),
        ("Audits you have started", drafts),
    ]
    return [{"title": title, "items": items} for title, items in sections if items]


def qa_lead_review_work(user) -> list[dict]:
    """Submitted audits waiting for the QA Lead's decision."""
    if not is_qa_lead(user):
        return []
    count = Audit.objects.filter(status=AuditStatus.SUBMITTED).count()
    if not count:
        return []
    text = f"{count} submitted audit{'s' if count != 1 else ''} waiting for your decision"
    return [
        {
            "title": "Audits to review",
            "items": [{"text": text, "url": reverse("audits:review_queue"), "count": count}],
        }
    ]


def social_worker_work(user) -> list[dict]:
    """Accepted audits of the social worker's children that they have not replied to."""
    if not user.is_authenticated:
        return []
    audits = (
        Audit.objects.filter(status=AuditStatus.ACCEPTED, child__social_worker=user)
        .exclude(replies__author=user)
        .select_related("child", "team")
        .order_by("-accepted_at", "-pk")[:LIST_LIMIT]
    )
    items = [
        {
            "text": _audit_text(audit, "audit accepted: read it and reply"),
            "url": reverse("audits:audit_detail", args=[audit.pk]) + "#replies",
        }
        for audit in audits
    ]
    return [{"title": "Audits of your children to reply to", "items": items}] if items else []
