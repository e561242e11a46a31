"""The case list from the Standard Safeguarding Dataset's extracts (tests/fixtures/ssd/,
made up): who is open and at what level of need, their team and worker, closing, all or
nothing with every bad row named, and the same extract twice changing nothing."""

import csv
import datetime
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils.html import escape

from accounts.models import AccessChange, AccessKind, DepartmentTeam, Role
from audits import caselist
from audits.caselist import CaseListError, sync_case_list
from audits.models import Child, LegalStatus
from audits.tasks.caselist import sync_case_list_nightly
from tests.factories import AuditFactory, ChildFactory, UserFactory
from tests.qa_audit.test_bad_input import checksum

pytestmark = pytest.mark.django_db

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "ssd"
TODAY = datetime.date(2026, 12, 1)


@pytest.fixture
def extract(tmp_path):
    """A copy of the fixture extract that a test may change."""
    folder = tmp_path / "ssd"
    shutil.copytree(FIXTURE, folder)
    return folder


@pytest.fixture
def mapped(org):
    DepartmentTeam.objects.create(department="Family Support North (LCS)", team=org.team_a)
    DepartmentTeam.objects.create(department="children in care 1 (lcs)", team=org.team_b)
    sam = UserFactory(email="s100.worker@council.example", staff_id="S100", roles=[Role.AUDITOR])
    kim = UserFactory(email="s200.worker@council.example", staff_id="S200", roles=[Role.AUDITOR])
    return {"sam": sam, "kim": kim}


def rows_of(folder, name):
    with (folder / f"{name}.csv").open(newline="") as handle:
        reader = csv.DictReader(handle)
        return reader.fieldnames, list(reader)


def write(folder, name, headings, rows):
    with (folder / f"{name}.csv").open("w", newline="") as handle:
        writer = csv.DictWriter(handle, headings, lineterminator="\r\n")
        writer.writeheader()
        writer.writerows(rows)


def change(folder, name, row_index, **values):
    headings, rows = rows_of(folder, name)
    rows[row_index].update(values)
    write(folder, name, headings, rows)


def add_row(folder, name, **values):
    headings, rows = rows_of(folder, name)
    rows.append({heading: values.get(heading, "") for heading in headings})
    write(folder, name, headings, rows)


def test_open_children_are_made_with_their_level_of_need_team_and_worker(extract, org, mapped):
    summary = sync_case_list(extract, today=TODAY)
    children = {child.case_reference: child for child in Child.objects.all()}
    assert sorted(children) == ["P1001", "P1002", "P1003", "P1004", "P1005", "P1008"]
    assert {ref: child.legal_status for ref, child in children.items()} == {
        "P1001": LegalStatus.CHILD_IN_NEED,
        "P1002": LegalStatus.CHILD_PROTECTION,  # above its Child in Need episode
        "P1003": LegalStatus.CHILD_IN_CARE,
        "P1004": LegalStatus.CARE_LEAVER,
        "P1005": LegalStatus.EARLY_HELP,
        "P1008": LegalStatus.CHILD_IN_NEED,
    }
    assert {ref: child.team for ref, child in children.items()} == {
        "P1001": org.team_a,
        "P1002": org.team_a,  # no team on the involvement: the worker's department
        "P1003": org.team_b,
        "P1004": org.team_b,
        "P1005": org.team_a,
        "P1008": org.team_b,  # the involvement that started last
    }
    assert children["P1001"].social_worker == mapped["sam"]
    assert children["P1008"].social_worker == mapped["kim"]
    assert children["P1005"].social_worker is None  # S999 has no account here
    p1002 = children["P1002"]
    assert (p1002.date_of_birth, p1002.sex, p1002.ethnicity) == (
        datetime.date(2012, 11, 20),
        "M",
        "MWBC",
    )
    assert children["P1003"].date_of_birth == datetime.date(2010, 7, 21)  # 21/07/2010
    assert children["P1008"].sex == "F"  # written 2
    assert all(child.is_open for child in children.values())
    assert len(summary.opened) == 6 and summary.closed == [] and summary.unchanged == 0
    assert summary.workers_without_account == ["S999"]
    worker_changes = AccessChange.objects.filter(kind=AccessKind.SOCIAL_WORKER)
    assert worker_changes.count() == 5
    assert set(worker_changes.values_list("changed_by_name", flat=True)) == {"Case list"}


