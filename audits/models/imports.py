from django.db import models
from django.utils import timezone


class ImportStatus(models.TextChoices):
    PENDING = "pending", "Waiting to start"
    RUNNING = "running", "Checking and importing"
    FAILED = "failed", "Not imported: the file has errors"
    CHECKED = "checked", "Checked: no errors (dry run, nothing imported)"
    IMPORTED = "imported", "Imported"


class ImportJob(models.Model):
    """An upload of past audits, run by Celery; its progress shows on the upload page."""

    created_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    file = models.FileField(upload_to="imports/%Y/%m/")
    original_name = models.CharField(max_length=255)
    dry_run = models.BooleanField(default=False)
    create_missing = models.BooleanField(default=False)
    status = models.CharField(
        max_length=20, choices=ImportStatus.choices, default=ImportStatus.PENDING
    )
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    #: every error found in the file; only the first few (IMPORT_MAX_ERRORS) are kept
    error_count = models.PositiveIntegerField(default=0)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return self.original_name

    @property
    def percent_done(self) -> int:
        if not self.total_rows:
            return 0
        return min(100, round(100 * self.processed_rows / self.total_rows))


class ImportJobError(models.Model):
    """One of the errors kept for a job, in the order the job page lists them."""

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="error_rows")
    position = models.PositiveIntegerField()
    #: the spreadsheet's row number; null for a problem with the whole file
    row = models.PositiveIntegerField(null=True, blank=True)
    column = models.CharField(max_length=255, blank=True)
    value = models.TextField(blank=True)
    message = models.TextField()

    class Meta:
        ordering = ["job", "position"]
        constraints = [
            models.UniqueConstraint(fields=["job", "position"], name="import_error_position")
        ]

    def __str__(self):
        return f"{self.row or 'file'}: {self.message}"
