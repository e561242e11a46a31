"""The targets leaders' figures are rated against (RAG), set by the QA Lead."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

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
