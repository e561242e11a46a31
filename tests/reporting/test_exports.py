"""CSV and Excel downloads of the audits behind the figures: the columns, hand-counted
rows, nothing that identifies a child, formulas neutralised, scope, bad input and a
constant number of queries."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from common.spreadsheets import neutralise
from reporting.filters import AREA_NOT_YOURS, LEGAL_STATUS_UNKNOWN
from tests.factories import TeamFactory

from .conftest import INAD, RI, G, audit

pytestmark = pytest.mark.django_db

Q1 = {"start": "2026-04-01", "end": "2026-06-30"}
HEADER = [
    "Audit reference",
    "Month",
    "Completed on",
    "Team",
    "Service area",
    "Legal status",
    "Audit type",
    "Auditor's grade",
    "Final grade",
    "Domain: Assessments",
    "Domain: Visits",
    "Social worker involved",
    "Team manager involved",
    "IRO/CP chair involved",
    "Child spoken to",
    "Parent or carer spoken to",
]


def csv_rows(client, user, **params):
    client.force_login(user)
    response = client.get(reverse("reporting:export_csv"), params)
    assert response.status_code == 200, response.content
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def xlsx_rows(client, user, **params):
    client.force_login(user)
    response = client.get(reverse("reporting:export_xlsx"), params)
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    return [["" if v is None else v for v in row] for row in sheet.iter_rows(values_only=True)]


def test_the_urls_are_named_and_placed_as_documented():
    assert reverse("reporting:export_csv") == "/reports/audits.csv"
    assert reverse("reporting:export_xlsx") == "/reports/audits.xlsx"


def test_the_csv_has_the_documented_header_and_the_hand_counted_rows(client, org, audits):
    rows = csv_rows(client, org.users["leader"], **Q1)
    assert rows[0] == HEADER
    body = {row[0]: dict(zip(HEADER, row, strict=True)) for row in rows[1:]}
    # Q1: D, H, I, C, K, L, A completed; B is in July, J a re-audit, E/F/G not completed.
    expected = {a.display_reference for k, a in audits.items() if k in "DHICKLA"}
    assert set(body) == expected
    assert [row[0] for row in rows[1:]] == [
        audits[k].display_reference for k in "DHICKLA"
    ]  # oldest completed first
    h = body[audits["H"].display_reference]
    assert h["Month"] == "2026-03"
    assert h["Completed on"] == "2026-04-02"
    assert h["Team"] == "Family Support North"
    assert h["Service area"] == "Safeguarding"
    assert h["Legal status"] == "Child in Need"
    assert h["Audit type"] == "Child Journey Audit"
    assert (h["Auditor's grade"], h["Final grade"]) == ("Good", "Requires Improvement")
    assert (h["Domain: Visits"], h["Domain: Assessments"]) == ("Requires Improvement", "Good")
    assert h["IRO/CP chair involved"] == "No"
    d = body[audits["D"].display_reference]
    assert (d["Team"], d["Service area"]) == ("Children in Care 1", "Children in Care")
    assert d["Team manager involved"] == "Not applicable"
    assert d["IRO/CP chair involved"] == ""
    a = body[audits["A"].display_reference]
    assert a["Domain: Assessments"] == "Not graded"
    assert a["Social worker involved"] == "No"
    i = body[audits["I"].display_reference]
    assert i["Domain: Assessments"] == ""  # left blank by the auditor
    assert i["Parent or carer spoken to"] == "No"
    l_ = body[audits["L"].display_reference]
    assert (l_["Auditor's grade"], l_["Final grade"]) == ("Good", "Inadequate")
    assert l_["Domain: Visits"] == "Inadequate"
    k = body[audits["K"].display_reference]
    assert k["Legal status"] == "Child Protection"
    assert k["Child spoken to"] == "Not applicable"
    final = [row[HEADER.index("Final grade")] for row in rows[1:]]
    assert final.count("Requires Improvement") == 3
    assert final.count("Inadequate") == 2


def test_the_excel_file_has_the_same_rows_as_the_csv(client, org, audits):
    assert xlsx_rows(client, org.users["qa_lead"], **Q1) == csv_rows(
        client, org.users["qa_lead"], **Q1
    )


def test_a_reference_from_an_earlier_system_is_the_audit_reference(client, org, audits):
    audits["A"].reference = "CJA-2026-0042"
    audits["A"].save()
    rows = csv_rows(client, org.users["leader"], **Q1)
    assert "CJA-2026-0042" in [row[0] for row in rows]


def test_the_files_hold_no_child_identifier_name_or_free_text(client, org, audits):
    for made in audits.values():
        made.overall_rationale = "Rationale text about the family"
        made.strengths = "Strengths text"
        made.save()
    children = [made.child for made in audits.values()]
    forbidden = [c.case_reference for c in children] + [
        "2015-06-01",
        "01/06/2015",
        "2023-01-01",
        "Rationale text",
        "Strengths text",
        org.users["auditor"].email,
        org.users["moderator"].email,
    ]
    forbidden += [u.get_full_name() for u in org.users.values() if u.get_full_name().strip()]
    for rows in (
        csv_rows(client, org.users["leader"], **Q1),
        xlsx_rows(client, org.users["leader"], **Q1),
    ):
        text = "\n".join("|".join(str(cell) for cell in row) for row in rows)
        assert len(rows) == 8
        for value in forbidden:
            assert value not in text


@pytest.mark.parametrize("start", ["=", "+", "-", "@"])
def test_a_cell_that_would_be_a_formula_is_neutralised(client, org, template, start):
    team = TeamFactory(name=f"{start}HYPERLINK(1)", service_area=org.area_a)
    audit(org, template, G, team=team)
    audit(org, template, G)  # in Family Support North
    for rows in (
        csv_rows(client, org.users["leader"], **Q1),
        xlsx_rows(client, org.users["leader"], **Q1),
    ):
        teams = sorted(row[HEADER.index("Team")] for row in rows[1:])
        assert teams == sorted([f"'{start}HYPERLINK(1)", "Family Support North"])


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+44", "'+44"),
        ("-2", "'-2"),
        ("@SUM", "'@SUM"),
        ("\tX", "'\tX"),
        ("Team = North", "Team = North"),
        ("North-East", "North-East"),
        ("", ""),
        (None, None),
    ],
)
def test_neutralise_marks_only_cells_that_start_like_a_formula(value, written):
    assert neutralise(value) == written


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("leader", 200),
        ("qa_lead", 200),
        ("administrator", 200),
        ("head_of_service", 200),
        ("auditor", 403),
        ("moderator", 403),
        ("team_manager", 403),
        ("ambassador", 404),  # ambassadors see only their review pages
        ("no_role", 403),
    ],
)
@pytest.mark.parametrize("name", ["reporting:export_csv", "reporting:export_xlsx"])
def test_who_may_download(client, org, role, status, name):
    client.force_login(org.users[role])
    assert client.get(reverse(name), Q1).status_code == status


def test_signed_out_is_sent_to_sign_in(client):
    response = client.get(reverse("reporting:export_csv"), Q1)
    assert response.status_code == 302
    assert "/accounts/" in response["Location"]


def test_a_head_of_service_downloads_their_own_area_only(client, org, audits):
    rows = csv_rows(client, org.users["head_of_service"], **Q1)
    assert {row[HEADER.index("Service area")] for row in rows[1:]} == {"Safeguarding"}
    assert len(rows) == 1 + 6  # D is in Children in Care


@pytest.mark.parametrize(
    "params", [{"service_area": "Children in Care"}, {"team": "Children in Care 1"}]
)
def test_a_head_of_service_may_not_download_another_area(client, org, audits, params):
    client.force_login(org.users["head_of_service"])
    response = client.get(reverse("reporting:export_csv"), {**Q1, **params})
    assert response.status_code == 403


def test_a_leader_may_filter_to_one_area(client, org, audits):
    rows = csv_rows(client, org.users["leader"], **Q1, service_area="children in care")
    assert [row[0] for row in rows[1:]] == [audits["D"].display_reference]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({**Q1, "legal_status": "Orphan"}, f"legal_status: {LEGAL_STATUS_UNKNOWN}"),
        ({"start": "2026-13-01", "end": "2026-06-30"}, "start: "),
    ],
)
def test_a_bad_parameter_gets_400_with_its_message(client, org, params, message):
    client.force_login(org.users["leader"])
    response = client.get(reverse("reporting:export_csv"), params)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_area_not_yours_message_is_given(client, org):
    client.force_login(org.users["head_of_service"])
    response = client.get(
        reverse("reporting:export_csv"), {**Q1, "service_area": "Children in Care"}
    )
    assert AREA_NOT_YOURS in response.content.decode()


def _audits(org, template, n):
    for i in range(n):
        audit(
            org,
            template,
            [G, RI, INAD][i % 3],
            completed=datetime.date(2026, 4 + i % 3, 1 + i % 28),
            team=[org.team_a, org.team_b][i % 2],
        )


def _queries(client, org, name):
    client.force_login(org.users["leader"])
    client.get(reverse(name), Q1)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse(name), Q1)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("name", ["reporting:export_csv", "reporting:export_xlsx"])
def test_the_number_of_queries_does_not_grow_with_the_audits(client, org, template, name):
    _audits(org, template, 10)
    at_10 = _queries(client, org, name)
    assert at_10 > 0
    _audits(org, template, 90)
    assert _queries(client, org, name) == at_10
