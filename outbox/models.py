"""Every email the service sends is first a row here: planned (rendered and recorded in
the same transaction as the change that caused it), then claimed and delivered by a
worker, retried while the mail server fails for now, and marked failed with the reason
when it never will. See docs/emails.md.
"""

from django.db import models
from django.utils import timezone


class OutboxStatus(models.TextChoices):
    PENDING = "pending", "Waiting to send"
    SENDING = "sending", "Sending"
    RETRYING = "retrying", "Not sent yet: will try again"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed: not sent"


#: statuses a worker may still deliver from
UNSENT = (OutboxStatus.PENDING, OutboxStatus.SENDING, OutboxStatus.RETRYING)


class OutboxEmail(models.Model):
    """One message to one address (with any copies), rendered when planned."""

    recipient = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="outbox_emails",
    )
    to = models.EmailField()
    cc = models.JSONField(default=list, blank=True)
    template = models.CharField(max_length=100)
    kind = models.CharField(max_length=100, help_text="What the email is for, in words")
    #: the same key planned twice is one email (a rerun of a scheduled task)
    key = models.CharField(max_length=200, unique=True, null=True, blank=True)
    message_id = models.CharField(max_length=200, unique=True)
    subject = models.CharField(max_length=300)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)

    status = models.CharField(
        max_length=20, choices=OutboxStatus.choices, default=OutboxStatus.PENDING
    )
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"]),
            models.Index(fields=["recipient", "-created_at"]),
        ]

    def __str__(self):
        return f"{self.kind} to {self.to}"

    @property
    def is_failed(self) -> bool:
        return self.status == OutboxStatus.FAILED
