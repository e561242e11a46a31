"""Importing past audits from a file: the one function the command and the upload
page's Celery task both call."""

from __future__ import annotations

import datetime
from typing import BinaryIO

from accounts.models import User

from .applying import apply_plan
from .reading import FileUnreadable, read_table
from .result import ImportResult, RowError
from .validation import Progress, check_table


def audits_import(
    *,
    data: bytes | BinaryIO,
    file_name: str,
    user: User | None,
    create_missing: bool = False,
    dry_run: bool = False,
    today: datetime.date | None = None,
    progress: Progress | None = None,
    saving_progress: Progress | None = None,
) -> ImportResult:
    """Import one file of past audits, all or nothing.

    Every row is checked before anything is written; if any row is wrong, nothing is
    imported and the result lists every error (row, column, value, why). A row whose
    audit_ref matches an imported audit updates that audit; an identical row changes
    nothing. Unknown service areas, teams, domains and people are errors unless
    ``create_missing``; an unknown child is always created. With ``dry_run`` the file
    is only checked. ``progress(done, total)`` is called as rows are checked,
    ``saving_progress(done, total)`` as the audits are saved.

    ``data`` is the file's content or a binary file open for reading; the file is read
    as a stream. Only the first settings.IMPORT_MAX_ERRORS errors are kept in the
    result; ``error_count`` counts them all.
    """
    try:
        table = read_table(data, file_name)
        try:
            plan, result = check_table(
                table,
                create_missing=create_missing,
                dry_run=dry_run,
                today=today,
                progress=progress,
            )
            if not result.ok or dry_run or plan is None:
                return result
            apply_plan(plan, table, user=user, source_name=file_name, progress=saving_progress)
        finally:
            table.close()
    except FileUnreadable as error:
        return ImportResult(errors=[RowError(None, "", "", str(error))], dry_run=dry_run)
    result.imported = True
    return result
