"""python manage.py import_audits: output, exit status, options, and a large file."""

import datetime
import io

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from audits.importer import messages as m
from audits.models import Audit, AuditEvent, Child, DomainGrading, GradeChange
from audits.signals import final_grade_set
from tests.factories import make_template
from tests.fixtures.imports import csv_bytes, good_row, sample, xlsx_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(datetime.datetime(2025, 6, 15, 10, 0), tick=False):
        yield


@pytest.fixture
def template(org):
    return make_template(family="child-journey-audit", questions=False)


def write(tmp_path, data, name="audits.csv"):
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def import_audits(*args, **options):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_audits", *args, stdout=out, stderr=err, **options)
    except CommandError as error:
        return None, out.getvalue(), err.getvalue(), error
    return True, out.getvalue(), err.getvalue(), None


def test_a_good_file_is_imported_and_summarised(org, template):
    ok, out, err, _ = import_audits(str(sample("past-audits.csv")), "--user", "QA@council.example")

    assert ok
    assert out.splitlines() == [
        "Checked 3 rows: 3 to create, 0 to update",
        "Created 2 children's case records",
        "Imported",
    ]
    assert err == ""
    assert Audit.objects.count() == 3
    assert set(AuditEvent.objects.values_list("user__email", flat=True)) == {"qa@council.example"}


def test_an_xlsx_file_is_imported(org, template, tmp_path):
    path = write(tmp_path, xlsx_bytes([good_row(1), good_row(2)]), "export.xlsx")

    ok, out, _, _ = import_audits(path)

    assert ok
    assert out.startswith("Checked 2 rows: 2 to create, 0 to update")
    assert Audit.objects.count() == 2


def test_errors_are_listed_and_the_command_fails_with_nothing_imported(org, template, tmp_path):
    path = write(
        tmp_path,
        csv_bytes([good_row(1), good_row(2, team="Nowhere"), good_row(3, overall_grade="")]),
    )

    ok, out, err, error = import_audits(path)

    assert ok is None
    assert str(error) == "2 errors: nothing was imported. Correct the file and import it again."
    lines = err.splitlines()
    assert lines[0] == "Checked 3 rows: 2 errors in 2 rows"
    assert lines[1].split() == ["Row", "Column", "Value", "Why"]
    assert lines[2].startswith("3    team           Nowhere  There is no team with this name")
    assert lines[3].startswith("4    overall_grade           Enter the overall grade")
    assert out == ""
    assert Audit.objects.count() == 0
    assert Child.objects.count() == 0


def test_unknown_names_are_followed_by_how_to_create_them(org, template, tmp_path):
    from audits.management.commands.import_audits import CREATE_MISSING_HINT

    path = write(tmp_path, csv_bytes([good_row(1, team="Nowhere")]))

    _, _, err, _ = import_audits(path)

    assert err.splitlines()[-1] == CREATE_MISSING_HINT
    assert "--create-missing" in CREATE_MISSING_HINT
    assert "(--create-missing)" not in err.splitlines()[2]


def test_no_hint_when_no_name_is_unknown(org, template, tmp_path):
    path = write(tmp_path, csv_bytes([good_row(1, overall_grade="bad")]))

    _, _, err, _ = import_audits(path)

    assert "--create-missing" not in err


def test_only_the_first_errors_are_listed_and_the_rest_counted(org, template, tmp_path, settings):
    settings.IMPORT_MAX_ERRORS = 2
    rows = [good_row(n, overall_grade="bad") for n in range(1, 5)]

    ok, _, err, error = import_audits(write(tmp_path, csv_bytes(rows)))

    assert ok is None
    assert str(error) == "4 errors: nothing was imported. Correct the file and import it again."
    lines = err.splitlines()
    assert lines[0] == "Checked 4 rows: 4 errors in 4 rows"
    assert [line.split()[0] for line in lines[2:4]] == ["2", "3"]
    assert lines[4] == ("… and 2 more errors: correct these and import the file again to see them")
    assert len(lines) == 5


def test_as_many_errors_as_the_cap_are_listed_with_no_more(org, template, tmp_path, settings):
    settings.IMPORT_MAX_ERRORS = 2
    rows = [good_row(n, overall_grade="bad") for n in range(1, 3)]

    _, _, err, _ = import_audits(write(tmp_path, csv_bytes(rows)))

    assert len(err.splitlines()) == 4
    assert "more errors" not in err


