"""Other audit types, recorded with light forms and counted separately in reports."""

from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone

from .grades import Grade


class SampleKind(models.TextChoices):
    DIP_SAMPLE = "dip_sample", "Dip sample"
    THEMATIC = "thematic", "Thematic audit"


class SampleAudit(models.Model):
    """A dip sample or thematic audit across many records."""

    kind = models.CharField(max_length=20, choices=SampleKind.choices)
    topic = models.CharField(max_length=200)
    month = models.DateField(help_text="The first day of the month it was done.")
    records_sampled = models.PositiveIntegerField(validators=[MinValueValidator(1)])
    lead = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    service_area = models.ForeignKey(
        "accounts.ServiceArea", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    findings = models.TextField()
    recommendations = models.TextField(blank=True)
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-month", "topic"]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.topic}"


class MultiAgencyAudit(models.Model):
    topic = models.CharField(max_length=200)
    month = models.DateField(help_text="The first day of the month it was done.")
    agencies = models.TextField(help_text="The agencies taking part, one per line.")
    families_considered = models.PositiveIntegerField(validators=[MinValueValidator(1)])
    lead = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    findings = models.TextField()
    recommendations = models.TextField(blank=True)
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-month", "topic"]

    def __str__(self):
        return self.topic

    @property
    def agency_list(self) -> list[str]:
        return [line.strip() for line in self.agencies.splitlines() if line.strip()]


class ObservationSetting(models.TextChoices):
    HOME_VISIT = "home_visit", "Home visit"
    MEETING = "meeting", "Meeting or conference"
    SUPERVISION = "supervision", "Supervision"
    DIRECT_WORK = "direct_work", "Direct work with a child"
    OTHER = "other", "Other"


class PracticeObservation(models.Model):
    """A direct observation of a practitioner's practice."""

    practitioner = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    observer = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    team = models.ForeignKey("accounts.Team", on_delete=models.PROTECT, related_name="+")
    observed_on = models.DateField()
    setting = models.CharField(max_length=20, choices=ObservationSetting.choices)
    grade = models.CharField(
        max_length=30,
        choices=[(g.value, g.label) for g in Grade if g != Grade.NOT_GRADED],
        blank=True,
    )
    strengths = models.TextField()
    areas_for_development = models.TextField(blank=True)
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-observed_on"]

    def __str__(self):
        return f"Observation of {self.practitioner} on {self.observed_on}"
