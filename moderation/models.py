"""Moderation: monthly panels, reviews that agree or regrade audits, looped audits,
auditor-moderator pairings and endorsed auditors."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from audits.models import Grade
from common.history import ChangeHistory


class ModerationSettings(models.Model):
    """The council's moderation choices; one row, edited in the admin."""

    target_share = models.PositiveIntegerField(
        default=100,
        validators=[MaxValueValidator(100)],
        help_text="The percentage of accepted audits to moderate each month.",
    )
    default_capacity = models.PositiveIntegerField(
        default=4, help_text="Audits a moderator reviews in a month unless set for them."
    )
    pairing_months = models.PositiveIntegerField(
        default=6,
        validators=[MinValueValidator(1)],
        help_text="How long an auditor-moderator pairing lasts before rotating.",
    )
    endorsement_run = models.PositiveIntegerField(
        default=6,
        validators=[MinValueValidator(1)],
        help_text="An auditor whose last this-many moderated audits were all agreed is "
        "endorsed: exempt from routine moderation until one is regraded.",
    )
    observers_per_panel = models.PositiveIntegerField(default=2)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "moderation settings"
        verbose_name_plural = "moderation settings"

    def __str__(self):
        return "Moderation settings"

    @classmethod
    def load(cls) -> "ModerationSettings":
        obj, _ = cls.objects.get_or_create(pk=1)
        return obj


class ModeratorCapacity(models.Model):
    moderator = models.OneToOneField(
        "accounts.User", on_delete=models.CASCADE, related_name="moderator_capacity"
    )
    monthly_capacity = models.PositiveIntegerField(default=4)

    class Meta:
        verbose_name_plural = "moderator capacities"

    def __str__(self):
        return f"{self.moderator}: {self.monthly_capacity} a month"


class PanelStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    CLOSED = "closed", "Closed"


class Panel(models.Model):
    month = models.DateField(unique=True, help_text="The first day of the month moderated.")
    date = models.DateField(help_text="The day the panel meets.")
    chair = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    moderators = models.ManyToManyField(
        "accounts.User", related_name="moderation_panels", blank=True
    )
    observers = models.ManyToManyField("accounts.User", related_name="observed_panels", blank=True)
    target_share = models.PositiveIntegerField(default=100, validators=[MaxValueValidator(100)])
    status = models.CharField(
        max_length=20, choices=PanelStatus.choices, default=PanelStatus.PLANNED
    )
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-month"]

    def __str__(self):
        return f"Moderation panel, {self.month:%B %Y}"


class ReviewStatus(models.TextChoices):
    ASSIGNED = "assigned", "Assigned"
    IN_PROGRESS = "in_progress", "In progress"
    FINAL = "final", "Final"


class Outcome(models.TextChoices):
    AGREED = "agreed", "Agreed"
    UPGRADED = "upgraded", "Upgraded"
    DOWNGRADED = "downgraded", "Downgraded"


class DowngradeReason(models.TextChoices):
    STATUTORY_TIMESCALES = "statutory_timescales", "Statutory timescales not met"
    OUTDATED_PLAN = "outdated_plan", "Outdated plan or assessment"
    NO_REFLECTIVE_SUPERVISION = "no_reflective_supervision", "Lack of reflective supervision"
    POOR_RECORDING = "poor_recording", "Poor recording"
    INSUFFICIENT_DIRECT_WORK = "insufficient_direct_work", "Insufficient direct work"
    OTHER = "other", "Other"


class ModerationReview(models.Model):
    """A moderator's review of one audit. ``outcome`` follows from the grades."""

    audit = models.OneToOneField(
        "audits.Audit", on_delete=models.PROTECT, related_name="moderation_review"
    )
    panel = models.ForeignKey(
        Panel, on_delete=models.PROTECT, null=True, blank=True, related_name="reviews"
    )
    moderator = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="reviews"
    )
    status = models.CharField(
        max_length=20, choices=ReviewStatus.choices, default=ReviewStatus.ASSIGNED
    )
    original_grade = models.CharField(
        max_length=30, choices=Grade.choices, help_text="The auditor's overall grade."
    )
    moderated_grade = models.CharField(max_length=30, choices=Grade.choices, blank=True)
    rationale = models.TextField(blank=True, help_text="Why the overall grade changed.")
    feedback = models.TextField(blank=True, help_text="Feedback for the auditor.")
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    is_imported = models.BooleanField(default=False)
    finalised_at = models.DateTimeField(null=True, blank=True)
    finalised_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    auditor_notified_at = models.DateTimeField(null=True, blank=True)
    lock_version = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    history = ChangeHistory(excluded_fields=["lock_version"])

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "outcome"])]

    def __str__(self):
        return f"Review of {self.audit}"

    @property
    def is_final(self) -> bool:
        return self.status == ReviewStatus.FINAL


