from django.core.exceptions import PermissionDenied

from audits.models import AuditEvent, AuditEventKind


def require(user, perm: str) -> None:
    if not user.has_perm(perm):
        raise PermissionDenied


def log_views(user, audit_ids, note: str) -> None:
    """Record that the user read feedback on these audits, as audit views are recorded."""
    AuditEvent.objects.bulk_create(
        AuditEvent(audit_id=pk, user=user, kind=AuditEventKind.VIEWED, note=note[:200])
        for pk in sorted(set(audit_ids))
    )


def error_links(errors: dict[str, list[str]] | dict[str, str], ids: dict[str, str]) -> list[dict]:
    """Error summary entries: each message linking to its input's id."""
    links = []
    for field, messages in errors.items():
        for message in [messages] if isinstance(messages, str) else messages:
            links.append({"href": f"#{ids.get(field, field)}", "text": message})
    return links
