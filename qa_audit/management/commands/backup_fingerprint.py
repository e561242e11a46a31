"""What a database holds, in a form two databases can be compared by: run it before a
backup and after restoring it (docs/backups.md); the two outputs must be equal."""

import json

from django.core.management.base import BaseCommand
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.db.models import Max, Min

from audits.models import Audit
from audits.models.audit import COMPLETED_STATUSES


class Command(BaseCommand):
    help = (
        "Print, as JSON, the number of rows in every table and the leaders' summary figures "
        "over every completed audit (the dashboard's 'all data'). Run it on the database "
        "before a backup and on the restored copy: the two outputs must be equal. It reads "
        "only, and prints no child identifiers."
    )

    def handle(self, *args, **options):
        fingerprint = {"tables": table_counts(), "summary": all_data_summary()}
        self.stdout.write(json.dumps(fingerprint, cls=DjangoJSONEncoder, indent=1, sort_keys=True))


def table_counts() -> dict[str, int]:
    """Rows in each table of the database, by name."""
    names = sorted(connection.introspection.table_names(include_views=False))
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        counts = {}
        for name in names:
            cursor.execute(f"SELECT COUNT(*) FROM {quote(name)}")
            counts[name] = cursor.fetchone()[0]
    return counts


def all_data_summary() -> dict | None:
    """The summary (reporting.selectors.summary) from the first to the last day an audit
    was completed; None when no audit was."""
    from reporting.selectors import Slice
    from reporting.selectors.summary import summary

    span = Audit.objects.filter(status__in=COMPLETED_STATUSES).aggregate(
        start=Min("completed_on"), end=Max("completed_on")
    )
    if span["start"] is None:
        return None
    return summary(Slice(span["start"], span["end"]))
