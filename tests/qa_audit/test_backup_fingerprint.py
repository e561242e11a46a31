"""``backup_fingerprint``: every table's row count and the summary over all completed
audits, as JSON, with no child identifiers (the restore test compares two of them)."""

import io
import json

import pytest
from django.core.management import call_command
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Max, Min

from audits.models import Audit, Child, DomainGrading
from audits.models.audit import COMPLETED_STATUSES
from qa_audit.benchmark.dataset import build_dataset
from reporting.selectors import Slice, summary

pytestmark = pytest.mark.django_db


def fingerprint() -> tuple[str, dict]:
    out = io.StringIO()
    call_command("backup_fingerprint", stdout=out)
    return out.getvalue(), json.loads(out.getvalue())


def test_it_counts_every_table_and_gives_the_all_data_summary():
    build_dataset(60)
    text, printed = fingerprint()
    assert printed["tables"]["audits_audit"] == Audit.objects.count() == 60
    assert printed["tables"]["audits_domaingrading"] == DomainGrading.objects.count()
    assert printed["tables"]["django_migrations"] > 0
    span = Audit.objects.filter(status__in=COMPLETED_STATUSES).aggregate(
        start=Min("completed_on"), end=Max("completed_on")
    )
    expected = summary(Slice(span["start"], span["end"]))
    assert printed["summary"] == json.loads(json.dumps(expected, cls=DjangoJSONEncoder))
    assert printed["summary"]["audits"]["completed"] > 0
    for reference in Child.objects.values_list("case_reference", flat=True):
        assert reference not in text


def test_a_database_without_completed_audits_has_no_summary():
    _, printed = fingerprint()
    assert printed["summary"] is None
    assert printed["tables"]["audits_audit"] == 0


def test_one_row_more_changes_it():
    build_dataset(20)
    _, before = fingerprint()
    Child.objects.create(
        case_reference="NC-EXTRA-1", team=Child.objects.first().team, legal_status="child_in_need"
    )
    _, after = fingerprint()
    assert after["tables"]["audits_child"] == before["tables"]["audits_child"] + 1
    assert after != before
