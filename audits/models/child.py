"""Children's case records: the least an audit needs."""

from django.db import models
from django.utils import timezone

from common.history import ChangeHistory


class LegalStatus(models.TextChoices):
    EARLY_HELP = "early_help", "Early Help"
    CHILD_IN_NEED = "child_in_need", "Child in Need"
    CHILD_PROTECTION = "child_protection", "Child Protection"
    CHILD_IN_CARE = "child_in_care", "Child in Care"
    CARE_LEAVER = "care_leaver", "Care Leaver"
    DISABLED_CHILDREN = "disabled_children", "Disabled Children"
    SUBJECT_TO_ASSESSMENT = "subject_to_assessment", "Subject to assessment"


class Sex(models.TextChoices):
    FEMALE = "F", "Female"
    MALE = "M", "Male"
    UNKNOWN = "U", "Not known"


class Child(models.Model):
    """A child's case record: only what an audit needs, never a name or address."""

    case_reference = models.CharField(
        max_length=40,
        unique=True,
        help_text="The child's reference in the case management system.",
    )
    team = models.ForeignKey("accounts.Team", on_delete=models.PROTECT, related_name="children")
    legal_status = models.CharField(max_length=30, choices=LegalStatus.choices)
    date_of_birth = models.DateField(null=True, blank=True)
    social_worker = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="allocated_children",
        verbose_name="allocated social worker",
    )
    is_open = models.BooleanField(default=True, help_text="The case is open to the service.")
    sex = models.CharField(
        max_length=1, choices=Sex.choices, blank=True, help_text="From the case list (SSD)."
    )
    ethnicity = models.CharField(
        max_length=4,
        blank=True,
        help_text="The DfE ethnicity code, from the case list (SSD), for example WBRI.",
    )
    history = ChangeHistory()

    class Meta:
        ordering = ["case_reference"]
        verbose_name_plural = "children"

    def __str__(self):
        return self.case_reference

    def age_on(self, day):
        if self.date_of_birth is None:
            return None
        born = self.date_of_birth
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


class ChildViewEvent(models.Model):
    """Who opened a child's case record, and when (audits keep their own events)."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="view_events")
    user = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["child", "at"]), models.Index(fields=["at"])]

    def __str__(self):
        return f"Viewed at {self.at:%Y-%m-%d %H:%M}"
