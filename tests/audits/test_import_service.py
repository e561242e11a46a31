"""Importing past audits: what a good file creates, and re-imports that update."""

import datetime

import pytest
import time_machine

from accounts.models import ServiceArea, Team, User
from audits.importer import audits_import
from audits.models import (
    Audit,
    AuditEvent,
    AuditEventKind,
    AuditStatus,
    AuditType,
    Child,
    Domain,
    DomainGrading,
    Grade,
    GradeChange,
    GradeChangeStage,
    Involvement,
    LegalStatus,
    RIBand,
)
from audits.signals import final_grades_set
from tests.factories import ChildFactory, make_template
from tests.fixtures.imports import TODAY, csv_bytes, good_row, sample, xlsx_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(datetime.datetime(2025, 6, 15, 10, 0), tick=False):
        yield


@pytest.fixture
def template(org):
    make_template(family="child-journey-audit", questions=False)
    return make_template(domains=("Visits",), family="other-template", questions=False)


def run(data, *, user=None, name="audits.csv", **options):
    return audits_import(data=data, file_name=name, user=user, today=TODAY, **options)


def test_a_good_file_creates_the_audits_with_grades_participation_and_history(org, template):
    qa_lead = org.users["qa_lead"]
    data = csv_bytes(
        [
            good_row(1),
            good_row(
                2,
                audit_type="re-audit",
                child_ref="NC700001",
                team="children in care 1",
                service_area="Children in Care",
                legal_status="child_in_care",
                completed_on="2025-01-31",
                overall_grade="Requires improvement - lower",
                **{"domain: Visits": "RI upper", "domain: Assessments": ""},
            ),
        ]
    )

    result = run(data, user=qa_lead)

    assert result.ok, result.errors
    assert (result.rows, result.to_create, result.to_update) == (2, 2, 0)
    assert result.summary() == "Checked 2 rows: 2 to create, 0 to update"
    assert result.imported

    first = Audit.objects.get(reference="CJA-0001")
    assert first.template.family == "child-journey-audit"
    assert first.status == AuditStatus.ACCEPTED
    assert first.is_imported
    assert first.audit_type == AuditType.CHILD_JOURNEY
    assert first.completed_on == datetime.date(2025, 3, 14)
    assert first.month == datetime.date(2025, 3, 1)
    assert first.submitted_at.date() == datetime.date(2025, 3, 14)
    assert first.accepted_at == first.submitted_at
    assert first.auditor == org.users["auditor"]
    assert first.team == org.team_a
    assert (first.overall_grade, first.overall_ri_band) == (Grade.GOOD, "")
    assert (
        first.social_worker_involved,
        first.team_manager_involved,
        first.iro_involved,
        first.child_spoken_to,
        first.parent_carer_spoken_to,
    ) == (
        Involvement.YES,
        Involvement.NO,
        Involvement.NOT_APPLICABLE,
        Involvement.YES,
        Involvement.NO,
    )
    gradings = {g.domain.name: g for g in first.gradings.select_related("domain")}
    assert {name: (g.grade, g.ri_band) for name, g in gradings.items()} == {
        "Visits": (Grade.GOOD, ""),
        "Assessments": (Grade.REQUIRES_IMPROVEMENT, ""),
    }
    assert gradings["Visits"].evidence == "Visits every 10 working days, child seen alone."

    second = Audit.objects.get(reference="CJA-0002")
    assert second.audit_type == AuditType.RE_AUDIT
    assert second.child == first.child
    # The child keeps its record; the audit keeps the row's team.
    assert second.team == org.team_b
    assert second.child.team == org.team_a
    assert second.child.legal_status == LegalStatus.CHILD_IN_NEED
    assert (second.overall_grade, second.overall_ri_band) == (
        Grade.REQUIRES_IMPROVEMENT,
        RIBand.LOWER,
    )
    assert {
        g.domain.name: (g.grade, g.ri_band) for g in second.gradings.select_related("domain")
    } == {
        "Visits": (Grade.REQUIRES_IMPROVEMENT, RIBand.UPPER),
        "Assessments": (Grade.NOT_GRADED, ""),
    }

    assert Child.objects.count() == 1
    child = Child.objects.get()
    assert (child.case_reference, child.team, child.legal_status) == (
        "NC700001",
        org.team_a,
        LegalStatus.CHILD_IN_NEED,
    )
    changes = GradeChange.objects.filter(audit=first)
    assert {(c.domain_id and c.domain.name, c.old_grade, c.new_grade) for c in changes} == {
        (None, "", Grade.GOOD),
        ("Visits", "", Grade.GOOD),
        ("Assessments", "", Grade.REQUIRES_IMPROVEMENT),
    }
    assert {(c.stage, c.changed_by) for c in changes} == {(GradeChangeStage.IMPORTED, qa_lead)}
    events = AuditEvent.objects.filter(audit__in=[first, second])
    assert [(e.kind, e.user) for e in events] == [(AuditEventKind.IMPORTED, qa_lead)] * 2


