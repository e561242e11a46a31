"""Who viewed what, and when.

Every page, API answer and admin page that shows an audit, or a record made from one (a
moderation review, an action, a Case of Concern, a looped audit, a panel), records a
"viewed" AuditEvent on each audit it showed, with the person and the time; the note says
where ("API", "Moderation panel", "Admin: action 12"). The QA Lead reads these on the
audit's page under "Who viewed or changed this audit".

A list records one event for every audit on the page it answered (not the filters that
chose them): that is exactly what the person saw, and one query writes them all.

A child's case record opened on its own (the admin) records a ChildViewEvent.

A Leader or a Head of Service opening an accepted audit outside the teams they look
after first gives a reason (``audit_open_with_reason``), recorded with their name and
the time; it opens that audit for them for ``REASON_MINUTES``.
"""

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.models import User

from ..models import Audit, AuditEvent, AuditEventKind, Child, ChildViewEvent


def _note(note: str) -> str:
    return note[: AuditEvent._meta.get_field("note").max_length]


def audits_log_viewed(*, user: User, audits: Iterable[Audit | int], note: str) -> None:
    """Record that ``user`` was shown each audit (objects or ids; None is skipped), once
    each, in one query."""
    ids = dict.fromkeys(
        audit if isinstance(audit, int) else audit.pk for audit in audits if audit is not None
    )
    AuditEvent.objects.bulk_create(
        AuditEvent(audit_id=pk, user=user, kind=AuditEventKind.VIEWED, note=_note(note))
        for pk in ids
    )


def audit_log_viewed(*, user: User, audit: Audit | int, note: str) -> None:
    audits_log_viewed(user=user, audits=[audit], note=note)


def child_log_viewed(*, user: User, child: Child, note: str) -> None:
    ChildViewEvent.objects.create(child=child, user=user, note=_note(note))


#: how long a reason given opens an audit outside one's own teams
REASON_MINUTES = 60
REASON_MIN_LENGTH = 10
REASON_MAX_LENGTH = 200
REASON_NEEDED = "Say why you need to open this child's audit"
REASON_TOO_SHORT = f"Say in at least {REASON_MIN_LENGTH} characters why you need to open it"
REASON_TOO_LONG = f"The reason must be {REASON_MAX_LENGTH} characters or fewer"


def audit_open_with_reason(*, user: User, audit: Audit, reason: str) -> AuditEvent:
    """Record why ``user`` opens ``audit``, outside their own teams; refused without
    the permission or a reason."""
    if not user.has_perm("audits.open_audit_with_reason", audit):
        raise ValidationError(REASON_NEEDED)
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError({"reason": REASON_NEEDED})
    if len(reason) < REASON_MIN_LENGTH:
        raise ValidationError({"reason": REASON_TOO_SHORT})
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError({"reason": REASON_TOO_LONG})
    return AuditEvent.objects.create(
        audit=audit, user=user, kind=AuditEventKind.REASON_GIVEN, note=reason
    )


def audit_reason_given(*, user: User, audit: Audit | int) -> bool:
    """Whether ``user`` gave a reason to open ``audit`` in the last REASON_MINUTES."""
    since = timezone.now() - datetime.timedelta(minutes=REASON_MINUTES)
    return AuditEvent.objects.filter(
        audit=audit, user=user, kind=AuditEventKind.REASON_GIVEN, at__gte=since
    ).exists()
