"""A family's own one-use link to give feedback, and the throttle on guessing links."""

from django.db import models
from django.db.models import Q
from django.utils import timezone

from common.history import ChangeHistory


class Audience(models.TextChoices):
    ADULT = "adult", "A parent, carer or family member"
    CHILD = "child", "The child or young person"


class FamilyLink(models.Model):
    """A link sent by text or email. The address is never stored, nor the token: only a
    random selector that finds the row and a hash of the secret part."""

    audit = models.ForeignKey("audits.Audit", on_delete=models.CASCADE, related_name="family_links")
    audience = models.CharField(max_length=10, choices=Audience.choices)
    selector = models.CharField(max_length=32, unique=True, editable=False)
    verifier_hash = models.CharField(max_length=64, editable=False)
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    emailed = models.BooleanField(
        default=False, help_text="An email was sent (to no stored address)."
    )
    used_at = models.DateTimeField(null=True, blank=True)
    feedback = models.OneToOneField(
        "feedback.Feedback",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="family_link",
    )
    history = ChangeHistory(excluded_fields=["verifier_hash"])

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("created_at")),
                name="family_link_expires_after_creation",
            ),
            models.CheckConstraint(
                condition=Q(feedback__isnull=True) | Q(used_at__isnull=False),
                name="family_link_answer_only_when_used",
            ),
        ]

    def __str__(self):
        return f"Family link {self.pk}"

    def state(self, now=None) -> str:
        now = now or timezone.now()
        if self.used_at is not None:
            return "used"
        if self.expires_at <= now:
            return "expired"
        return "unused"


class LinkThrottle(models.Model):
    """Failed link look-ups from one address (hashed) in a window of time."""

    key = models.CharField(max_length=64)
    window_start = models.DateTimeField()
    failures = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "window_start"], name="link_throttle_once")
        ]

    def __str__(self):
        return f"{self.failures} failures"
