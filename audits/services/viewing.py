"""Who viewed what, and when.

Every page, API answer and admin page that shows an audit, or a record made from one (a
moderation review, an action, a Case of Concern, a looped audit, a panel), records a
"viewed" AuditEvent on each audit it showed, with the person and the time; the note says
where ("API", "Moderation panel", "Admin: action 12"). The QA Lead reads these on the
audit's page under "Who viewed or changed this audit".

A list records one event for every audit on the page it answered (not the filters that
chose them): that is exactly what the person saw, and one query writes them all.

A child's case record opened on its own (the admin) records a ChildViewEvent.
"""

from collections.abc import Iterable

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
