"""Retention: records past their period lose what could identify a child, and their
history with them; grades, dates and every figure stay the same."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from actions.models import Action, ActionUpdate, ActionUpdateKind, CaseOfConcern, CaseUpdate
from audits.models import Audit, AuditStatus, Child, DomainGrading, Grade
from feedback.models import Feedback
from governance.models import RetentionRun, RetentionSettings
from governance.retention import ANONYMOUS_PREFIX, apply_retention
from reporting.models import ReportVersion
from tests.factories import AuditFactory, ChildFactory, complete_audit, make_template

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 12, 6)
CUTOFF = datetime.date(2020, 12, 6)  # six years before TODAY, the default


@pytest.fixture
def template():
    return make_template()


def audit_completed(org, template, on, *, child=None, evidence="Seen alone, spoke of dad"):
    child = child or ChildFactory(team=org.team_a)
    audit = complete_audit(
        AuditFactory(child=child, template=template, auditor=org.users["auditor"]),
        grade=Grade.GOOD,
    )
    audit.status = AuditStatus.ACCEPTED
    audit.completed_on = on
    audit.month = on.replace(day=1)
    audit.strengths = "Knows the child's dog by name"
    audit.save()
    DomainGrading.objects.filter(audit=audit).update(evidence=evidence)
    grading = DomainGrading.objects.filter(audit=audit).first()
    grading.evidence = evidence + " (edited)"
    grading.save()  # a second version in the history
    return audit


def texts_in_history(audit) -> set[str]:
    texts = set(audit.history.values_list("strengths", flat=True))
    texts |= set(DomainGrading.history.filter(audit_id=audit.pk).values_list("evidence", flat=True))
    return texts - {""}


def test_an_audit_past_its_period_loses_its_text_and_keeps_its_grades(org, template):
    old = audit_completed(org, template, CUTOFF - datetime.timedelta(days=1))
    grades = list(DomainGrading.objects.filter(audit=old).values_list("domain", "grade"))
    assert texts_in_history(old)
    run = apply_retention(today=TODAY)
    old.refresh_from_db()
    assert old.strengths == ""
    assert set(DomainGrading.objects.filter(audit=old).values_list("evidence", flat=True)) == {""}
    assert texts_in_history(old) == set()
    assert list(DomainGrading.objects.filter(audit=old).values_list("domain", "grade")) == grades
    assert (old.overall_grade, old.completed_on) == (Grade.GOOD, CUTOFF - datetime.timedelta(1))
    assert run.counts["audits.audit"] == 1
    assert run.counts["audits.domaingrading"] == len(grades)


def test_an_audit_completed_on_the_last_day_of_its_period_is_kept(org, template):
    kept = audit_completed(org, template, CUTOFF)
    apply_retention(today=TODAY)
    kept.refresh_from_db()
    assert kept.strengths == "Knows the child's dog by name"
    assert texts_in_history(kept)


def test_the_period_is_the_councils_choice(org, template):
    audit = audit_completed(org, template, datetime.date(2024, 1, 10))
    apply_retention(today=TODAY)
    audit.refresh_from_db()
    assert audit.strengths
    settings = RetentionSettings.load()
    settings.audit_years = 2
    settings.save()
    apply_retention(today=TODAY)
    audit.refresh_from_db()
    assert audit.strengths == ""


def test_a_second_run_changes_nothing(org, template):
    audit_completed(org, template, CUTOFF - datetime.timedelta(days=400))
    first = apply_retention(today=TODAY)
    second = apply_retention(today=TODAY)
    assert first.counts and second.counts == {}
    assert RetentionRun.objects.count() == 2


def test_feedback_and_actions_past_their_period_lose_their_text(org, template):
    old = audit_completed(org, template, CUTOFF - datetime.timedelta(days=30))
    new = audit_completed(org, template, TODAY - datetime.timedelta(days=30))
    for audit, day in ((old, CUTOFF - datetime.timedelta(days=30)), (new, TODAY)):
        Feedback.objects.create(
            source="audit_form",
            audit=audit,
            team=audit.team,
            position=0,
            given_on=day,
            outcome="given",
            comments="My son's school is Hill Primary",
        )
        action = Action.objects.create(
            audit=audit,
            child=audit.child,
            team=audit.team,
            text="Refer to CAMHS about the self-harm",
            owner=org.users["team_manager"],
            raised_on=day,
            due_date=day + datetime.timedelta(days=28),
        )
        ActionUpdate.objects.create(
            action=action,
            kind=ActionUpdateKind.NOTE,
            happened_on=day,
            recorded_on=day,
            note="Mum refused",
        )
    apply_retention(today=TODAY)
    assert list(Feedback.objects.filter(audit=old).values_list("comments", flat=True)) == [""]
    assert list(Feedback.objects.filter(audit=new).values_list("comments", flat=True)) == [
        "My son's school is Hill Primary"
    ]
    assert list(Action.objects.filter(audit=old).values_list("text", flat=True)) == [""]
    assert Action.objects.get(audit=new).text == "Refer to CAMHS about the self-harm"
    assert ActionUpdate.objects.get(action__audit=old).note == ""
    assert ActionUpdate.objects.get(action__audit=new).note == "Mum refused"
    assert not Feedback.history.filter(audit_id=old.pk).exclude(comments="").exists()
    assert not Action.history.filter(audit_id=old.pk).exclude(text="").exists()


def test_a_resolved_case_loses_its_notes_and_an_open_one_keeps_them(org, template):
    old = audit_completed(org, template, CUTOFF - datetime.timedelta(days=30))
    cases = {}
    for name, resolved in (("resolved", CUTOFF - datetime.timedelta(days=1)), ("open", None)):
        case = CaseOfConcern.objects.create(
            child=ChildFactory(team=org.team_a),
            service_area=org.area_a,
            team=org.team_a,
            head_of_service=org.users["head_of_service"],
            opened_on=CUTOFF - datetime.timedelta(days=300),
            resolved_on=resolved,
        )
        CaseUpdate.objects.create(
            case=case,
            month=CUTOFF.replace(day=1),
            child_safe=True,
            plan_progressing=True,
            notes="Dad back home",
            recorded_on=CUTOFF,
        )
        cases[name] = case
    assert old
    apply_retention(today=TODAY)
    assert CaseUpdate.objects.get(case=cases["resolved"]).notes == ""
    assert CaseUpdate.objects.get(case=cases["open"]).notes == "Dad back home"


def test_a_closed_child_past_its_period_loses_its_case_reference(org, template):
    closed = ChildFactory(team=org.team_a, case_reference="CLOSED-1", is_open=False)
    still_open = ChildFactory(team=org.team_a, case_reference="OPEN-1")
    recent = ChildFactory(team=org.team_a, case_reference="CLOSED-RECENT", is_open=False)
    in_case = ChildFactory(team=org.team_a, case_reference="CLOSED-CASE", is_open=False)
    long_ago = CUTOFF - datetime.timedelta(days=10)
    for child in (closed, still_open, in_case):
        audit_completed(org, template, long_ago, child=child)
    audit_completed(org, template, long_ago, child=recent)
    audit_completed(org, template, CUTOFF, child=recent)
    CaseOfConcern.objects.create(
        child=in_case,
        service_area=org.area_a,
        team=org.team_a,
        head_of_service=org.users["head_of_service"],
        opened_on=long_ago,
    )
    run = apply_retention(today=TODAY)
    references = dict(Child.objects.values_list("pk", "case_reference"))
    assert references[closed.pk] == f"{ANONYMOUS_PREFIX}{closed.pk}"
    assert references[still_open.pk] == "OPEN-1"
    assert references[recent.pk] == "CLOSED-RECENT"
    assert references[in_case.pk] == "CLOSED-CASE"
    assert set(Child.history.filter(id=closed.pk).values_list("case_reference", flat=True)) == {
        f"{ANONYMOUS_PREFIX}{closed.pk}"
    }
    assert Child.objects.get(pk=closed.pk).social_worker is None
    assert run.counts["audits.child"] == 1


def summary(client, start, end):
    response = client.get("/api/v1/reports/summary/", {"start": start, "end": end})
    assert response.status_code == 200, response.content
    return response.json()


def test_every_figure_and_published_report_is_the_same_after_retention(client, settings):
    """The demo council, with one year's retention and its oldest children closed: the
    summary for each of its years and every report version are unchanged."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("seed_demo")
    today = timezone.localdate()
    Child.objects.filter(audits__completed_on__lt=today - datetime.timedelta(days=200)).update(
        is_open=False
    )
    retention = RetentionSettings.load()
    retention.audit_years = retention.feedback_years = retention.action_years = 1
    retention.case_record_years = 1
    retention.save()
    client.force_login(Audit.objects.filter(status=AuditStatus.ACCEPTED).first().accepted_by)
    periods = [
        ("2024-04-01", "2025-03-31"),
        ("2025-04-01", "2026-03-31"),
        ("2026-04-01", "2027-03-31"),
    ]
    before = [summary(client, start, end) for start, end in periods]
    versions = list(ReportVersion.objects.order_by("pk").values_list("fingerprint", "figures"))
    run = apply_retention(today=today + datetime.timedelta(days=365))
    assert run.counts.get("audits.audit", 0) > 100
    assert run.counts.get("audits.child", 0) > 10
    assert run.counts.get("feedback.feedback", 0) > 10
    assert [summary(client, start, end) for start, end in periods] == before
    assert list(ReportVersion.objects.order_by("pk").values_list("fingerprint", "figures")) == (
        versions
    )


