"""Every email the service sends is first a row here: planned (rendered and recorded in
the same transaction as the change that caused it), then claimed and delivered by a
worker, retried while the mail server fails for now, and marked failed with the reason
when it never will. See docs/emails.md.
"""

from django.db import models
from django.utils import timezone

#: what each email template is for, as the Sent emails pages name it
KINDS = {
    "tracker": "Weekly tracker",
    "hos-tracker": "Weekly escalation to Head of Service",
    "coc-request": "Monthly Case of Concern update request",
    "coc-opened": "New Case of Concern",
    "reminder": "Audit reminder",
    "allocation-new": "Audits allocated",
    "round-proposed": "Allocation proposed",
    "audit-returned": "Audit returned",
    "reaudit-allocated": "Re-audit allocated",
    "review-feedback": "Moderation feedback",
    "exemption-requested": "Exemption requested",
    "exemption-decided": "Exemption decided",
    "family-link": "Family feedback link",
    "family-answered": "Family feedback received",
    "report-published": "QA report published",
}

#: what replaces the body of an email not kept once sent
BODY_NOT_KEPT = "Not kept: this email held a private link for its recipient."


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
    #: False for an email holding a secret (a family's link): its body is dropped once sent
    keep_body = models.BooleanField(default=True)

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
