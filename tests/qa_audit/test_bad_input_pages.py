"""Bad input through the pages' forms and the importer's upload page: each case shows the
page again with the message in its error summary (or, for an import, a failed job naming
the row, column and value), nothing answers 500, and every table of the product is
exactly as it was (the checksum of ``test_bad_input``). An import's job and its list of
errors are the record of the attempt, not a change, and are left out of the checksum.
"""

import datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape

from actions.services import actions as action_services
from actions.services import concerns as concern_services
from audits.importer import messages as m
from audits.models import ImportJob, ImportStatus
from reporting import forms as report_forms
from tests.factories import make_template
from tests.fixtures.imports import csv_bytes, good_row

from . import test_bad_input

pytestmark = pytest.mark.django_db

NOT_CHANGES = {"audits.importjob", "audits.importjoberror"}

LONG_NOTE = "x" * (action_services.NOTE_MAX_LENGTH + 1)
DONE = "the date the action was done"
TRANSFERRED = "the date the action was transferred to the child's plan"


def dates(url_name, field, name, *, extra=None):
    """The ways a date on an action's form can be wrong, with the message for each."""
    capital = name[0].upper() + name[1:]
    cases = [
        ("empty", "", f"Enter {name}"),
        ("in the future", "2099-01-01", f"{capital} must be today or in the past"),
        ("not a day", "31/02/2026", f"{capital} must be a real date, like 2026-03-27"),
        ("in words", "yesterday", f"{capital} must be a real date, like 2026-03-27"),
        ("year 0001", "0001-01-01", f"{capital} must be in a year from 1900 to 2100"),
        (
            "a year of twenty digits",
            "99999999999999999999-04-07",
            f"{capital} must be in a year from 1900 to 2100",
        ),
    ]
    return [
        (f"{url_name} {field} {label}", url_name, {field: value, **(extra or {})}, message)
        for label, value, message in cases
    ]


#: (name, the page's URL name taking the action's or case's id, form data, message)
ACTION_FORMS = [
    *dates("actions:action_complete", "completed_on", DONE),
    (
        "done with a note too long",
        "actions:action_complete",
        {"completed_on": "2026-01-05", "note": LONG_NOTE},
        action_services.NOTE_TOO_LONG,
    ),
    *(  # the form's own checks: the action need not be one for the child's plan
        case
        for case in dates("actions:action_transfer", "transferred_on", TRANSFERRED)
        if "future" not in case[0]
    ),
    (
        "transferred with a note too long",
        "actions:action_transfer",
        {"transferred_on": "2026-01-05", "note": LONG_NOTE},
        action_services.NOTE_TOO_LONG,
    ),
    ("a note left empty", "actions:action_note", {"note": ""}, action_services.ENTER_NOTE),
    ("a note of spaces", "actions:action_note", {"note": "   "}, action_services.ENTER_NOTE),
    ("a note too long", "actions:action_note", {"note": LONG_NOTE}, action_services.NOTE_TOO_LONG),
]

CASE_UPDATE = {"child_safe": "yes", "plan_progressing": "yes", "notes": "Seen at home."}
CASE_FORMS = [
    ("nothing answered", {}, concern_services.ANSWER_CHILD_SAFE),
    (
        "child safe not answered",
        {**CASE_UPDATE, "child_safe": ""},
        concern_services.ANSWER_CHILD_SAFE,
    ),
    (
        "child safe perhaps",
        {**CASE_UPDATE, "child_safe": "perhaps"},
        concern_services.ANSWER_CHILD_SAFE,
    ),
    ("plan not answered", {**CASE_UPDATE, "plan_progressing": ""}, concern_services.ANSWER_PLAN),
    ("notes empty", {**CASE_UPDATE, "notes": ""}, concern_services.ENTER_NOTES),
    (
        "notes too long",
        {**CASE_UPDATE, "notes": "x" * (concern_services.NOTES_MAX_LENGTH + 1)},
        concern_services.NOTES_TOO_LONG,
    ),
]


def day(prefix, value: datetime.date) -> dict:
    return {f"{prefix}_0": value.day, f"{prefix}_1": value.month, f"{prefix}_2": value.year}


#: "Generate a report" (the QA Lead)
REPORT_FORMS = [
    ("no kind", {}, report_forms.CHOOSE_KIND),
    ("kind unknown", {"kind": "monthly"}, report_forms.CHOOSE_KIND),
    ("quarter missing", {"kind": "quarterly", "quarter": ""}, report_forms.CHOOSE_QUARTER),
    (
        "quarter not offered",
        {"kind": "quarterly", "quarter": "2099-00-Q1"},
        report_forms.CHOOSE_QUARTER_LISTED,
    ),
    (
        "quarter as script",
        {"kind": "quarterly", "quarter": test_bad_input.SCRIPT},
        report_forms.CHOOSE_QUARTER_LISTED,
    ),
    ("year not offered", {"kind": "annual", "year": "2030-31"}, report_forms.CHOOSE_YEAR_LISTED),
    ("range without dates", {"kind": "range"}, "Enter the start date"),
    (
        "range without an end",
        {"kind": "range", **day("start", datetime.date(2026, 6, 1))},
        "Enter the end date",
    ),
    (
        "range ending before it starts",
        {
            "kind": "range",
            **day("start", datetime.date(2026, 6, 1)),
            **day("end", datetime.date(2026, 5, 31)),
        },
        "The end date must be on or after the start date.",
    ),
    (
        "range over three years",
        {
            "kind": "range",
            **day("start", datetime.date(2020, 4, 1)),
            **day("end", datetime.date(2026, 9, 30)),
        },
        "A report covers at most three years.",
    ),
    (
        "range not started",
        {
            "kind": "range",
            **day("start", datetime.date(2099, 1, 1)),
            **day("end", datetime.date(2099, 3, 31)),
        },
        "1 January 2099 to 31 March 2099 has not started yet: there is nothing to report.",
    ),
]

