"""The home page's part for emails: the QA Lead and the administrator see each email that
failed for good."""

from django.urls import reverse

from .selectors import failed_emails

#: failed emails listed on the home page; the Sent emails page has them all
SHOWN = 5


def failed_email_work(user) -> list[dict]:
    """The QA Lead and the administrator: emails the mail server refused (or that failed
    every attempt), with the reason, newest first."""
    if not user.has_perm("outbox.view_sent_emails"):
        return []
    failed = failed_emails()
    count = failed.count()
    if not count:
        return []
    items = [
        {
            "text": f"{email.kind} to {email.recipient or email.to} could not be sent: "
            f"{email.last_error}",
            "url": reverse("emails:detail", args=[email.pk]),
        }
        for email in failed.order_by("-created_at", "-pk")[:SHOWN]
    ]
    if count > SHOWN:
        items.append(
            {
                "text": f"All {count} emails that could not be sent",
                "url": reverse("emails:sent") + "?status=failed",
                "count": count,
            }
        )
    return [{"title": "Emails that could not be sent", "items": items}]
