from django.db import models
from django.utils import timezone


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

    def __str__(self):
        return f"{'Exported' if self.exported else 'Searched'} at {self.at:%Y-%m-%d %H:%M}"
