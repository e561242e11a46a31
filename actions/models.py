"""Closing the loop: the actions audits raise, Cases of Concern, re-audits, tracker emails.

An action's status is never stored: it follows from its dates, its updates and the day
it is looked at (``actions.status``). Updates are only ever appended.
"""

import datetime

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from audits.models import Grade
from common.history import ChangeHistory


class ActionSettings(models.Model):
    """The council's choices for closing the loop; one row, edited in the admin."""

    care_planning_days = models.PositiveIntegerField(
        "days to complete a care-planning action",
        default=28,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text="Days after an action is raised that a care-planning action is due, "
        "unless the auditor suggested a date.",
    )
    other_days = models.PositiveIntegerField(
        "days to complete another action",
        default=42,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text="Days after an action is raised that any other action is due, unless "
        "the auditor suggested a date.",
    )
    no_update_days = models.PositiveIntegerField(
        "days without an update",
        default=14,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text="An open action with nothing recorded for this many days (since it was "
        "raised or last updated) is shown as having no update.",
    )
    escalation_days = models.PositiveIntegerField(
        "days overdue before the Head of Service is told",
        default=28,
        validators=[MaxValueValidator(365)],
        help_text="Actions overdue by more than this many days are listed in the Head of "
        "Service's weekly email.",
    )
    reaudit_months = models.PositiveIntegerField(
        "months until a re-audit",
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(24)],
        help_text="A re-audit is proposed for this many months after a final Inadequate grade.",
    )
    reaudit_requires_improvement = models.BooleanField(
        "re-audit after Requires Improvement",
        default=False,
        help_text="Also propose a re-audit after a final Requires Improvement grade.",
    )
    link_expiry_days = models.PositiveIntegerField(
        "days a tracker email link works",
        default=14,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
        help_text="Links in the weekly tracker emails stop working after this many days.",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "closing the loop settings"
        verbose_name_plural = "closing the loop settings"

    def __str__(self):
        return "Closing the loop settings"

    @classmethod
    def load(cls) -> "ActionSettings":
        obj, _ = cls.objects.get_or_create(pk=1)
        return obj

    def days_for(self, kind: str) -> int:
        return self.care_planning_days if kind == ActionKind.CARE_PLANNING else self.other_days


class ActionKind(models.TextChoices):
    CARE_PLANNING = "care_planning", "Care planning"
    OTHER = "other", "Other"


class ActionStatus(models.TextChoices):
    NOT_YET_DUE = "not_yet_due", "Not yet due"
    OVERDUE = "overdue", "Overdue"
    COMPLETED_ON_TIME = "completed_on_time", "Completed on time"
    COMPLETED_LATE = "completed_late", "Completed late"


#: statuses of an action nobody has completed yet
OPEN_STATUSES = (ActionStatus.NOT_YET_DUE, ActionStatus.OVERDUE)


class TransferStatus(models.TextChoices):
    NOT_TRANSFERRED = "not_transferred", "Not yet in the child's plan"
    ON_TIME = "transferred_on_time", "In the child's plan on time"
    LATE = "transferred_late", "In the child's plan late"


#: an action's dates kept from its updates (actions.status.store_update_dates)
STORED_DATES = [
    "updates_completed_on",
    "updates_transferred_on",
    "updates_follow_up_on",
    "updates_recorded_until",
]


class Action(models.Model):
    """Something an audit found must happen for a child, and who must make it happen."""

    audit = models.ForeignKey("audits.Audit", on_delete=models.PROTECT, related_name="actions")
    proposed_action = models.OneToOneField(
        "audits.ProposedAction",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="action",
        help_text="The auditor's proposal this action was raised from (at most one action each).",
    )
    child = models.ForeignKey("audits.Child", on_delete=models.PROTECT, related_name="actions")
    team = models.ForeignKey(
        "accounts.Team",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The child's team when the action was raised; reports count it here.",
    )
    text = models.TextField("what must happen")
    kind = models.CharField(max_length=20, choices=ActionKind.choices, default=ActionKind.OTHER)
    owner = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_actions",
    )
    raised_on = models.DateField(help_text="The day the audit was accepted.")
    due_date = models.DateField()
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    # What all the action's updates say, kept in step with them whenever one is written
    # or removed (actions.status.store_update_dates): statuses read these three instead
    # of grouping every action's updates, on any day on or after the last day one of its
    # updates was recorded (``updates_recorded_until``).
    updates_completed_on = models.DateField(null=True, blank=True, editable=False)
    updates_transferred_on = models.DateField(null=True, blank=True, editable=False)
    updates_follow_up_on = models.DateField(null=True, blank=True, editable=False)
    updates_recorded_until = models.DateField(null=True, blank=True, editable=False)
    history = ChangeHistory(
        excluded_fields=[
            "updates_completed_on",
            "updates_transferred_on",
            "updates_follow_up_on",
            "updates_recorded_until",
        ]
    )

    class Meta:
        ordering = ["due_date", "pk"]
        indexes = [
            models.Index(fields=["owner", "due_date"]),
            models.Index(fields=["raised_on"]),
            models.Index(fields=["due_date"]),
            models.Index(fields=["updates_recorded_until"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(due_date__gte=models.F("raised_on")), name="action_due_after_raised"
            )
        ]

    def __str__(self):
        return f"{self.child} – {self.text[:50]}"

    def save(self, *args, **kwargs):
        """Saving an action read earlier never writes back its stored dates, which may
        have moved since: only ``store_update_dates`` writes them, from the updates."""
        if not self._state.adding and not args and kwargs.get("update_fields") is None:
            kwargs["update_fields"] = [
                f.name
                for f in self._meta.concrete_fields
                if not f.primary_key and f.name not in STORED_DATES
            ]
        super().save(*args, **kwargs)

    @property
    def display_reference(self) -> str:
        return f"ACT{self.pk:06d}"

    @property
    def is_care_planning(self) -> bool:
        return self.kind == ActionKind.CARE_PLANNING


class ActionUpdateKind(models.TextChoices):
    COMPLETED = "completed", "Done"
    TRANSFERRED = "transferred", "Transferred to the child's plan"
    NOTE = "note", "Note"
    CHANGED = "changed", "Changed"


#: updates that show someone is following the action up (a change of owner or date is not)
FOLLOW_UP_KINDS = (ActionUpdateKind.COMPLETED, ActionUpdateKind.TRANSFERRED, ActionUpdateKind.NOTE)


class ActionUpdate(models.Model):
    """One thing recorded about an action: appended, never changed."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    kind = models.CharField(max_length=20, choices=ActionUpdateKind.choices)
    happened_on = models.DateField(
        help_text="The day it happened (for a note or change: the day it was recorded)."
    )
    recorded_on = models.DateField(help_text="The day it was recorded.")
    note = models.TextField(blank=True)
    child_family_involved = models.BooleanField(
        "the child and family were involved", null=True, blank=True
    )
    iro_involved = models.BooleanField("the IRO or CP chair was involved", null=True, blank=True)
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    history = ChangeHistory()

    class Meta:
        ordering = ["action", "created_at", "pk"]
        indexes = [models.Index(fields=["action", "kind"]), models.Index(fields=["recorded_on"])]
        constraints = [
            models.UniqueConstraint(
                fields=["action"],
                condition=Q(kind="completed"),
                name="action_completed_once",
            ),
            models.UniqueConstraint(
                fields=["action"],
                condition=Q(kind="transferred"),
                name="action_transferred_once",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} on {self.happened_on:%d %b %Y}"


# Cases of Concern --------------------------------------------------------------------


class CaseOfConcern(models.Model):
    """A child with an Inadequate audit, followed up monthly by the Head of Service."""

    child = models.ForeignKey(
        "audits.Child", on_delete=models.PROTECT, related_name="cases_of_concern"
    )
    service_area = models.ForeignKey(
        "accounts.ServiceArea",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The child's service area when the case was opened.",
    )
    team = models.ForeignKey(
        "accounts.Team",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The child's team when the case was opened.",
    )
    head_of_service = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="held_cases_of_concern",
        help_text="The Head of Service who holds the case.",
    )
    opened_on = models.DateField()
    opened_at = models.DateTimeField(default=timezone.now)
    resolved_on = models.DateField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    history = ChangeHistory()

    class Meta:
        ordering = ["opened_on", "pk"]
        verbose_name = "case of concern"
        verbose_name_plural = "cases of concern"
        indexes = [
            # The Cases of Concern list pages in this order; open cases are its default.
            models.Index(fields=["opened_on", "id"], name="coc_opened_idx"),
            models.Index(
                fields=["opened_on", "id"],
                condition=Q(resolved_on__isnull=True),
                name="coc_open_opened_idx",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["child"],
                condition=Q(resolved_on__isnull=True),
                name="one_open_case_of_concern_per_child",
            )
        ]

    def __str__(self):
        return f"Case of Concern {self.display_reference}"

    @property
    def display_reference(self) -> str:
        return f"COC{self.pk:05d}"

    @property
    def is_open(self) -> bool:
        return self.resolved_on is None

    def age_in_days(self, today: datetime.date) -> int:
        return ((self.resolved_on or today) - self.opened_on).days


class CaseAudit(models.Model):
    """An Inadequate audit that opened, or was added to, a Case of Concern."""

    case = models.ForeignKey(CaseOfConcern, on_delete=models.CASCADE, related_name="links")
    audit = models.ForeignKey("audits.Audit", on_delete=models.PROTECT, related_name="+")
    final_grade = models.CharField(
        max_length=30,
        choices=Grade.choices,
        help_text="The audit's final overall grade now (moderation may change it).",
    )
    linked_on = models.DateField()
    grade_changed_on = models.DateField(null=True, blank=True)
    history = ChangeHistory()

    class Meta:
        ordering = ["case", "linked_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["case", "audit"], name="case_audit_once"),
        ]

    def __str__(self):
        return f"{self.audit} in {self.case}"


class CaseUpdate(models.Model):
    """The Head of Service's monthly update on a Case of Concern."""

    case = models.ForeignKey(CaseOfConcern, on_delete=models.CASCADE, related_name="updates")
    month = models.DateField(help_text="The first day of the month the update is for.")
    child_safe = models.BooleanField("the child is safe")
    plan_progressing = models.BooleanField(
        "an appropriate plan is in place and progressing with grip"
    )
    notes = models.TextField()
    recorded_on = models.DateField()
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    history = ChangeHistory()

    class Meta:
        ordering = ["case", "-created_at", "-pk"]
        indexes = [
            models.Index(fields=["case", "month"]),
            # A case's latest update, for each row of the Cases of Concern list.
            models.Index(fields=["case", "-created_at", "-id"], name="coc_update_latest_idx"),
        ]

    def __str__(self):
        return f"Update for {self.month:%B %Y}"

    @property
    def allows_resolution(self) -> bool:
        return self.child_safe and self.plan_progressing


# Re-audits --------------------------------------------------------------------------


class ReauditStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    ALLOCATED = "allocated", "Allocated"
    DISMISSED = "dismissed", "Dismissed"


class Comparison(models.TextChoices):
    IMPROVED = "improved", "Improved"
    SAME = "same", "Same"
    WORSE = "worse", "Worse"


class ReauditProposal(models.Model):
    """A re-audit of a child some months after a final Inadequate (or RI) audit."""

    audit = models.OneToOneField(
        "audits.Audit",
        on_delete=models.PROTECT,
        related_name="reaudit_proposal",
        help_text="The earlier audit.",
    )
    child = models.ForeignKey("audits.Child", on_delete=models.PROTECT, related_name="+")
    team = models.ForeignKey(
        "accounts.Team",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The earlier audit's team; reports count the re-audit here.",
    )
    earlier_grade = models.CharField(
        "earlier final grade", max_length=30, choices=Grade.choices, blank=True
    )
    due_month = models.DateField(help_text="The first day of the month the re-audit is due.")
    status = models.CharField(
        max_length=20, choices=ReauditStatus.choices, default=ReauditStatus.PROPOSED
    )
    reaudit = models.OneToOneField(
        "audits.Audit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reaudit_source",
    )
    reaudit_grade = models.CharField(
        "re-audit final grade", max_length=30, choices=Grade.choices, blank=True
    )
    outcome = models.CharField(max_length=20, choices=Comparison.choices, blank=True)
    compared_on = models.DateField(
        null=True, blank=True, help_text="When the re-audit's final grade was last set."
    )
    decided_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    dismiss_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["due_month", "pk"]
        indexes = [models.Index(fields=["status", "due_month"])]

    def __str__(self):
        return f"Re-audit of {self.child} due {self.due_month:%B %Y}"


# Tracker emails ---------------------------------------------------------------------


class RunKind(models.TextChoices):
    MANAGER_WEEKLY = "tracker", "Weekly tracker"
    HEAD_OF_SERVICE_WEEKLY = "hos_tracker", "Weekly escalation to Heads of Service"
    CONCERN_MONTHLY = "coc_request", "Monthly Case of Concern update request"


class TrackerRun(models.Model):
    """One sending of one kind of email for one week (its Monday) or month (its 1st)."""

    kind = models.CharField(max_length=20, choices=RunKind.choices)
    period_start = models.DateField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-period_start", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "period_start"], name="tracker_run_once"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} for {self.period_start:%d %B %Y}"


class TrackerEmail(models.Model):
    """One person's email in a run: planned once per run, delivered by the outbox."""

    run = models.ForeignKey(TrackerRun, on_delete=models.CASCADE, related_name="emails")
    recipient = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="tracker_emails"
    )
    outbox = models.OneToOneField(
        "outbox.OutboxEmail",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tracker_email",
    )
    item_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["run", "recipient__last_name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["run", "recipient"], name="tracker_email_once"),
        ]

    def __str__(self):
        return f"{self.run} to {self.recipient}"


