"""python manage.py import_audits FILE [--create-missing] [--dry-run]

The format is in docs/import-format.md. Exit status 1 when the file has errors, and
then nothing is imported.
"""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from accounts.models import User
from audits.importer import ImportResult, audits_import
from audits.importer.messages import FILE_TYPE

EXTENSIONS = (".csv", ".xlsx")
VALUE_WIDTH = 40
CREATE_MISSING_HINT = (
    "To create the service areas, teams, domains and people that do not exist yet, "
    "run the command again with --create-missing"
)


class Command(BaseCommand):
    help = (
        "Import past audits from a CSV or Excel (.xlsx) file, one row per audit. Every row "
        "is checked first: if any is wrong, nothing is imported and every error is listed. "
        "The format is described in docs/import-format.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the CSV or .xlsx file")
        parser.add_argument(
            "--create-missing",
            action="store_true",
            help="create service areas, teams, domains and people (inactive) that do not exist",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="check the file and report; import nothing"
        )
        parser.add_argument(
            "--user",
            metavar="EMAIL",
            help="the person the import is recorded against in each audit's history",
        )
        parser.add_argument("--no-progress", action="store_true", help="show no progress bar")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if path.suffix.lower() not in EXTENSIONS:
            raise CommandError(f"{FILE_TYPE} (.csv or .xlsx): {path.name}")
        if not path.is_file():
            raise CommandError(f"There is no file called {path}")
        user = None
        if options["user"]:
            user = User.objects.filter(email__iexact=options["user"].strip()).first()
            if user is None:
                raise CommandError(f"Nobody has the email address {options['user']}")
        out = getattr(self.stderr, "_out", sys.stderr)
        show_progress = not options["no_progress"] and options["verbosity"] > 0 and _is_tty(out)
        bars = {}

        def progress_of(stage):
            def progress(done, total):
                if stage not in bars:
                    bars[stage] = tqdm(total=total, unit="rows", desc=stage, file=out, leave=False)
                bars[stage].update(done - bars[stage].n)

            return progress if show_progress else None

        try:
            with path.open("rb") as data:
                result = audits_import(
                    data=data,
                    file_name=path.name,
                    user=user,
                    create_missing=options["create_missing"],
                    dry_run=options["dry_run"],
                    progress=progress_of("Checking"),
                    saving_progress=progress_of("Importing"),
                )
        finally:
            for bar in bars.values():
                bar.close()
        self._report(result, options["verbosity"])

    def _report(self, result: ImportResult, verbosity: int) -> None:
        for note in result.notes:
            self.stderr.write(f"Note: {note}")
        if not result.ok:
            self.stderr.write(_error_table(result))
            if result.names_missing:
                self.stderr.write(CREATE_MISSING_HINT)
            raise CommandError(
                f"{result.error_count:,} errors: nothing was imported. "
                "Correct the file and import it again."
            )
        if verbosity == 0:
            return
        self.stdout.write(result.summary())
        for line in result.created_lines():
            self.stdout.write(line)
        if result.dry_run:
            self.stdout.write("Dry run: nothing was imported")
        else:
            self.stdout.write(self.style.SUCCESS("Imported"))


def _is_tty(stream) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def _error_table(result: ImportResult) -> str:
    rows = [("Row", "Column", "Value", "Why")]
    for error in result.sorted_errors():
        value = error.value if len(error.value) <= VALUE_WIDTH else error.value[:VALUE_WIDTH] + "…"
        rows.append(
            ("file" if error.row is None else str(error.row), error.column, value, error.message)
        )
    widths = [max(len(row[index]) for row in rows) for index in range(3)]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(row[:3], widths, strict=True))
        + "  "
        + row[3]
        for row in rows
    ]
    checked = f"Checked {result.rows:,} rows: " if result.rows else ""
    heading = f"{checked}{result.error_count:,} errors in {result.bad_rows:,} rows"
    if not result.bad_rows:
        heading = f"{checked}{result.error_count:,} errors"
    if result.errors_not_kept:
        lines.append(
            f"… and {result.errors_not_kept:,} more errors: correct these and import the "
            "file again to see them"
        )
    return "\n".join([heading, *lines])
