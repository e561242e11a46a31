from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from common.history import ChangeHistory


class RecordSearch(models.Model):
    """One search of the records of views and changes: who searched for what, and
    whether they downloaded the result. Searches are themselves in the records."""

    user = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    criteria = models.CharField(max_length=300)
    exported = models.BooleanField(default=False)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["at"])]
        verbose_name_plural = "record searches"

    def __str__(self):
        return f"{'Exported' if self.exported else 'Searched'} at {self.at:%Y-%m-%d %H:%M}"


def _years(label: str, help_text: str):
    return models.PositiveSmallIntegerField(
        label,
        default=6,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=help_text,
    )


class RetentionSettings(models.Model):
    """How long each kind of record keeps what could identify a child; one row, edited
    in the admin. After that, a daily task anonymises it (governance.retention)."""

    audit_years = _years(
        "years an audit keeps its text",
        "After the audit was completed: the evidence, rationale, answers' comments and "
        "written answers, moderation and replies are removed. Grades and dates stay.",
    )
    feedback_years = _years(
        "years feedback keeps its comments",
        "After the feedback was given: the family's comments are removed. Answers and "
        "scores stay. Quotes picked with consent are kept.",
    )
    action_years = _years(
        "years an action or Case of Concern keeps its text",
        "After the action was raised or the case resolved: what had to happen, the "
        "updates' notes and the monthly notes are removed. Dates and outcomes stay.",
    )
    case_record_years = _years(
        "years a closed child keeps their case reference",
        "After the child's last audit, once their case is closed and no Case of Concern "
        "is open: the case reference is replaced by ANON- and a number, and the social "
        "worker removed.",
    )
    history = ChangeHistory()

    class Meta:
        verbose_name = "retention settings"
        verbose_name_plural = "retention settings"

    def __str__(self):
        return "Retention settings"

    @classmethod
    def load(cls) -> "RetentionSettings":
        obj, _ = cls.objects.get_or_create(pk=1)
        return obj


class RetentionRun(models.Model):
    """One run of the retention task: the day it judged by, and how many rows of each
    model it anonymised."""

    day = models.DateField()
    at = models.DateTimeField(default=timezone.now)
    counts = models.JSONField(default=dict)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self):
        total = sum(self.counts.values())
        return f"Retention on {self.day:%d %b %Y}: {total} rows anonymised"