class ReviewDomainGrade(models.Model):
    review = models.ForeignKey(
        ModerationReview, on_delete=models.CASCADE, related_name="domain_grades"
    )
    domain = models.ForeignKey("audits.Domain", on_delete=models.PROTECT, related_name="+")
    original_grade = models.CharField(max_length=30, choices=Grade.choices, blank=True)
    moderated_grade = models.CharField(max_length=30, choices=Grade.choices, blank=True)
    rationale = models.TextField(blank=True)
    history = ChangeHistory()

    class Meta:
        ordering = ["review", "domain__name"]
        constraints = [
            models.UniqueConstraint(fields=["review", "domain"], name="review_domain_once"),
        ]

    def __str__(self):
        return f"{self.domain}: {self.original_grade} to {self.moderated_grade}"


class ReviewReason(models.Model):
    """A reason a grade went down, as a row so reports can count them in the database."""

    review = models.ForeignKey(ModerationReview, on_delete=models.CASCADE, related_name="reasons")
    reason = models.CharField(max_length=40, choices=DowngradeReason.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["review", "reason"], name="review_reason_once"),
        ]

    def __str__(self):
        return self.get_reason_display()


class ReviewEventKind(models.TextChoices):
    ASSIGNED = "assigned", "Assigned"
    SAVED = "saved", "Saved"
    FINALISED = "finalised", "Marked done"
    UNLOCKED = "unlocked", "Unlocked"
    IMPORTED = "imported", "Imported"


class ReviewEvent(models.Model):
    review = models.ForeignKey(ModerationReview, on_delete=models.CASCADE, related_name="events")
    user = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=ReviewEventKind.choices)
    reason = models.TextField(blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self):
        return self.get_kind_display()


class LoopStatus(models.TextChoices):
    AWAITING = "awaiting", "Waiting for both audits"
    MATCHED = "matched", "Grades matched"
    DIFFERS = "differs", "Grades differ: for panel discussion"
    DISCUSSED = "discussed", "Discussed at panel"


class LoopedAudit(models.Model):
    """The same child audited independently by two auditors ("double" audit)."""

    first = models.OneToOneField(
        "audits.Audit", on_delete=models.PROTECT, related_name="loop_as_first"
    )
    second = models.OneToOneField(
        "audits.Audit", on_delete=models.PROTECT, related_name="loop_as_second"
    )
    status = models.CharField(
        max_length=20, choices=LoopStatus.choices, default=LoopStatus.AWAITING
    )
    panel = models.ForeignKey(
        Panel, on_delete=models.SET_NULL, null=True, blank=True, related_name="discussions"
    )
    outcome = models.TextField(blank=True, help_text="What the panel concluded.")
    outcome_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    outcome_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Looped audit of {self.first.child}"


class Pairing(models.Model):
    auditor = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="+")
    moderator = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="+")
    starts_on = models.DateField()
    ends_on = models.DateField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-starts_on", "auditor__last_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["auditor", "starts_on"], name="pairing_once_per_period"
            ),
            models.CheckConstraint(
                condition=~models.Q(auditor=models.F("moderator")), name="pairing_not_self"
            ),
        ]

    def __str__(self):
        return f"{self.auditor} with {self.moderator}"


class EndorsementOverride(models.Model):
    """The QA Lead's decision that an auditor is, or is not, endorsed, whatever the run."""

    auditor = models.OneToOneField(
        "accounts.User", on_delete=models.CASCADE, related_name="endorsement_override"
    )
    endorsed = models.BooleanField()
    reason = models.TextField()
    set_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    set_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    def __str__(self):
        return f"{self.auditor}: {'endorsed' if self.endorsed else 'not endorsed'}"