def test_domains_come_from_the_columns_even_when_not_in_the_template(org, template):
    Domain.objects.create(name="Supervision")
    data = csv_bytes([good_row(1, **{"domain: supervision": "Inadequate"})])

    assert run(data).ok

    audit = Audit.objects.get()
    assert sorted(audit.gradings.values_list("domain__name", "grade")) == [
        ("Assessments", Grade.REQUIRES_IMPROVEMENT),
        ("Supervision", Grade.INADEQUATE),
        ("Visits", Grade.GOOD),
    ]


def test_reimport_updates_the_audit_and_records_the_grade_change(org, template):
    qa_lead = org.users["qa_lead"]
    assert run(csv_bytes([good_row(1)]), user=qa_lead).ok
    audit = Audit.objects.get()
    before_changes = GradeChange.objects.count()

    result = run(
        csv_bytes(
            [
                good_row(
                    1,
                    overall_grade="Outstanding",
                    team_manager_involved="yes",
                    **{"domain: Visits": "Outstanding", "evidence: Visits": "Better evidence"},
                )
            ]
        ),
        user=qa_lead,
    )

    assert result.ok
    assert (result.to_create, result.to_update, result.unchanged) == (0, 1, 0)
    assert Audit.objects.count() == 1
    audit.refresh_from_db()
    assert audit.overall_grade == Grade.OUTSTANDING
    assert audit.team_manager_involved == Involvement.YES
    assert audit.lock_version == 1
    visits = audit.gradings.get(domain__name="Visits")
    assert (visits.grade, visits.evidence) == (Grade.OUTSTANDING, "Better evidence")
    assert DomainGrading.objects.count() == 2
    new_changes = GradeChange.objects.order_by("pk")[before_changes:]
    assert {(c.domain_id and c.domain.name, c.old_grade, c.new_grade) for c in new_changes} == {
        (None, Grade.GOOD, Grade.OUTSTANDING),
        ("Visits", Grade.GOOD, Grade.OUTSTANDING),
    }
    assert list(audit.events.values_list("kind", flat=True)) == [
        AuditEventKind.UPDATED,
        AuditEventKind.IMPORTED,
    ]


def test_an_identical_reimport_changes_nothing(org, template):
    data = csv_bytes([good_row(1), good_row(2)])
    assert run(data).ok
    audits = list(Audit.objects.order_by("pk").values())
    changes, events = GradeChange.objects.count(), AuditEvent.objects.count()

    result = run(data)

    assert result.ok
    assert (result.to_create, result.to_update, result.unchanged) == (0, 0, 2)
    assert result.summary() == "Checked 2 rows: 0 to create, 0 to update, 2 unchanged"
    assert list(Audit.objects.order_by("pk").values()) == audits
    assert GradeChange.objects.count() == changes
    assert AuditEvent.objects.count() == events


def test_the_same_file_as_xlsx_imports_the_same(org, template):
    rows = [
        good_row(1, completed_on=datetime.datetime(2025, 3, 14)),
        good_row(2, completed_on=datetime.date(2025, 2, 3), child_ref=700123),
    ]
    data = xlsx_bytes(rows, other_sheet_rows=[["not", "read"]])

    result = run(data, name="export.xlsx")

    assert result.ok, result.errors
    assert dict(Audit.objects.values_list("reference", "completed_on")) == {
        "CJA-0001": datetime.date(2025, 3, 14),
        "CJA-0002": datetime.date(2025, 2, 3),
    }
    assert Child.objects.filter(case_reference="700123").exists()


