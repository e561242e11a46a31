"""An import makes the same number of queries for 10 rows as for 50: rows are written a
chunk at a time with bulk inserts, and other apps hear of each chunk once."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from actions.models import CaseOfConcern, ReauditProposal
from audits.importer import audits_import, validation
from audits.models import Audit, GradeChange
from moderation.models import ModerationReview, ReviewDomainGrade, ReviewEvent
from tests.factories import make_template
from tests.fixtures.imports import TODAY, csv_bytes, good_row

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(datetime.datetime(2025, 6, 15, 10, 0), tick=False):
        yield


@pytest.fixture
def template(org):
    return make_template(family="child-journey-audit", questions=False)


def rows(count, start=0):
    """Rows with domains and moderation, half of them moderated (to another grade, or
    the same), none Inadequate (which opens a Case of Concern for each child)."""
    made = []
    for number in range(start + 1, start + count + 1):
        values = {"child_ref": f"NC{700000 + number}"}
        if number % 2:
            values.update(
                {
                    "moderated_overall_grade": ("Outstanding", "Good")[number % 4 == 1],
                    "moderated_on": "2025-04-02",
                    "moderator_email": "moderator@council.example",
                    "moderated: Visits": "Outstanding",
                    "moderated: Assessments": "",
                }
            )
        made.append(good_row(number, **values))
    return made


def queries_to_import(data) -> tuple[int, int]:
    """(queries other than inserts, inserts). SQLite splits a bulk insert of a few
    dozen audits into several statements (at most 999 values each); PostgreSQL does
    not."""
    with CaptureQueriesContext(connection) as queries:
        result = audits_import(data=data, file_name="audits.csv", user=None, today=TODAY)
    assert result.ok, result.errors
    inserts = sum(query["sql"].startswith("INSERT") for query in queries.captured_queries)
    return len(queries) - inserts, inserts


def assert_same(ten, fifty):
    assert ten[0] == fifty[0]
    if connection.vendor == "sqlite":
        assert fifty[1] - ten[1] <= 6
    else:
        assert ten[1] == fifty[1]


def test_importing_50_rows_makes_as_many_queries_as_10(org, template):
    ten = queries_to_import(csv_bytes(rows(10)))
    fifty = queries_to_import(csv_bytes(rows(50, start=10)))

    assert_same(ten, fifty)
    assert Audit.objects.count() == 60
    assert ModerationReview.objects.count() == 30
    assert ReviewDomainGrade.objects.count() == 60
    assert ReviewEvent.objects.count() == 30
    # 3 imported grades an audit; each moderated row regrades Visits (Good to
    # Outstanding) and, for half of them, the overall grade.
    assert GradeChange.objects.count() == 60 * 3 + 30 + 15


def test_queries_grow_only_with_the_number_of_chunks(org, template, monkeypatch):
    monkeypatch.setattr(validation, "CHUNK_ROWS", 10)
    one_chunk = sum(queries_to_import(csv_bytes(rows(10))))
    three_chunks = sum(queries_to_import(csv_bytes(rows(30, start=10))))

    # Each chunk after the first costs what the first chunk's own statements cost.
    assert one_chunk < three_chunks <= 3 * one_chunk


def test_reimporting_changed_rows_makes_as_many_queries_for_20_as_for_10(org, template):
    queries_to_import(csv_bytes(rows(60)))
    changed = [
        {**row, "overall_grade": "Outstanding", "domain: Visits": "Outstanding"}
        for row in rows(60)
        if not row.get("moderated_overall_grade")
    ]

    ten = queries_to_import(csv_bytes(changed[:10]))
    fifty = queries_to_import(csv_bytes(changed[10:]))

    assert (len(changed[:10]), len(changed[10:])) == (10, 20)
    assert_same(ten, fifty)


def test_inadequate_rows_open_one_case_a_child_and_propose_re_audits(org, template):
    data = csv_bytes(
        [
            good_row(1, overall_grade="Inadequate", child_ref="NC1", completed_on="2025-02-03"),
            good_row(2, overall_grade="Inadequate", child_ref="NC1", completed_on="2025-01-10"),
            good_row(3, overall_grade="Inadequate", child_ref="NC2", completed_on="2025-03-01"),
            good_row(4, child_ref="NC3"),
        ]
    )

    queries_to_import(data)

    cases = {c.child.case_reference: c for c in CaseOfConcern.objects.select_related("child")}
    assert sorted(cases) == ["NC1", "NC2"]
    assert cases["NC1"].opened_on == datetime.date(2025, 2, 3)  # the first row's day
    assert sorted((link.audit.reference, link.linked_on) for link in cases["NC1"].links.all()) == [
        ("CJA-0001", datetime.date(2025, 2, 3)),
        ("CJA-0002", datetime.date(2025, 1, 10)),
    ]
    assert sorted(ReauditProposal.objects.values_list("audit__reference", flat=True)) == [
        "CJA-0001",
        "CJA-0002",
        "CJA-0003",
    ]
