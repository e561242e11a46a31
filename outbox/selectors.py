"""Reading the outbox: every email for those who oversee them, one's own for everyone."""

from django.db.models import QuerySet

from .models import OutboxEmail, OutboxStatus


def emails_visible_to(user) -> QuerySet[OutboxEmail]:
    """Every email for the QA Lead and the Administrator; one's own for anyone else."""
    qs = OutboxEmail.objects.select_related("recipient")
    if user.has_perm("outbox.view_sent_emails"):
        return qs
    return qs.filter(recipient=user)


def emails_to(user) -> QuerySet[OutboxEmail]:
    return OutboxEmail.objects.filter(recipient=user).select_related("recipient")


def failed_emails() -> QuerySet[OutboxEmail]:
    return OutboxEmail.objects.filter(status=OutboxStatus.FAILED).select_related("recipient")