def test_each_run_is_in_the_records(client, org, template):
    audit_completed(org, template, CUTOFF - datetime.timedelta(days=30))
    apply_retention(today=TODAY)
    client.force_login(org.users["qa_lead"])
    response = client.get("/records/records.csv", {"show": "changes"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "Anonymised records past their retention period" in text
    assert '""audits.audit"": 1' in text
    person = client.get("/records/records.csv", {"person": org.users["qa_lead"].pk})
    assert b"Anonymised records" not in b"".join(person.streaming_content)


def test_the_daily_task_is_installed_by_migrate_and_runs(settings):
    from django_celery_beat.models import PeriodicTask

    from governance.tasks import apply_retention as task

    settings.INSTALL_DEFAULTS_ON_MIGRATE = True
    call_command("migrate", verbosity=0)
    scheduled = PeriodicTask.objects.get(task="governance.tasks.apply_retention")
    assert scheduled.enabled
    assert (scheduled.crontab.hour, scheduled.crontab.minute) == ("2", "45")
    assert task.delay().get() == {}
    assert RetentionRun.objects.count() == 1


@pytest.mark.parametrize("who", ["qa_lead", "administrator"])
def test_the_retention_settings_open_from_the_admin_on_a_new_install(client, org, who):
    client.force_login(org.users[who])
    response = client.get("/admin/governance/retentionsettings/")
    settings = RetentionSettings.objects.get()
    assert response["Location"] == f"/admin/governance/retentionsettings/{settings.pk}/change/"
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "years an audit keeps its text" in page.content.decode().lower()


def test_nobody_else_opens_the_retention_settings(client, org):
    client.force_login(org.users["leader"])
    assert client.get("/admin/governance/retentionsettings/").status_code in (302, 403)
    assert not RetentionSettings.objects.exists()
