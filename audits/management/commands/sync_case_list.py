"""python manage.py sync_case_list DIR [--dry-run]

Brings the case list in step with the Standard Safeguarding Dataset's CSV extracts in
DIR (docs/case-list.md). Exit status 1 when any row is wrong, and then nothing changes.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from audits.caselist import CaseListError, sync_case_list


class Command(BaseCommand):
    help = (
        "Update the children, their teams, social workers and levels of need from the "
        "Standard Safeguarding Dataset's CSV extracts in a folder (ssd_person.csv, "
        "ssd_professionals.csv, ssd_involvements.csv and the episode files). Every row is "
        "checked first: if any is wrong, nothing changes and every problem is listed."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", help="the folder holding the SSD extract's CSV files")
        parser.add_argument(
            "--dry-run", action="store_true", help="check the extract and say what would change"
        )
        parser.add_argument(
            "--confirm-closures",
            action="store_true",
            help="the extract is the whole caseload: close the children it does not hold "
            "even when they are more than a fifth of those open",
        )

    def handle(self, *args, **options):
        folder = Path(options["folder"])
        if not folder.is_dir():
            raise CommandError(f"{folder} is not a folder")
        try:
            summary = sync_case_list(
                folder,
                dry_run=options["dry_run"],
                confirm_closures=options["confirm_closures"],
            )
        except CaseListError as problem:
            for error in problem.errors:
                self.stderr.write(str(error))
            raise CommandError(
                f"{len(problem.errors)} problem(s) in the extract: nothing was changed"
            ) from None
        heading = "Would change (dry run, nothing changed):" if options["dry_run"] else "Done:"
        self.stdout.write(heading)
        if summary.warning:
            self.stdout.write(f"  Warning: {summary.warning} (--confirm-closures)")
        for line in summary.lines():
            self.stdout.write(f"  {line}")
        for reference in summary.opened[:20]:
            self.stdout.write(f"  opened {reference}")
        for reference in summary.closed[:20]:
            self.stdout.write(f"  closed {reference}")
