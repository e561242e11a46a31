"""An audit of one child's case, and everything recorded in it."""

import datetime

from django.db import models
from django.utils import timezone

from common.history import ChangeHistory

from .grades import Grade, RIBand


class AuditType(models.TextChoices):
    CHILD_JOURNEY = "child_journey", "Child Journey Audit"
    RE_AUDIT = "re_audit", "Re-audit"


class AuditStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"  # in an allocation round not yet published
    ALLOCATED = "allocated", "Allocated"
    IN_PROGRESS = "in_progress", "In progress"
    SUBMITTED = "submitted", "Submitted"
    RETURNED = "returned", "Returned for changes"
    ACCEPTED = "accepted", "Accepted"
    EXEMPTED = "exempted", "Exempted"
    CANCELLED = "cancelled", "Cancelled"


#: statuses in which the auditor may still change the audit
EDITABLE_STATUSES = (AuditStatus.ALLOCATED, AuditStatus.IN_PROGRESS, AuditStatus.RETURNED)
#: statuses in which an audit is still the auditor's to finish
OPEN_STATUSES = EDITABLE_STATUSES
#: statuses that count as completed
COMPLETED_STATUSES = (AuditStatus.SUBMITTED, AuditStatus.ACCEPTED)


class Involvement(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    NOT_APPLICABLE = "not_applicable", "Not applicable"


class NotSpokenReason(models.TextChoices):
    NOT_APPROPRIATE = "not_appropriate", "Not appropriate"
    UNREACHABLE = "unreachable", "Unreachable after attempts"
    DECLINED = "declined", "Declined"


class Audit(models.Model):
    audit_type = models.CharField(
        max_length=20, choices=AuditType.choices, default=AuditType.CHILD_JOURNEY
    )
    reference = models.CharField(
        max_length=60,
        unique=True,
        null=True,
        blank=True,
        help_text="The audit's reference in an earlier system (audit_ref in imports).",
    )
    child = models.ForeignKey("audits.Child", on_delete=models.PROTECT, related_name="audits")
    template = models.ForeignKey(
        "audits.AuditTemplate", on_delete=models.PROTECT, related_name="audits"
    )
    auditor = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="audits", null=True, blank=True
    )
    allocation_round = models.ForeignKey(
        "audits.AllocationRound",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="audits",
        help_text="Empty for an ad hoc allocation or an imported audit.",
    )
    reaudit_of = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reaudits",
        help_text="For a re-audit: the earlier audit of the same child.",
    )
    # Snapshot of the child's team when the audit was allocated, so reports by team
    # stay true after the child moves team.
    team = models.ForeignKey("accounts.Team", on_delete=models.PROTECT, related_name="audits")
    month = models.DateField(help_text="The first day of the month the audit belongs to.")
    due_date = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=20, choices=AuditStatus.choices, default=AuditStatus.ALLOCATED
    )
    allocated_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    allocation_note = models.CharField(
        max_length=200, blank=True, help_text="Why, for an ad hoc allocation."
    )

    overall_grade = models.CharField(max_length=30, choices=Grade.choices, blank=True)
    overall_ri_band = models.CharField(max_length=10, choices=RIBand.choices, blank=True)
    overall_rationale = models.TextField(blank=True)
    strengths = models.TextField(blank=True)
    areas_for_development = models.TextField(blank=True)

    social_worker_involved = models.CharField(
        max_length=20, choices=Involvement.choices, blank=True
    )
    team_manager_involved = models.CharField(max_length=20, choices=Involvement.choices, blank=True)
    iro_involved = models.CharField(
        "IRO or CP chair involved", max_length=20, choices=Involvement.choices, blank=True
    )
    child_spoken_to = models.CharField(max_length=20, choices=Involvement.choices, blank=True)
    child_not_spoken_reason = models.CharField(
        max_length=20, choices=NotSpokenReason.choices, blank=True
    )
    parent_carer_spoken_to = models.CharField(
        "parent or carer spoken to", max_length=20, choices=Involvement.choices, blank=True
    )
    parent_not_spoken_reason = models.CharField(
        max_length=20, choices=NotSpokenReason.choices, blank=True
    )

    started_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    completed_on = models.DateField(
        null=True, blank=True, help_text="The day the audit was completed (submitted)."
    )
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    returned_at = models.DateTimeField(null=True, blank=True)
    return_comments = models.TextField(blank=True)
    is_imported = models.BooleanField(default=False)
    # Optimistic concurrency: every saved change increments it.
    lock_version = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    history = ChangeHistory(excluded_fields=["lock_version"], unrecorded=("updated_at",))

    class Meta:
        ordering = ["-month", "due_date", "pk"]
        indexes = [
            models.Index(fields=["status", "month"]),
            # My audits: an auditor's audits by status, completed ones newest first.
            models.Index(
                fields=["auditor", "status", "-completed_on", "-id"],
                name="audit_auditor_status_done_idx",
            ),
            models.Index(fields=["completed_on"]),
            # The default ordering (the audits API's): a page is read off the index.
            models.Index(fields=["-month", "due_date", "id"], name="audit_default_order_idx"),
        ]
        permissions = [("import_audits", "Can import past audits")]

    def __str__(self):
        return self.reference or f"Audit {self.pk}"

    @property
    def kind_name(self) -> str:
        """What the audit is called on its page: the template it follows (a Leaving Care
        Audit is not a Child Journey Audit), marked when it is a re-audit."""
        name = self.template.name
        return (
            f"{AuditType.RE_AUDIT.label}: {name}" if self.audit_type == AuditType.RE_AUDIT else name
        )

    @property
    def display_reference(self) -> str:
        return self.reference or f"A{self.pk:06d}"

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.status in OPEN_STATUSES and self.due_date is not None and self.due_date < today