#: one bad value on the third row of an upload (row 4 of the file)
IMPORT_VALUES = [
    ("team", "Nowhere Team", m.TEAM_UNKNOWN.format(area="Safeguarding")),
    ("team", "", m.TEAM_MISSING),
    ("team", "Children in Care 1", "This team is in Children in Care, not in Safeguarding"),
    ("service_area", "Atlantis", m.SERVICE_AREA_UNKNOWN),
    ("auditor_email", "nobody@council.example", m.AUDITOR_UNKNOWN),
    ("auditor_email", "not an email", m.AUDITOR_INVALID),
    ("auditor_email", test_bad_input.FORMULA, m.AUDITOR_INVALID),
    ("completed_on", "14/03/2025", m.DATE_INVALID),
    ("completed_on", "2025-02-30", m.DATE_INVALID),
    ("completed_on", "2025-06-16", m.DATE_FUTURE),
    ("completed_on", "", m.DATE_MISSING),
    ("overall_grade", "Very good", m.OVERALL_GRADE_UNKNOWN),
    ("overall_grade", "", m.OVERALL_GRADE_MISSING),
    ("overall_grade", test_bad_input.SCRIPT, m.OVERALL_GRADE_UNKNOWN),
    ("overall_grade", "Good upper", m.BAND_ONLY_FOR_RI),
    ("domain: Visits", "Satisfactory", m.DOMAIN_GRADE_UNKNOWN),
    ("child_spoken_to", "maybe", m.YES_NO_UNKNOWN),
    ("audit_type", "Dip sample", m.AUDIT_TYPE_UNKNOWN),
    ("legal_status", "", m.LEGAL_STATUS_MISSING),
    ("audit_ref", "", m.AUDIT_REF_MISSING),
    ("child_ref", "X" * 41, m.NAME_TOO_LONG.format(limit=40)),
    (
        "audit_ref",
        "CJA-0001",
        "This audit_ref is already used on row 2: each audit can appear only once",
    ),
]


def shown_again(response, message):
    assert response.status_code in (200, 400), response.status_code
    page = response.content.decode()
    assert "govuk-error-summary" in page
    assert escape(message) in page, message
    assert test_bad_input.SCRIPT not in page


@pytest.mark.parametrize(
    "name, url_name, data, message", ACTION_FORMS, ids=[c[0] for c in ACTION_FORMS]
)
def test_a_bad_action_form_is_shown_again_and_changes_nothing(
    client, every_kind, name, url_name, data, message
):
    client.force_login(every_kind.walker)
    before = test_bad_input.checksum()
    url = reverse(url_name, args=[every_kind.action.pk])
    shown_again(client.post(url, {**data, "next": "/actions/"}), message)
    assert test_bad_input.checksum() == before


@pytest.mark.parametrize("name, data, message", CASE_FORMS, ids=[c[0] for c in CASE_FORMS])
def test_a_bad_case_of_concern_update_is_shown_again_and_changes_nothing(
    client, every_kind, name, data, message
):
    client.force_login(every_kind.walker)
    before = test_bad_input.checksum()
    url = reverse("actions:case_update", args=[every_kind.case.pk])
    shown_again(client.post(url, data), message)
    assert test_bad_input.checksum() == before


@pytest.mark.parametrize("name, data, message", REPORT_FORMS, ids=[c[0] for c in REPORT_FORMS])
def test_a_bad_report_request_is_shown_again_and_changes_nothing(
    client, org, every_kind, name, data, message
):
    client.force_login(org.users["qa_lead"])
    before = test_bad_input.checksum()
    shown_again(client.post(reverse("reporting:reports"), data), message)
    assert test_bad_input.checksum() == before


def changes_checksum() -> str:
    """The checksum without the import's own record of the attempt."""
    return test_bad_input.checksum(leave_out=NOT_CHANGES)


@pytest.mark.parametrize(
    "column, value, message", IMPORT_VALUES, ids=[f"{c[0]} {c[1][:20]!r}" for c in IMPORT_VALUES]
)
def test_a_bad_row_in_an_upload_fails_the_job_by_row_column_and_value_and_changes_nothing(
    client, org, django_capture_on_commit_callbacks, column, value, message
):
    make_template(family="child-journey-audit", questions=False)
    client.force_login(org.users["qa_lead"])
    data = csv_bytes([good_row(1), good_row(2), good_row(3, **{column: value})])
    with time_machine.travel(datetime.datetime(2025, 6, 15, 10, 0), tick=True):
        before = changes_checksum()
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                reverse("imports:upload"), {"file": SimpleUploadedFile("audits.csv", data)}
            )
        assert response.status_code == 302
        job = ImportJob.objects.get()
        assert job.status == ImportStatus.FAILED
        errors = list(job.error_rows.values_list("row", "column", "value", "message"))
        assert errors == [(4, column, value.strip(), message)]
        assert changes_checksum() == before
        page = client.get(response["Location"]).content.decode()
        assert "The file was not imported" in page
        assert escape(message) in page
        assert test_bad_input.SCRIPT not in page
