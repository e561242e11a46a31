from celery import shared_task

from .retention import apply_retention as apply


@shared_task
def apply_retention() -> dict:
    """Anonymise every record past its retention period (daily); idempotent."""
    return apply().counts
