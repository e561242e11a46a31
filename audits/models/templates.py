"""Domains, grade descriptors and audit templates: all data, not code.

A template that has been used is never edited: a new version is made instead
(``audits.services.templates.template_new_version``), so every audit keeps the
version it was done on.
"""

from django.db import models
from simple_history.models import HistoricalRecords

from common.history import ChangeHistory

from .grades import Grade


class Domain(models.Model):
    name = models.CharField(max_length=120, unique=True)
    description = models.TextField(blank=True)
    is_active = models.BooleanField(default=True)
    history = ChangeHistory()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class GradeDescriptor(models.Model):
    """What a grade looks like in a domain, shown beside the grade as auditors choose it."""

    domain = models.ForeignKey(Domain, on_delete=models.CASCADE, related_name="descriptors")
    grade = models.CharField(
        max_length=30,
        choices=[(g.value, g.label) for g in Grade if g != Grade.NOT_GRADED],
    )
    text = models.TextField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["domain", "grade"]
        constraints = [
            models.UniqueConstraint(fields=["domain", "grade"], name="descriptor_unique_grade"),
        ]

    def __str__(self):
        return f"{self.domain}: {self.get_grade_display()}"


class AuditTemplate(models.Model):
    family = models.SlugField(
        max_length=80, help_text="Versions of the same template share this key."
    )
    version = models.PositiveIntegerField(default=1)
    name = models.CharField(max_length=160)
    description = models.TextField(blank=True)
    is_active = models.BooleanField(
        default=True, help_text="Offered for new allocations. Only one version per family."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    history = ChangeHistory()

    class Meta:
        ordering = ["name", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["family", "version"], name="template_version_unique"),
            models.UniqueConstraint(
                fields=["family"],
                condition=models.Q(is_active=True),
                name="template_one_active_version",
            ),
        ]

    def __str__(self):
        return f"{self.name} (version {self.version})"

    @property
    def is_used(self) -> bool:
        return self.audits.exists()

    def domains(self):
        return [s.domain for s in self.sections.all() if s.domain_id]


class TemplateSection(models.Model):
    template = models.ForeignKey(AuditTemplate, on_delete=models.CASCADE, related_name="sections")
    order = models.PositiveIntegerField()
    title = models.CharField(max_length=160)
    domain = models.ForeignKey(
        Domain,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sections",
        help_text="A domain section asks for a grade with evidence; leave empty for a "
        "general section.",
    )
    guidance = models.TextField(blank=True)
    history = ChangeHistory()

    class Meta:
        ordering = ["template", "order"]
        constraints = [
            models.UniqueConstraint(fields=["template", "order"], name="section_order_unique"),
            models.UniqueConstraint(
                fields=["template", "domain"],
                condition=models.Q(domain__isnull=False),
                name="section_domain_once_per_template",
            ),
        ]

    def __str__(self):
        return self.title


class QuestionKind(models.TextChoices):
    YES_NO = "yes_no", "Yes / no / partly / not applicable"
    NUMBER = "number", "Number"
    SHORT_TEXT = "short_text", "Short text"
    LONG_TEXT = "long_text", "Long text"
    SINGLE_CHOICE = "single_choice", "Single choice"
    MULTIPLE_CHOICE = "multiple_choice", "Multiple choice"


YES_NO_OPTIONS = [
    ("yes", "Yes"),
    ("partly", "Partly"),
    ("no", "No"),
    ("not_applicable", "Not applicable"),
]


class Question(models.Model):
    section = models.ForeignKey(TemplateSection, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveIntegerField()
    text = models.CharField(max_length=300)
    kind = models.CharField(max_length=20, choices=QuestionKind.choices)
    required = models.BooleanField(default=True)
    needs_comment = models.BooleanField(
        "ask for evidence with the answer",
        default=True,
        help_text="For yes / no questions: an answer other than 'not applicable' needs a "
        "written comment.",
    )
    help_text = models.TextField(blank=True)
    choices = models.JSONField(
        default=list, blank=True, help_text="The options, for single and multiple choice."
    )
    history = ChangeHistory()

    class Meta:
        ordering = ["section", "order"]
        constraints = [
            models.UniqueConstraint(fields=["section", "order"], name="question_order_unique"),
        ]

    def __str__(self):
        return self.text

    @property
    def options(self) -> list[tuple[str, str]]:
        if self.kind == QuestionKind.YES_NO:
            return YES_NO_OPTIONS
        return [(choice, choice) for choice in self.choices]
