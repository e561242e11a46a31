"""The targets leaders' figures are rated against (RAG), set by the QA Lead."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from common.history import ChangeHistory

PERCENT = [MinValueValidator(0), MaxValueValidator(100)]


def _percent(label: str, default: int, help_text: str):
    return models.PositiveSmallIntegerField(
        label, default=default, validators=PERCENT, help_text=help_text
    )


class Targets(models.Model):
    """One row (``Targets.load()``): the defaults are those councils commonly use."""

    audits_baseline = models.PositiveIntegerField(
        "audits a month: baseline",
        default=45,
        validators=[MaxValueValidator(10000)],
        help_text="Audits completed a month across the whole organisation. Fewer is red.",
    )
    audits_stretch_per_team = models.PositiveIntegerField(
        "audits a month: stretch, per team",
        default=2,
        validators=[MaxValueValidator(100)],
        help_text="Audits completed a month for each team. As many or more is green.",
    )
    completion_rate = _percent(
        "completion rate", 90, "Allocated audits completed, as a percentage."
    )
    good_or_better = _percent(
        "Good or better", 50, "Final grades Good or Outstanding, as a percentage of audits."
    )
    inadequate_at_most = _percent(
        "Inadequate, at most", 9, "Final grades Inadequate: at most this percentage of audits."
    )
    actions_within_timescale = _percent(
        "previous month's actions completed within timescale",
        80,
        "Actions raised in the month before, completed within timescale, as a percentage.",
    )
    child_spoken_to = _percent(
        "children aged 4 or over spoken to", 80, "As a percentage of the audits where it applies."
    )
    parent_carer_spoken_to = _percent(
        "parents or carers spoken to", 80, "As a percentage of the audits where it applies."
    )
    social_worker_involved = _percent(
        "social worker involvement", 95, "As a percentage of the audits where it applies."
    )
    team_manager_involved = _percent(
        "team manager involvement", 95, "As a percentage of the audits where it applies."
    )
    iro_involved = _percent(
        "IRO or CP chair involvement", 95, "As a percentage of the audits where it applies."
    )
    amber_points = models.PositiveSmallIntegerField(
        "amber margin, in percentage points",
        default=5,
        validators=[MaxValueValidator(50)],
        help_text="A percentage this many points or fewer short of its target is amber, not red.",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "targets"
        verbose_name_plural = "targets"

    def __str__(self):
        return "Targets"

    @classmethod
    def load(cls) -> "Targets":
        obj, _ = cls.objects.get_or_create(pk=1)
        return obj


# Reports: stored, versioned snapshots ---------------------------------------------


class ReportKind(models.TextChoices):
    QUARTERLY = "quarterly", "Quarterly"
    ANNUAL = "annual", "Annual"
    RANGE = "range", "Date range"


class ReportStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


class Report(models.Model):
    """A QA report for one period and scope (the whole organisation, or one service
    area). What it says is in its versions: each a snapshot of the figures as they were
    computed, so a published version reads the same forever."""

    kind = models.CharField(max_length=10, choices=ReportKind.choices)
    start = models.DateField()
    end = models.DateField()
    label = models.CharField(
        max_length=60, help_text="The period as written in the report, e.g. Q1 2026/27."
    )
    service_area = models.ForeignKey(
        "accounts.ServiceArea",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reports",
        help_text="Blank: the whole organisation.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = ChangeHistory()

    class Meta:
        ordering = ["-end", "kind", "service_area__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "start", "end", "service_area"], name="report_once_per_scope"
            ),
            models.UniqueConstraint(
                fields=["kind", "start", "end"],
                condition=models.Q(service_area__isnull=True),
                name="report_once_for_organisation",
            ),
            models.CheckConstraint(
                condition=models.Q(start__lte=models.F("end")), name="report_period_in_order"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} report {self.label}, {self.scope_label}"

    @property
    def scope_label(self) -> str:
        return self.service_area.name if self.service_area_id else "whole organisation"


class ReportVersion(models.Model):
    """One generation of a report. ``figures`` are stored whole and never recomputed;
    ``basis`` lists the audits they were counted from (reference -> final grade and
    when it arrived), so a later version can say which audits moved a figure."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    status = models.CharField(
        max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    generated_at = models.DateTimeField()
    generated_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Blank: generated by the schedule.",
    )
    fingerprint = models.CharField(max_length=64, help_text="SHA-256 of the figures.")
    figures = models.JSONField()
    basis = models.JSONField(default=dict)
    changes = models.JSONField(
        default=dict, help_text="What moved since the version before, and the audits why."
    )
    strengths = models.TextField(blank=True)
    areas_for_learning = models.TextField(blank=True)
    our_response = models.TextField(blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    lock_version = models.PositiveIntegerField(default=0)
    history = HistoricalRecords(excluded_fields=["figures", "basis", "changes"])

    class Meta:
        ordering = ["report", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="report_version_once"),
        ]

    def __str__(self):
        return f"{self.report}, version {self.number} ({self.get_status_display().lower()})"

    @property
    def is_published(self) -> bool:
        return self.status == ReportStatus.PUBLISHED


class RunStatus(models.TextChoices):
    WAITING = "waiting", "Waiting"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class ReportRun(models.Model):
    """A "Generate now" asked of the worker, with its progress for the page to show."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="runs")
    requested_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=10, choices=RunStatus.choices, default=RunStatus.WAITING)
    progress = models.PositiveSmallIntegerField(default=0, help_text="Percent done.")
    step = models.CharField(max_length=120, blank=True)
    version = models.ForeignKey(
        ReportVersion, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_version = models.BooleanField(default=False)
    error = models.TextField(blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]

    def __str__(self):
        return f"Generating {self.report} ({self.get_status_display().lower()})"

    @property
    def finished(self) -> bool:
        return self.status in (RunStatus.DONE, RunStatus.FAILED)


class DataVersion(models.Model):
    """The version of the data the leaders' figures are counted from: one row, set to a
    new random number by database triggers whenever a change to that data is committed
    (``reporting.data_version``)."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    value = models.BigIntegerField()

    def __str__(self):
        return f"Data version {self.value}"