class DomainGrading(models.Model):
    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="gradings")
    domain = models.ForeignKey("audits.Domain", on_delete=models.PROTECT, related_name="gradings")
    grade = models.CharField(max_length=30, choices=Grade.choices, blank=True)
    ri_band = models.CharField(max_length=10, choices=RIBand.choices, blank=True)
    evidence = models.TextField(blank=True)
    history = ChangeHistory()

    class Meta:
        ordering = ["audit", "domain__name"]
        constraints = [
            models.UniqueConstraint(fields=["audit", "domain"], name="grading_once_per_domain"),
        ]

    def __str__(self):
        return f"{self.domain}: {self.get_grade_display()}"


class Answer(models.Model):
    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey("audits.Question", on_delete=models.PROTECT, related_name="+")
    value = models.JSONField(null=True, blank=True)
    comment = models.TextField(blank=True, help_text="Evidence for a yes / no answer.")
    history = ChangeHistory()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["audit", "question"], name="answer_once_per_question"),
        ]

    def __str__(self):
        return f"Answer to question {self.question_id}"


class ProposedAction(models.Model):
    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="proposed_actions")
    order = models.PositiveIntegerField(default=0)
    text = models.TextField("what must happen")
    for_child_plan = models.BooleanField(
        "belongs in the child's plan",
        default=False,
        help_text="A care-planning action, to be transferred to the child's plan.",
    )
    suggested_owner = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    suggested_due = models.DateField("suggested date", null=True, blank=True)

    class Meta:
        ordering = ["audit", "order", "pk"]

    def __str__(self):
        return self.text[:60]


class GradeChangeStage(models.TextChoices):
    SUBMITTED = "submitted", "Submitted by the auditor"
    IMPORTED = "imported", "Imported"
    MODERATED = "moderated", "Moderated"
    CORRECTED = "corrected", "Corrected"


class GradeChange(models.Model):
    """Every grade an audit has held after submission: who, when and why."""

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="grade_changes")
    domain = models.ForeignKey(
        "audits.Domain",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty for the overall grade.",
    )
    old_grade = models.CharField(max_length=30, choices=Grade.choices, blank=True)
    new_grade = models.CharField(max_length=30, choices=Grade.choices, blank=True)
    stage = models.CharField(max_length=20, choices=GradeChangeStage.choices)
    reason = models.TextField(blank=True)
    changed_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["audit", "changed_at", "pk"]
        indexes = [
            # an audit's latest grade (or a domain's): the figures read it for each audit
            models.Index(
                fields=["audit", "domain", "-changed_at", "-id"], name="audits_grade_latest_idx"
            )
        ]

    def __str__(self):
        return f"{self.old_grade or 'none'} to {self.new_grade or 'none'}"


class ReplyStance(models.TextChoices):
    AGREE = "agree", "I agree with the findings"
    DISAGREE = "disagree", "I disagree with the findings"
    COMMENT = "comment", "I have a comment"


class SocialWorkerReply(models.Model):
    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="replies")
    author = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    stance = models.CharField(max_length=20, choices=ReplyStance.choices)
    text = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["audit", "created_at"]

    def __str__(self):
        return self.get_stance_display()


class AuditEventKind(models.TextChoices):
    VIEWED = "viewed", "Viewed"
    REASON_GIVEN = "reason_given", "Opened outside own teams, with a reason"
    ALLOCATED = "allocated", "Allocated"
    SAVED = "saved", "Draft saved"
    SUBMITTED = "submitted", "Submitted"
    RETURNED = "returned", "Returned for changes"
    ACCEPTED = "accepted", "Accepted"
    REPLIED = "replied", "Social worker replied"
    EXPORTED = "exported", "Exported"
    IMPORTED = "imported", "Imported"
    UPDATED = "updated", "Updated"
    CANCELLED = "cancelled", "Cancelled"
    REALLOCATED = "reallocated", "Reallocated"


class AuditEvent(models.Model):
    """Who viewed or changed an audit, and when. Never holds case content."""

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="events")
    user = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=AuditEventKind.choices)
    at = models.DateTimeField(default=timezone.now)
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        # by audit for its page; by time for the records of views and changes
        indexes = [models.Index(fields=["audit", "at"]), models.Index(fields=["at"])]

    def __str__(self):
        return f"{self.get_kind_display()} at {self.at:%Y-%m-%d %H:%M}"
