"""python manage.py generate_report --kind quarterly|annual --period 2024-25-Q1|2024-25
[--service-area NAME] [--publish]

Generates the report's version from today's figures or, when they are unchanged, finds
the latest version; prints its id on the last line. A public contract (docs/api.md).
"""

from django.core.management.base import BaseCommand, CommandError

from accounts.models import ServiceArea
from reporting.models import ReportKind
from reporting.services import ReportError, generate_and_publish, parse_period, report_for


class Command(BaseCommand):
    help = (
        "Generate a quarterly or annual QA report (or find its unchanged latest version) "
        "and print the version's id on the last line."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--kind", required=True, choices=[ReportKind.QUARTERLY, ReportKind.ANNUAL]
        )
        parser.add_argument(
            "--period",
            required=True,
            help="A financial year's quarter, like 2024-25-Q1, or the year, like 2024-25.",
        )
        parser.add_argument(
            "--service-area",
            default="",
            help="A service area's name; the whole organisation if left out.",
        )
        parser.add_argument(
            "--publish", action="store_true", help="Publish the version (and email leaders)."
        )

    def handle(self, *args, kind, period, service_area, publish, **options):
        try:
            span = parse_period(kind, period)
        except ReportError as error:
            raise CommandError(f"--period: {error}") from error
        area = None
        if service_area.strip():
            area = ServiceArea.objects.filter(name__iexact=service_area.strip()).first()
            if area is None:
                names = ", ".join(
                    ServiceArea.objects.order_by("name").values_list("name", flat=True)
                )
                raise CommandError(
                    f"--service-area: there is no service area called {service_area!r}. "
                    f"The service areas are: {names or 'none yet'}."
                )
        try:
            report = report_for(kind, span, area)
        except ReportError as error:
            raise CommandError(f"--period: {error}") from error
        version, created = generate_and_publish(report, publish_it=publish)
        what = "Generated" if created else "Unchanged since"
        self.stdout.write(
            f"{what} version {version.number} of the {report.get_kind_display().lower()} "
            f"report {report.label} ({report.scope_label}), {version.get_status_display().lower()}."
        )
        self.stdout.write(str(version.pk))