def test_the_same_extract_again_changes_nothing(extract, org, mapped):
    sync_case_list(extract, today=TODAY)
    before = checksum()
    summary = sync_case_list(extract, today=TODAY)
    assert not summary.changed and summary.unchanged == 6
    assert checksum() == before


def test_a_dry_run_says_what_would_change_and_changes_nothing(extract, org, mapped):
    before = checksum()
    summary = sync_case_list(extract, today=TODAY, dry_run=True)
    assert len(summary.opened) == 6
    assert checksum() == before


def test_children_no_longer_open_are_closed_and_never_deleted(extract, org, mapped):
    sync_case_list(extract, today=TODAY)
    audited = Child.objects.get(case_reference="P1001")
    AuditFactory(child=audited)
    typed_in = ChildFactory(case_reference="TYPED-1", team=org.team_a)
    change(extract, "ssd_cin_episodes", 0, cine_close_date="2026-11-30")
    summary = sync_case_list(extract, today=TODAY)
    assert sorted(summary.closed) == ["P1001", "TYPED-1"]
    audited.refresh_from_db()
    typed_in.refresh_from_db()
    assert not audited.is_open and not typed_in.is_open
    assert audited.audits.count() == 1
    # Open again: opened, with the same record.
    change(extract, "ssd_cin_episodes", 0, cine_close_date="")
    again = sync_case_list(extract, today=TODAY)
    assert again.opened == ["P1001"]
    assert Child.objects.get(case_reference="P1001").pk == audited.pk


def test_a_move_of_team_and_worker_is_counted(extract, org, mapped):
    sync_case_list(extract, today=TODAY)
    add_row(
        extract,
        "ssd_involvements",
        invo_involvements_id="I9",
        invo_professional_id="PR2",
        invo_professional_team="Children in Care 1 (LCS)",
        invo_involvement_start_date="2026-11-15",
        invo_person_id="P1001",
    )
    summary = sync_case_list(extract, today=TODAY)
    assert summary.moved_team == ["P1001"] and summary.new_worker == ["P1001"]
    child = Child.objects.get(case_reference="P1001")
    assert (child.team, child.social_worker) == (org.team_b, mapped["kim"])
    assert child.history.first().history_change_reason == "Case list"


@pytest.mark.parametrize(
    ("end", "open_"),
    [("2026-11-30", False), ("2026-12-01", False), ("2026-12-02", True), ("", True)],
)
def test_an_episode_ending_on_the_day_is_closed_that_day(extract, org, mapped, end, open_):
    change(extract, "ssd_cin_episodes", 0, cine_close_date=end)
    sync_case_list(extract, today=TODAY)
    assert Child.objects.filter(case_reference="P1001").exists() is open_


@pytest.mark.parametrize(("start", "open_"), [("2026-12-01", True), ("2026-12-02", False)])
def test_an_episode_open_from_its_first_day(extract, org, mapped, start, open_):
    change(extract, "ssd_cin_episodes", 0, cine_referral_date=start)
    change(extract, "ssd_involvements", 0, invo_involvement_start_date="2026-12-01")
    sync_case_list(extract, today=TODAY)
    assert Child.objects.filter(case_reference="P1001").exists() is open_


@pytest.mark.parametrize(
    ("authorised", "level"),
    [
        ("", LegalStatus.SUBJECT_TO_ASSESSMENT),
        ("2026-12-02", LegalStatus.SUBJECT_TO_ASSESSMENT),
        ("2026-12-01", LegalStatus.CHILD_IN_NEED),  # authorised on the day
        ("2026-11-30", LegalStatus.CHILD_IN_NEED),
    ],
)
def test_a_child_with_an_assessment_not_yet_authorised_is_subject_to_assessment(
    extract, org, mapped, authorised, level
):
    change(extract, "ssd_cin_assessments", 0, cina_assessment_auth_date=authorised)
    sync_case_list(extract, today=TODAY)
    assert Child.objects.get(case_reference="P1001").legal_status == level