def test_existing_children_keep_their_record(org, template):
    child = ChildFactory(
        case_reference="NC700001", team=org.team_b, legal_status=LegalStatus.CHILD_IN_CARE
    )

    assert run(csv_bytes([good_row(1)])).ok

    child.refresh_from_db()
    assert (child.team, child.legal_status) == (org.team_b, LegalStatus.CHILD_IN_CARE)
    assert Audit.objects.get().team == org.team_a


def test_create_missing_creates_and_reports_areas_teams_domains_and_people(org, template):
    data = csv_bytes(
        [
            good_row(
                1,
                team="Leaving Care 2",
                service_area="Leaving Care",
                auditor_email="Jane.Smith-Jones@council.example",
                **{"domain: Meetings and reviews": "Good"},
            ),
            good_row(2, team="Leaving Care 2", service_area="leaving care"),
        ]
    )

    result = run(data, create_missing=True)

    assert result.ok, result.errors
    assert result.created_lines() == [
        "Created 1 service areas: Leaving Care",
        "Created 1 teams: Leaving Care 2 (Leaving Care)",
        "Created 1 domains (with no grade descriptors yet): Meetings and reviews",
        "Created 1 people (inactive: an administrator must activate them before they can "
        "sign in): jane.smith-jones@council.example",
        "Created 2 children's case records",
    ]
    area = ServiceArea.objects.get(name="Leaving Care")
    team = Team.objects.get(name="Leaving Care 2", service_area=area)
    person = User.objects.get(email="jane.smith-jones@council.example")
    assert (person.first_name, person.last_name) == ("Jane", "Smith-Jones")
    assert not person.is_active
    assert not person.has_usable_password()
    assert not Domain.objects.get(name="Meetings and reviews").descriptors.exists()
    audit = Audit.objects.get(reference="CJA-0001")
    assert (audit.team, audit.auditor) == (team, person)
    assert audit.gradings.get(domain__name="Meetings and reviews").grade == Grade.GOOD
    assert Audit.objects.get(reference="CJA-0002").team == team


def test_dry_run_changes_nothing_but_reports_what_it_would_do(org, template):
    data = csv_bytes([good_row(1, team="New Team", service_area="New Area")])
    counts = (Audit.objects.count(), Team.objects.count(), ServiceArea.objects.count())

    result = run(data, create_missing=True, dry_run=True)

    assert result.ok
    assert not result.imported
    assert result.summary() == "Checked 1 rows: 1 to create, 0 to update"
    assert result.created_lines()[:2] == [
        "Would create 1 service areas: New Area",
        "Would create 1 teams: New Team (New Area)",
    ]
    assert (Audit.objects.count(), Team.objects.count(), ServiceArea.objects.count()) == counts
    assert Child.objects.count() == 0


def test_import_tells_listeners_the_final_grades_once_a_chunk(org, template):
    received = []

    def listener(sender, grades, user, **kwargs):
        received.append([(g.audit.reference, g.grade, g.previous_grade) for g in grades])

    final_grades_set.connect(listener)
    try:
        run(csv_bytes([good_row(1), good_row(2, overall_grade="Outstanding")]))
        run(csv_bytes([good_row(1)]))
        run(csv_bytes([good_row(1, overall_grade="Inadequate")]))
    finally:
        final_grades_set.disconnect(listener)

    assert received == [
        [("CJA-0001", Grade.GOOD, ""), ("CJA-0002", Grade.OUTSTANDING, "")],
        [("CJA-0001", Grade.INADEQUATE, Grade.GOOD)],
    ]


def test_the_sample_file_imports(org, template):
    result = run(sample("past-audits.csv").read_bytes(), name="past-audits.csv")

    assert result.ok, result.errors
    assert result.summary() == "Checked 3 rows: 3 to create, 0 to update"
