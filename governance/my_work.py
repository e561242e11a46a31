"""The Data Protection Officer's home: the way to the records of views and changes, and
how many there were this week. One query."""

import datetime

from django.urls import reverse
from django.utils import timezone

from accounts.permissions import is_data_protection_officer

from .selectors import Criteria, record_entries

RECENT_DAYS = 30  # as the records page shows without a search


def records_work(user) -> list[dict]:
    if not is_data_protection_officer(user):
        return []
    since = timezone.localdate() - datetime.timedelta(days=RECENT_DAYS - 1)
    count = record_entries(Criteria(since=since)).count()
    url = reverse("governance:records")
    return [
        {
            "title": "Records of views and changes",
            "items": [
                {
                    "text": f"Search who viewed or changed which child's records "
                    f"({count} entr{'y' if count == 1 else 'ies'} in the last {RECENT_DAYS} days)",
                    "url": url,
                }
            ],
        }
    ]