def test_an_assessment_alone_opens_a_child_and_a_plan_above_it_wins(extract, org, mapped):
    add_row(
        extract,
        "ssd_cin_assessments",
        cina_person_id="P1007",
        cina_assessment_start_date="2026-11-20",
    )
    add_row(
        extract,
        "ssd_involvements",
        invo_person_id="P1007",
        invo_professional_id="PR1",
        invo_involvement_start_date="2026-11-20",
    )
    add_row(
        extract,
        "ssd_cin_assessments",
        cina_person_id="P1002",
        cina_assessment_start_date="2026-11-20",
    )
    add_row(
        extract,
        "ssd_cin_assessments",
        cina_person_id="P1005",
        cina_assessment_start_date="2026-12-02",
    )
    sync_case_list(extract, today=TODAY)
    levels = dict(Child.objects.values_list("case_reference", "legal_status"))
    assert levels["P1007"] == LegalStatus.SUBJECT_TO_ASSESSMENT
    assert levels["P1002"] == LegalStatus.CHILD_PROTECTION
    assert levels["P1005"] == LegalStatus.EARLY_HELP  # the assessment starts tomorrow


@pytest.mark.parametrize(
    ("need", "level"),
    [
        ("N2", LegalStatus.DISABLED_CHILDREN),
        ("n2", LegalStatus.DISABLED_CHILDREN),
        ("N1", LegalStatus.CHILD_IN_NEED),
        ("N3", LegalStatus.CHILD_IN_NEED),  # the parent's disability, not the child's
        ("", LegalStatus.CHILD_IN_NEED),
    ],
)
def test_a_child_in_need_for_their_disability_is_one_of_the_disabled_children(
    extract, org, mapped, need, level
):
    change(extract, "ssd_cin_episodes", 0, cine_cin_primary_need=need)
    sync_case_list(extract, today=TODAY)
    assert Child.objects.get(case_reference="P1001").legal_status == level


def test_disabled_children_rank_below_an_assessment_and_a_plan(extract, org, mapped):
    change(extract, "ssd_cin_episodes", 1, cine_cin_primary_need="N2")  # P1002, on a plan
    change(extract, "ssd_cin_episodes", 0, cine_cin_primary_need="N2")  # P1001
    change(extract, "ssd_cin_assessments", 0, cina_assessment_auth_date="")
    sync_case_list(extract, today=TODAY)
    levels = dict(Child.objects.values_list("case_reference", "legal_status"))
    assert levels["P1002"] == LegalStatus.CHILD_PROTECTION
    assert levels["P1001"] == LegalStatus.SUBJECT_TO_ASSESSMENT
    # a closed Disabled Children episode gives nothing
    assert "P1006" not in levels


def test_an_assessment_for_an_unknown_person_or_with_a_bad_date_is_named(extract, org, mapped):
    add_row(
        extract,
        "ssd_cin_assessments",
        cina_person_id="P9999",
        cina_assessment_start_date="2026-11-20",
    )
    change(extract, "ssd_cin_assessments", 0, cina_assessment_auth_date="20 Feb 2026")
    change(extract, "ssd_cin_assessments", 1, cina_assessment_auth_date="2025-05-01")
    assert errors_of(extract) == [
        ("ssd_cin_assessments", 2, "cina_assessment_auth_date", "20 Feb 2026", caselist.DATE_WRONG),
        (
            "ssd_cin_assessments",
            3,
            "cina_assessment_auth_date",
            "2025-05-01",
            caselist.ENDS_BEFORE_START,
        ),
        ("ssd_cin_assessments", 4, "cina_person_id", "P9999", caselist.PERSON_UNKNOWN),
    ]
    assert not Child.objects.exists()


