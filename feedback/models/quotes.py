"""Quotes the QA Lead picks from feedback for reports, with themes to tag them."""

from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone

from common.history import ChangeHistory


class QuoteTheme(models.Model):
    name = models.CharField(max_length=80)
    is_active = models.BooleanField(default=True, help_text="Offered when tagging quotes.")

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(Lower("name"), name="quote_theme_name_unique")]

    def __str__(self):
        return self.name


class Tone(models.TextChoices):
    POSITIVE = "positive", "Positive"
    MIXED = "mixed", "Mixed"
    NEGATIVE = "negative", "Negative"


class QuoteStatus(models.TextChoices):
    DRAFT = "draft", "Being edited"
    READY = "ready", "Ready for reports"


class Quote(models.Model):
    # The foreign key is the feedback's quote_key, which exists only while the family
    # consents: the database itself refuses a quote of feedback without consent.
    feedback = models.ForeignKey(
        "feedback.Feedback",
        to_field="quote_key",
        on_delete=models.CASCADE,
        related_name="quotes",
    )
    text = models.TextField(help_text="The words, with names and places edited out.")
    attribution = models.CharField(
        max_length=40, help_text="Who said it, as the report shows it: “Mum”, “Child, 12”."
    )
    tone = models.CharField(max_length=10, choices=Tone.choices, blank=True)
    theme = models.ForeignKey(
        QuoteTheme, on_delete=models.PROTECT, null=True, blank=True, related_name="quotes"
    )
    status = models.CharField(max_length=10, choices=QuoteStatus.choices, default=QuoteStatus.DRAFT)
    picked_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    picked_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    ready_at = models.DateTimeField(null=True, blank=True)
    lock_version = models.PositiveIntegerField(default=0)
    history = ChangeHistory(excluded_fields=["lock_version"], unrecorded=("updated_at",))

    class Meta:
        ordering = ["-picked_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=QuoteStatus.DRAFT)
                | (
                    ~Q(tone="")
                    & Q(theme__isnull=False)
                    & ~Q(text="")
                    & ~Q(attribution="")
                    & Q(ready_at__isnull=False)
                ),
                name="quote_ready_is_tagged",
            ),
        ]

    def __str__(self):
        return self.text[:60]
