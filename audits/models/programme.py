"""The monthly audit programme: settings, allocation rounds, exemptions, reminders."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords


class ProgrammeSettings(models.Model):
    """The council's choices for its audit programme; one row, edited in the admin."""

    evidence_min_length = models.PositiveIntegerField(
        default=50,
        validators=[MaxValueValidator(2000)],
        help_text="The fewest characters of evidence a domain grade needs.",
    )
    default_per_team = models.PositiveIntegerField(
        default=2, help_text="Audits proposed for each team each month, when allocating by team."
    )
    default_total = models.PositiveIntegerField(
        default=25, help_text="Audits proposed each month, when allocating a total."
    )
    no_repeat_months = models.PositiveIntegerField(
        default=12, help_text="A child audited within this many months is not proposed again."
    )
    days_to_complete = models.PositiveIntegerField(
        default=0,
        help_text="Days after the end of the allocated month that an audit is due (0: the "
        "last day of the month).",
    )
    reminder_days_before = models.PositiveIntegerField(
        default=5,
        validators=[MinValueValidator(1)],
        help_text="Days before the due date that auditors are reminded.",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "programme settings"
        verbose_name_plural = "programme settings"

    def __str__(self):
        return "Programme settings"

    @classmethod
    def load(cls) -> "ProgrammeSettings":
        obj, _ = cls.objects.get_or_create(pk=1)
        return obj


class RoundStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


class AllocationRound(models.Model):
    month = models.DateField(unique=True, help_text="The first day of the month audited.")
    status = models.CharField(max_length=20, choices=RoundStatus.choices, default=RoundStatus.DRAFT)
    per_team = models.PositiveIntegerField(null=True, blank=True)
    total = models.PositiveIntegerField(null=True, blank=True)
    due_date = models.DateField()
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    published_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-month"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(per_team__isnull=True) | models.Q(total__isnull=True),
                name="round_per_team_or_total",
            )
        ]

    def __str__(self):
        return self.month.strftime("%B %Y")


class ExemptionKind(models.TextChoices):
    STANDING = "standing", "Standing"
    SINGLE_MONTH = "single_month", "Single month"


class StandingReason(models.TextChoices):
    MODERATOR = "moderator", "Moderator"
    PART_TIME = "part_time", "Part-time: alternate months"
    LONG_ABSENCE = "long_absence", "Long-term absence"


class ExemptionStatus(models.TextChoices):
    PENDING = "pending", "Waiting for approval"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Not approved"


class Exemption(models.Model):
    """An auditor who is not allocated audits: standing, or for a single month.

    A single-month exemption needs a Head of Service or Director to approve it with a
    reason. A part-time standing exemption applies in alternate months counted from
    ``starts_on``.
    """

    auditor = models.ForeignKey(
        "accounts.User", on_delete=models.CASCADE, related_name="exemptions"
    )
    kind = models.CharField(max_length=20, choices=ExemptionKind.choices)
    standing_reason = models.CharField(max_length=20, choices=StandingReason.choices, blank=True)
    month = models.DateField(null=True, blank=True, help_text="For a single-month exemption.")
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True, help_text="Empty: until withdrawn.")
    reason = models.TextField()
    status = models.CharField(
        max_length=20, choices=ExemptionStatus.choices, default=ExemptionStatus.PENDING
    )
    requested_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-requested_at"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(kind="single_month", month__isnull=False)
                    | models.Q(kind="standing", starts_on__isnull=False)
                ),
                name="exemption_has_its_dates",
            )
        ]

    def __str__(self):
        return f"{self.auditor}: {self.get_kind_display()}"


class ReminderStage(models.TextChoices):
    BEFORE_DUE = "before_due", "Before the due date"
    DUE = "due", "On the due date"
    OVERDUE = "overdue", "Overdue"


class ReminderSent(models.Model):
    """Claimed before a reminder is sent, so each audit gets each stage exactly once."""

    audit = models.ForeignKey("audits.Audit", on_delete=models.CASCADE, related_name="reminders")
    stage = models.CharField(max_length=20, choices=ReminderStage.choices)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["audit", "stage"], name="reminder_once_per_stage"),
        ]

    def __str__(self):
        return f"{self.get_stage_display()} reminder"