# Service improvement actions --------------------------------------------------------


class ImprovementStatus(models.TextChoices):
    OPEN = "open", "Open"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"


class ServiceImprovementAction(models.Model):
    """Something the service will do because of what a report found, not about one child
    ("Service Managers will agree what a good chronology looks like").

    Like an action's, its status is not stored: it is done from the day it was done,
    in progress once a progress update is recorded, open before that
    (``actions.selectors.service_improvement``). Where it was raised is kept as text, so
    this app needs nothing from the reports.
    """

    title = models.CharField("what will happen", max_length=300)
    finding = models.TextField(
        "the finding it responds to", blank=True, help_text="What the report found."
    )
    leads = models.ManyToManyField(
        "accounts.User", related_name="led_improvement_actions", help_text="At least one."
    )
    lead_description = models.CharField(
        "lead, as the report names it",
        max_length=200,
        blank=True,
        help_text='Optional, for a group: "Service Managers".',
    )
    service_area = models.ForeignKey(
        "accounts.ServiceArea",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty: the whole organisation.",
    )
    raised_in = models.CharField(
        "raised in", max_length=200, help_text='Where it was raised: "Quarterly report Q1 2026-27".'
    )
    raised_on = models.DateField()
    timescale = models.DateField(help_text="The date by which it will be done.")
    completed_on = models.DateField("done on", null=True, blank=True)
    completed_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords(m2m_fields=[leads])

    class Meta:
        ordering = ["timescale", "pk"]
        verbose_name = "service improvement action"
        indexes = [
            models.Index(fields=["completed_on"]),
            models.Index(fields=["raised_on"]),
            models.Index(fields=["timescale"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(timescale__gte=models.F("raised_on")),
                name="improvement_timescale_after_raised",
            ),
            models.CheckConstraint(
                condition=Q(completed_on__isnull=True) | Q(completed_on__gte=models.F("raised_on")),
                name="improvement_done_after_raised",
            ),
        ]

    def __str__(self):
        return f"{self.display_reference} – {self.title[:60]}"

    @property
    def display_reference(self) -> str:
        return f"SIA{self.pk:04d}"

    @property
    def is_done(self) -> bool:
        return self.completed_on is not None

    def is_overdue(self, today: datetime.date) -> bool:
        return self.completed_on is None and self.timescale < today


class ServiceImprovementUpdate(models.Model):
    """A progress note on a service improvement action: appended, never changed."""

    action = models.ForeignKey(
        ServiceImprovementAction, on_delete=models.CASCADE, related_name="updates"
    )
    note = models.TextField("progress")
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["action", "-created_at", "-pk"]
        indexes = [models.Index(fields=["action", "created_at"])]

    def __str__(self):
        return f"Progress on {self.created_at:%d %b %Y}"
