"""The records of views and changes: who may search them, what each search finds, the
download, and that searching is itself recorded."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from audits.models import AuditEvent, AuditEventKind, ChildViewEvent, DomainGrading
from audits.services.viewing import audits_log_viewed
from governance.forms import CHILD_NOT_FOUND
from governance.models import RecordSearch
from governance.views import CSV_COLUMNS
from tests.factories import AuditFactory, ChildFactory, UserFactory, make_template

pytestmark = pytest.mark.django_db

RECORDS = "/records/"
RECORDS_CSV = "/records/records.csv"


@pytest.fixture
def dpo(org):
    return UserFactory(email="dpo@council.example", roles=[Role.DATA_PROTECTION_OFFICER])


@pytest.fixture
def two_children(org):
    """Child A's audit, viewed by the QA Lead and graded by the auditor; child B's audit,
    viewed by the team manager."""
    template = make_template(domains=("Visits",))
    a = AuditFactory(
        child=ChildFactory(team=org.team_a, case_reference="CASE-A"),
        template=template,
        auditor=org.users["auditor"],
    )
    b = AuditFactory(
        child=ChildFactory(team=org.team_b, case_reference="CASE-B"),
        template=template,
        auditor=org.users["moderator"],
    )
    audits_log_viewed(user=org.users["qa_lead"], audits=[a], note="Audit page")
    audits_log_viewed(user=org.users["team_manager"], audits=[b], note="Audit page")
    visits = template.sections.get(domain__isnull=False).domain_id
    grading = DomainGrading(audit=a, domain_id=visits, grade="good", evidence="Seen alone")
    grading._history_user = org.users["auditor"]
    grading.save()
    grading.grade = "inadequate"
    grading.evidence = "Private words about the child"
    grading.save()
    return a, b


def page_text(response) -> str:
    return response.content.decode()


# Who may search ----------------------------------------------------------------------


@pytest.mark.parametrize("url", [RECORDS, RECORDS_CSV])
def test_anonymous_people_are_sent_to_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize(
    "role",
    ["auditor", "moderator", "team_manager", "head_of_service", "leader", "administrator"],
)
@pytest.mark.parametrize("url", [RECORDS, RECORDS_CSV])
def test_other_roles_are_refused_and_nothing_is_recorded(client, org, role, url):
    client.force_login(org.users[role])
    assert client.get(url).status_code == 403
    assert not RecordSearch.objects.exists()


def test_an_ambassador_finds_no_such_page(client, org):
    client.force_login(org.users["ambassador"])
    assert client.get(RECORDS).status_code == 404


@pytest.mark.parametrize("who", ["qa_lead", "dpo"])
def test_the_qa_lead_and_the_data_protection_officer_search(client, org, dpo, who, two_children):
    client.force_login(dpo if who == "dpo" else org.users[who])
    response = client.get(RECORDS)
    assert response.status_code == 200
    assert "CASE-A" in page_text(response)


@pytest.mark.parametrize(
    "path",
    [
        "/reports/dashboard/",
        "/audits/",
        "/api/audits/",
        "/admin/",
        "/actions/",
        "/organisation/",
    ],
)
def test_a_data_protection_officer_sees_nothing_else(client, dpo, path):
    client.force_login(dpo)
    assert client.get(path).status_code == 404


def test_a_data_protection_officers_home_leads_to_the_records(client, dpo, two_children):
    client.force_login(dpo)
    home = page_text(client.get("/"))
    assert "Records of views and changes" in home
    assert f'href="{RECORDS}"' in home
    assert "Nothing needs you right now" not in home


def test_a_data_protection_officer_with_another_role_keeps_that_roles_pages(client, org, dpo):
    dpo.role_assignments.create(role=Role.QA_LEAD)
    client.force_login(dpo)
    assert client.get("/programme/").status_code == 200


# What a search finds -----------------------------------------------------------------


def rows_of(client, **query):
    response = client.get(RECORDS_CSV, query)
    assert response.status_code == 200, response.content
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


@pytest.fixture
def quinn(client, org):
    client.force_login(org.users["qa_lead"])
    return org.users["qa_lead"]


def test_the_download_has_the_documented_columns(client, quinn, two_children):
    response = client.get(RECORDS_CSV)
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    header = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()[0]
    assert (
        header.split(",")
        == CSV_COLUMNS
        == [
            "when",
            "person",
            "action",
            "record",
            "child_case_reference",
            "details",
        ]
    )


def test_searching_by_child_finds_that_childs_views_and_changes_only(client, quinn, two_children):
    rows = rows_of(client, child="case-a")
    assert rows and {row["child_case_reference"] for row in rows} == {"CASE-A"}
    actions = {(row["action"], row["record"].split()[0]) for row in rows}
    assert ("Viewed", "Audit") in actions
    assert ("Changed", "Domain") in actions
    assert ("Created", "Audit") in actions
    assert "CASE-B" in {row["child_case_reference"] for row in rows_of(client)}


def test_searching_by_person_finds_only_what_they_did(client, org, quinn, two_children):
    manager = org.users["team_manager"]
    rows = rows_of(client, person=manager.pk)
    assert [(row["action"], row["child_case_reference"]) for row in rows] == [("Viewed", "CASE-B")]
    assert manager.email in rows[0]["person"]


def test_views_only_and_changes_only(client, quinn, two_children):
    views = rows_of(client, child="CASE-A", show="views")
    changes = rows_of(client, child="CASE-A", show="changes")
    assert {row["action"] for row in views} == {"Viewed"}
    assert "Viewed" not in {row["action"] for row in changes}
    assert {"Created", "Changed"} <= {row["action"] for row in changes}


def test_a_change_shows_grades_before_and_after_but_never_the_free_text(
    client, quinn, two_children
):
    [change] = [
        row
        for row in rows_of(client, child="CASE-A", show="changes")
        if row["action"] == "Changed" and row["record"].startswith("Domain grading")
    ]
    assert "Grade: Good → Inadequate" in change["details"]
    assert "Evidence: (text changed)" in change["details"]
    assert "Private words" not in change["details"]
    assert "Seen alone" not in change["details"]
    assert "auditor@council.example" in change["person"]


def event_at(audit, user, when):
    return AuditEvent.objects.create(
        audit=audit, user=user, kind=AuditEventKind.VIEWED, at=when, note="Boundary"
    )


def test_dates_are_whole_days_from_the_first_to_the_last(client, org, quinn, two_children):
    a, _ = two_children
    sam = org.users["no_role"]
    local = timezone.get_current_timezone()

    def at(*parts):
        return datetime.datetime(*parts, tzinfo=local)

    event_at(a, sam, at(2026, 3, 31, 23, 59, 59))  # the day before: out
    event_at(a, sam, at(2026, 4, 1, 0, 0, 0))  # the first day's first second: in
    event_at(a, sam, at(2026, 4, 30, 23, 59, 59))  # the last day's last second: in
    event_at(a, sam, at(2026, 5, 1, 0, 0, 0))  # the day after: out
    rows = rows_of(client, person=sam.pk, since="2026-04-01", until="2026-04-30")
    assert [row["when"] for row in rows] == [
        "2026-04-30T23:59:59+01:00",
        "2026-04-01T00:00:00+01:00",
    ]


def test_a_childs_record_opened_on_its_own_is_found_by_child(client, org, quinn, two_children):
    a, _ = two_children
    ChildViewEvent.objects.create(child=a.child, user=org.users["head_of_service"], note="Admin")
    rows = rows_of(client, child="CASE-A", person=org.users["head_of_service"].pk)
    assert [(row["action"], row["record"]) for row in rows] == [
        ("Viewed", f"Child's record {a.child_id}")
    ]


# Bad searches ------------------------------------------------------------------------


def test_an_unknown_child_is_named_and_nothing_is_searched_or_recorded(client, quinn):
    response = client.get(RECORDS, {"child": "NO-SUCH"})
    assert response.status_code == 200
    assert CHILD_NOT_FOUND.format(reference="NO-SUCH").replace("'", "&#x27;") in page_text(response)
    assert "There is a problem" in page_text(response)
    assert client.get(RECORDS_CSV, {"child": "NO-SUCH"}).status_code == 400
    assert not RecordSearch.objects.exists()


def test_a_last_day_before_the_first_is_refused(client, quinn):
    response = client.get(RECORDS, {"since": "2026-05-01", "until": "2026-04-30"})
    assert "The &#x27;to&#x27; date must be the same as or after the &#x27;from&#x27; date" in (
        page_text(response)
    )
    assert not RecordSearch.objects.exists()


def test_a_date_that_is_not_a_date_is_refused(client, quinn):
    response = client.get(RECORDS, {"since": "31/02/2026"})
    assert "There is a problem" in page_text(response)
    assert not RecordSearch.objects.exists()


# Searching is recorded -----------------------------------------------------------------


def test_every_search_and_download_is_recorded_and_found(client, org, quinn, two_children):
    client.get(RECORDS, {"child": "CASE-A"})
    client.get(RECORDS_CSV, {"child": "CASE-A", "show": "views"})
    searches = list(RecordSearch.objects.order_by("pk").values_list("user", "exported", "criteria"))
    assert searches == [
        (quinn.pk, False, "child: CASE-A; views and changes"),
        (quinn.pk, True, "child: CASE-A; views only"),
    ]
    rows = rows_of(client, person=quinn.pk)  # a download, recorded before it is read
    assert [(row["action"], row["details"]) for row in rows[:3]] == [
        ("Downloaded records", f"person: {quinn.email}; views and changes"),
        ("Downloaded records", "child: CASE-A; views only"),
        ("Searched records", "child: CASE-A; views and changes"),
    ]


def test_a_formula_in_a_note_reaches_the_download_as_text(client, org, quinn, two_children):
    a, _ = two_children
    audits_log_viewed(user=org.users["no_role"], audits=[a], note='=HYPERLINK("http://x")')
    [row] = rows_of(client, person=org.users["no_role"].pk)
    assert row["details"] == '\'=HYPERLINK("http://x")'


# Speed ---------------------------------------------------------------------------------


def queries_for_page(client):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(RECORDS).status_code == 200
    return len(queries)


def test_the_page_takes_the_same_queries_for_more_records(client, org, quinn, two_children):
    a, b = two_children
    small = queries_for_page(client)
    for audit in (a, b):
        for _ in range(20):
            audits_log_viewed(user=org.users["auditor"], audits=[audit], note="Again")
        grading = DomainGrading.objects.filter(audit=a).first()
        for grade in ("good", "inadequate", "good"):
            grading.grade = grade
            grading.save()
    assert queries_for_page(client) == small


def test_a_page_at_a_time_keeping_the_search(client, org, quinn, two_children):
    a, _ = two_children
    sam = org.users["no_role"]
    for _ in range(55):
        audits_log_viewed(user=sam, audits=[a], note="Paging")
    first = page_text(client.get(RECORDS, {"person": sam.pk}))
    assert "55 entries" in first
    assert "Page 1 of 2" in first
    assert f"?person={sam.pk}&amp;page=2" in first
    second = page_text(client.get(RECORDS, {"person": sam.pk, "page": 2}))
    assert "Page 2 of 2" in second
    assert second.count("Paging") == 5


def test_a_search_that_finds_nothing_says_so(client, quinn, two_children):
    page = page_text(
        client.get(RECORDS, {"child": "CASE-A", "since": "2001-01-01", "until": "2001-01-02"})
    )
    assert "0 entries" in page
    assert "Nothing was viewed or changed that matches the search." in page


def test_the_search_form_puts_no_security_token_in_the_address(client, quinn):
    page = page_text(client.get(RECORDS))
    form = page[page.index('<form method="get"') : page.index("</form>")]
    assert "csrfmiddlewaretoken" not in form


def test_paging_does_not_record_a_new_search(client, org, quinn, two_children):
    client.get(RECORDS, {"person": org.users["no_role"].pk})
    client.get(RECORDS, {"person": org.users["no_role"].pk, "page": 2})
    assert RecordSearch.objects.count() == 1


def test_a_data_protection_officer_has_no_links_to_pages_they_cannot_open(client, dpo):
    client.force_login(dpo)
    page = page_text(client.get("/"))
    assert 'href="/emails/mine/"' not in page
    assert 'href="/api/docs/"' not in page


def test_people_are_named_with_their_email_in_the_list(client, org, quinn):
    page = page_text(client.get(RECORDS))
    assert f"{org.users['auditor'].get_full_name()} (auditor@council.example)" in page