def test_the_exit_status_is_1_when_the_file_has_errors(
    org, template, tmp_path, capsys, monkeypatch
):
    from django.core.management import base

    from audits.management.commands.import_audits import Command

    path = write(tmp_path, csv_bytes([good_row(1, completed_on="2030-01-01")]))
    # run_from_argv closes every connection when it ends, the test database's too.
    monkeypatch.setattr(base.connections, "close_all", lambda: None)

    with pytest.raises(SystemExit) as exited:
        Command().run_from_argv(["manage.py", "import_audits", path, "--no-progress"])

    assert exited.value.code == 1
    assert m.DATE_FUTURE in capsys.readouterr().err
    assert Audit.objects.count() == 0


def test_dry_run_reports_and_changes_nothing(org, template, tmp_path):
    path = write(tmp_path, csv_bytes([good_row(1, team="New Team")]))

    ok, out, _, _ = import_audits(path, "--dry-run", "--create-missing")

    assert ok
    assert out.splitlines() == [
        "Checked 1 rows: 1 to create, 0 to update",
        "Would create 1 teams: New Team (Safeguarding)",
        "Would create 1 children's case records",
        "Dry run: nothing was imported",
    ]
    assert Audit.objects.count() == 0


def test_create_missing_reports_what_it_created(org, template, tmp_path):
    path = write(tmp_path, csv_bytes([good_row(1, auditor_email="new.auditor@council.example")]))

    ok, out, _, _ = import_audits(path, "--create-missing")

    assert ok
    assert (
        "Created 1 people (inactive: an administrator must activate them before they can "
        "sign in): new.auditor@council.example"
    ) in out.splitlines()


def test_a_cp1252_file_is_imported_with_a_note(org, template, tmp_path):
    path = write(
        tmp_path, csv_bytes([good_row(1, **{"evidence: Visits": "Café visit"})], encoding="cp1252")
    )

    ok, _, err, _ = import_audits(path)

    assert ok
    assert err.strip() == f"Note: {m.NOTE_CP1252}"
    assert DomainGrading.objects.get(domain__name="Visits").evidence == "Café visit"


def test_a_wrong_file_type_is_refused(org, template, tmp_path):
    path = write(tmp_path, b"audit_ref\n", "audits.xls")

    _, _, _, error = import_audits(path)

    assert str(error) == "The file must be a CSV or an Excel .xlsx file (.csv or .xlsx): audits.xls"


def test_an_unknown_user_is_refused(org, template):
    _, _, _, error = import_audits(str(sample("past-audits.csv")), "--user", "who@x.example")

    assert str(error) == "Nobody has the email address who@x.example"
    assert Audit.objects.count() == 0


def test_a_missing_file_is_refused(org, template, tmp_path):
    _, _, _, error = import_audits(str(tmp_path / "nothing.csv"))

    assert str(error) == f"There is no file called {tmp_path / 'nothing.csv'}"


def test_verbosity_0_prints_nothing_on_success(org, template):
    ok, out, err, _ = import_audits(str(sample("past-audits.csv")), verbosity=0)

    assert ok
    assert (out, err) == ("", "")


@pytest.mark.slow
def test_five_thousand_rows_import_with_a_constant_number_of_lookups(
    org, template, tmp_path, monkeypatch
):
    """A large file: lookups do not grow with the rows. Receivers of final_grade_set in
    other apps (Cases of Concern, re-audit proposals) are tested on their own."""
    monkeypatch.setattr(final_grade_set, "receivers", [])
    monkeypatch.setattr(final_grade_set, "sender_receivers_cache", {})
    rows = [
        good_row(
            n,
            child_ref=f"NC{800000 + n % 2500}",
            overall_grade=("Good", "RI lower", "Inadequate", "Outstanding")[n % 4],
        )
        for n in range(1, 5001)
    ]
    path = write(tmp_path, csv_bytes(rows))

    # Checking looks everything up once: the number of queries does not grow with rows.
    with CaptureQueriesContext(connection) as queries:
        ok, out, _, _ = import_audits(path, "--no-progress", "--dry-run")
    assert out.startswith("Checked 5,000 rows: 5,000 to create, 0 to update")
    assert len(queries) <= 20

    ok, out, _, error = import_audits(path, "--no-progress")

    assert ok, error
    assert out.startswith("Checked 5,000 rows: 5,000 to create, 0 to update")
    assert Audit.objects.count() == 5000
    assert DomainGrading.objects.count() == 10000
    assert GradeChange.objects.count() == 15000
    assert AuditEvent.objects.count() == 5000
    assert Child.objects.count() == 2500

    # An identical re-import checks every row and changes nothing.
    ok, out, _, _ = import_audits(path, "--no-progress")
    assert out.startswith("Checked 5,000 rows: 0 to create, 0 to update, 5,000 unchanged")
    assert GradeChange.objects.count() == 15000