def errors_of(folder):
    with pytest.raises(CaseListError) as raised:
        sync_case_list(folder, today=TODAY)
    return [(e.file, e.row, e.column, e.value, e.message) for e in raised.value.errors]


def test_each_kind_of_bad_row_is_named_and_nothing_changes(extract, org, mapped):
    before = checksum()
    change(extract, "ssd_person", 1, pers_dob="2012-20-11")
    change(extract, "ssd_person", 2, pers_sex="X", pers_ethnicity="WHITE")
    add_row(extract, "ssd_person", pers_person_id="P1001", pers_sex="F")
    add_row(extract, "ssd_involvements", invo_person_id="P9999", invo_professional_id="PR1")
    add_row(extract, "ssd_involvements", invo_person_id="P1001", invo_professional_id="PR77")
    change(extract, "ssd_cp_plans", 0, cppl_cp_plan_end_date="2025-01-01")
    assert errors_of(extract) == [
        ("ssd_person", 3, "pers_dob", "2012-20-11", caselist.DATE_WRONG),
        ("ssd_person", 4, "pers_sex", "X", caselist.SEX_UNKNOWN),
        ("ssd_person", 4, "pers_ethnicity", "WHITE", caselist.ETHNICITY_UNKNOWN),
        (
            "ssd_person",
            10,
            "pers_person_id",
            "P1001",
            caselist.PERSON_REPEATED.format(row=2),
        ),
        (
            "ssd_cp_plans",
            2,
            "cppl_cp_plan_end_date",
            "2025-01-01",
            caselist.ENDS_BEFORE_START,
        ),
        ("ssd_involvements", 10, "invo_person_id", "P9999", caselist.PERSON_UNKNOWN),
        ("ssd_involvements", 11, "invo_professional_id", "PR77", caselist.WORKER_UNKNOWN),
    ]
    assert checksum() == before


def test_a_missing_column_or_file_is_named(extract, org, mapped):
    headings, rows = rows_of(extract, "ssd_involvements")
    kept = [h for h in headings if h != "invo_involvement_start_date"]
    write(extract, "ssd_involvements", kept, [{h: r[h] for h in kept} for r in rows])
    (extract / "ssd_cp_plans.csv").unlink()
    assert errors_of(extract) == [
        (
            "ssd_involvements",
            1,
            "invo_involvement_start_date",
            "",
            "Missing columns: invo_involvement_start_date",
        ),
        ("ssd_cp_plans", 0, "", "", caselist.MISSING_FILE.format(file="ssd_cp_plans")),
    ]
    assert not Child.objects.exists()


def test_a_department_with_no_team_is_named_where_it_is_written(extract, org, mapped):
    DepartmentTeam.objects.filter(team=org.team_b).delete()
    errors = errors_of(extract)
    assert errors[0] == (
        "ssd_involvements",
        4,
        "invo_professional_team",
        "Children in Care 1 (LCS)",
        caselist.TEAM_UNMAPPED,
    )
    assert len(errors) == 3  # P1003, P1004, P1008
    DepartmentTeam.objects.create(department="Children in Care 1 (LCS)", team=org.team_b)
    DepartmentTeam.objects.filter(team=org.team_a).delete()
    change(extract, "ssd_involvements", 0, invo_professional_team="Family Support North (LCS)")
    assert (
        "ssd_professionals",
        2,
        "prof_professional_department",
        "Family Support North (LCS)",
        caselist.TEAM_UNMAPPED,
    ) in errors_of(extract)  # P1002: the worker's department
    assert not Child.objects.exists()


