"""The nightly case list sync from a configured folder."""

import logging

from celery import shared_task
from django.conf import settings

from audits.caselist import CaseListError, sync_case_list

logger = logging.getLogger(__name__)

__all__ = ["sync_case_list_nightly"]


@shared_task
def sync_case_list_nightly():
    """Read the SSD extract in CASE_LIST_FOLDER, if one is configured; a bad extract
    changes nothing and its problems are logged. Idempotent: the same extract twice
    changes nothing."""
    folder = settings.CASE_LIST_FOLDER
    if not folder:
        return "no CASE_LIST_FOLDER: nothing to read"
    try:
        summary = sync_case_list(folder)
    except CaseListError as problem:
        # Where, not what: a value may be a child's id or date of birth, and logs hold
        # no case content. The command shows the values to the person running it.
        for error in problem.errors[:100]:
            logger.error(
                "case list: %s.csv row %s %s: %s",
                error.file,
                error.row,
                error.column,
                error.message,
            )
        return f"{len(problem.errors)} problems: nothing changed"
    return "; ".join(summary.lines())
