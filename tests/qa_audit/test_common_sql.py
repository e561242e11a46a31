"""common.sql.count_by: a queryset's rows counted by some of its values, in one query,
also when the queryset is grouped already."""

import pytest
from django.db import connection
from django.db.models import Case, Count, IntegerField, Q, Value, When
from django.test.utils import CaptureQueriesContext

from accounts.models import ServiceArea, Team
from common.sql import count_by
from tests.factories import ServiceAreaFactory, TeamFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def areas():
    """Three service areas with 3, 1 and 1 teams; two of the teams are closed."""
    north, south, east = (ServiceAreaFactory(name=n) for n in ("North", "South", "East"))
    for i in range(3):
        TeamFactory(name=f"North {i}", service_area=north, is_active=i != 2)
    TeamFactory(name="South 0", service_area=south, is_active=False)
    TeamFactory(name="East 0", service_area=east)
    return north, south, east


def test_it_counts_by_fields_and_annotations(areas):
    north, south, east = areas
    qs = Team.objects.filter(service_area__in=areas).annotate(
        big=Case(
            When(service_area=north, then=Value(1)), default=Value(0), output_field=IntegerField()
        )
    )
    with CaptureQueriesContext(connection) as queries:
        rows = count_by(qs, "service_area", "is_active", "big")
    assert len(queries) == 1
    assert sorted(rows) == sorted(
        [
            (north.pk, True, 1, 2),
            (north.pk, False, 1, 1),
            (south.pk, False, 0, 1),
            (east.pk, True, 0, 1),
        ]
    )


def test_it_counts_a_grouped_queryset_by_its_aggregates(areas):
    """One row per service area (a GROUP BY already), counted by how many teams each has."""
    grouped = ServiceArea.objects.filter(pk__in=[a.pk for a in areas]).annotate(
        teams_n=Count("teams"), open_n=Count("teams", filter=Q(teams__is_active=True))
    )
    assert sorted(count_by(grouped, "teams_n", "open_n")) == [(1, 0, 1), (1, 1, 1), (3, 2, 1)]


def test_an_empty_queryset_has_no_rows(areas):
    assert count_by(Team.objects.none().filter(pk__in=[]), "is_active") == []
    assert count_by(Team.objects.filter(name="nobody"), "is_active") == []