def test_an_open_child_with_no_team_is_named(extract, org, mapped):
    headings, rows = rows_of(extract, "ssd_involvements")
    write(
        extract, "ssd_involvements", headings, [r for r in rows if r["invo_person_id"] != "P1005"]
    )
    assert errors_of(extract) == [("ssd_person", 0, "pers_person_id", "P1005", caselist.NO_TEAM)]


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("2026-01-10", datetime.date(2026, 1, 10)),
        ("2026-01-10 00:00:00.000", datetime.date(2026, 1, 10)),
        ("2026-01-10T09:30", datetime.date(2026, 1, 10)),
        ("10/01/2026", datetime.date(2026, 1, 10)),
        ("", None),
        ("  ", None),
    ],
)
def test_the_dates_extracts_write(text, day):
    assert caselist.parse_day(text) == day


@pytest.mark.parametrize(
    "text", ["2026-13-01", "10-01-2026", "Jan 10 2026", "2026/01/10", "1/1/2026"]
)
def test_dates_written_otherwise_are_refused(text):
    with pytest.raises(ValueError):
        caselist.parse_day(text)


def test_the_command_prints_the_summary_and_names_bad_rows(extract, org, mapped):
    out = StringIO()
    call_command("sync_case_list", str(extract), "--dry-run", stdout=out)
    assert "Would change (dry run, nothing changed):" in out.getvalue()
    assert "Opened: 6" in out.getvalue()
    assert not Child.objects.exists()
    change(extract, "ssd_person", 0, pers_dob="yesterday")
    err = StringIO()
    with pytest.raises(CommandError, match="1 problem"):
        call_command("sync_case_list", str(extract), stdout=StringIO(), stderr=err)
    assert f'ssd_person.csv, row 2, pers_dob "yesterday": {caselist.DATE_WRONG}' in err.getvalue()


def test_the_nightly_task_reads_the_configured_folder(extract, org, mapped, settings):
    settings.CASE_LIST_FOLDER = ""
    assert sync_case_list_nightly.apply().get() == "no CASE_LIST_FOLDER: nothing to read"
    settings.CASE_LIST_FOLDER = str(extract)
    result = sync_case_list_nightly.apply().get()
    assert result.startswith("Opened: ")
    assert Child.objects.filter(is_open=True).count() >= 5
    change(extract, "ssd_person", 0, pers_dob="nonsense")
    before = checksum()
    assert sync_case_list_nightly.apply().get() == "1 problems: nothing changed"
    assert checksum() == before


def test_an_open_child_nobody_is_involved_with_loses_their_social_worker(extract, org, mapped):
    sync_case_list(extract, today=TODAY)
    assert Child.objects.get(case_reference="P1001").social_worker == mapped["sam"]
    change(extract, "ssd_involvements", 0, invo_involvement_end_date="2026-11-20")
    summary = sync_case_list(extract, today=TODAY)
    child = Child.objects.get(case_reference="P1001")
    assert child.social_worker is None and child.team == org.team_a and child.is_open
    assert summary.new_worker == ["P1001"]
    ended = AccessChange.objects.filter(kind=AccessKind.SOCIAL_WORKER, subject="P1001").first()
    assert (ended.person, ended.after, ended.changed_by_name) == (
        mapped["sam"],
        "Nobody",
        "Case list",
    )


def test_the_nightly_log_names_where_not_what(extract, org, mapped, settings, caplog):
    settings.CASE_LIST_FOLDER = str(extract)
    change(extract, "ssd_person", 0, pers_dob="02/13/2015")
    sync_case_list_nightly.apply().get()
    assert "ssd_person.csv row 2 pers_dob" in caplog.text
    assert "02/13/2015" not in caplog.text and "P1001" not in caplog.text


def zipped(folder, *, prefix="extract/") -> bytes:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in sorted(folder.glob("*.csv")):
            archive.write(path, prefix + path.name)
        archive.writestr(prefix + "README.txt", "not read")
    return buffer.getvalue()


def upload(client, data, *, dry_run, confirm=False):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    payload = {
        "file": SimpleUploadedFile("extract.zip", data),
        "action": "check" if dry_run else "apply",
        **({"confirm_closures": "on"} if confirm else {}),
    }
    return client.post(reverse("programme:case_list"), payload)


def test_the_qa_lead_checks_then_applies_an_uploaded_extract(client, extract, org, mapped):
    client.force_login(org.users["qa_lead"])
    before = checksum()
    checked = upload(client, zipped(extract), dry_run=True)
    page = checked.content.decode()
    assert checked.status_code == 200
    assert "Checked: nothing has changed yet" in page and "Opened: 6" in page
    assert checksum() == before
    applied = upload(client, zipped(extract), dry_run=False)
    assert "The case list is up to date" in applied.content.decode()
    assert Child.objects.filter(is_open=True).count() == 6


def test_an_uploaded_extract_with_problems_lists_them_and_changes_nothing(
    client, extract, org, mapped
):
    client.force_login(org.users["qa_lead"])
    change(extract, "ssd_person", 0, pers_dob="31/31/2015")
    before = checksum()
    response = upload(client, zipped(extract), dry_run=False)
    page = response.content.decode()
    assert response.status_code == 400
    assert "The extract was not used: 1 problem" in page
    assert "31/31/2015" in page and caselist.DATE_WRONG in page
    assert checksum() == before


def test_an_upload_that_is_not_a_zip_is_named(client, org, mapped):
    client.force_login(org.users["qa_lead"])
    response = upload(client, b"pers_person_id\nP1\n", dry_run=True)
    assert response.status_code == 400
    assert escape(caselist.NOT_A_ZIP) in response.content.decode()


def test_a_zip_that_unpacks_too_big_is_refused(client, extract, org, mapped, settings):
    settings.IMPORT_MAX_UPLOAD_MB = 0
    client.force_login(org.users["qa_lead"])
    response = upload(client, zipped(extract), dry_run=True)
    assert caselist.ZIP_TOO_BIG.format(limit=0) in response.content.decode()


def test_only_the_qa_lead_updates_the_case_list(client, extract, org, mapped):
    from django.urls import reverse

    for person in ("leader", "auditor", "head_of_service"):
        client.force_login(org.users[person])
        assert client.get(reverse("programme:case_list")).status_code == 403
        assert upload(client, zipped(extract), dry_run=False).status_code == 403
    assert not Child.objects.exists()


def test_an_extract_that_would_close_most_children_needs_confirming(client, extract, org, mapped):
    for n in range(20):
        ChildFactory(case_reference=f"OLD-{n}", team=org.team_a)
    client.force_login(org.users["qa_lead"])
    checked = upload(client, zipped(extract), dry_run=True).content.decode()
    warning = caselist.MASS_CLOSURE.format(closing=20, open=20)
    assert escape(warning) in checked and "case-list-warning" in checked
    before = checksum()
    refused = upload(client, zipped(extract), dry_run=False)
    assert refused.status_code == 400 and escape(warning) in refused.content.decode()
    assert checksum() == before
    applied = upload(client, zipped(extract), dry_run=False, confirm=True)
    assert applied.status_code == 200
    assert Child.objects.filter(is_open=False).count() == 20


@pytest.mark.parametrize(("others", "refused"), [(10, False), (11, True)])
def test_closing_more_than_ten_and_a_fifth_needs_confirming(extract, org, mapped, others, refused):
    sync_case_list(extract, today=TODAY)
    for n in range(others):
        ChildFactory(case_reference=f"OLD-{n}", team=org.team_a)
    # 6 open from the extract, plus ``others`` that it would close: 10 of 16 is not
    # more than ten; 11 of 17 is.
    if refused:
        with pytest.raises(CaseListError):
            sync_case_list(extract, today=TODAY)
        assert sync_case_list(extract, today=TODAY, confirm_closures=True).closed
    else:
        assert len(sync_case_list(extract, today=TODAY).closed) == others


def test_the_page_names_the_departments_with_no_team_and_links_to_add_them(client, extract, org):
    client.force_login(org.users["qa_lead"])
    page = upload(client, zipped(extract), dry_run=True).content.decode()
    assert "2 departments in the extract have no team here" in page
    assert "Children in Care 1 (LCS), Family Support North (LCS)" in page
    assert "/admin/accounts/departmentteam/add/" in page
