import zipfile
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, demo_email
from accounts.models import AccessChange, DepartmentTeam, Role, ServiceArea, Team, User
from audits.caselist import FILES
from audits.models import (
    AllocationRound,
    Audit,
    AuditStatus,
    AuditTemplate,
    AuditType,
    Child,
    DomainGrading,
    Grade,
    LegalStatus,
    PracticeObservation,
    SampleAudit,
)
from feedback.models import Feedback, Quote
from reporting.selectors import final_overall_grade

pytestmark = pytest.mark.django_db

#: the seed's annual table: 12 Outstanding, 108 Good, 153 RI, 57 Inadequate of 330
GRADE_TARGETS = {
    Grade.OUTSTANDING: 4,
    Grade.GOOD: 33,
    Grade.REQUIRES_IMPROVEMENT: 46,
    Grade.INADEQUATE: 17,
}


def snapshot():
    return (
        list(User.objects.order_by("email").values_list("email", "job_title", "team__name")),
        list(
            Child.objects.order_by("case_reference").values_list(
                "case_reference", "legal_status", "team__name", "date_of_birth"
            )
        ),
        list(
            Audit.objects.order_by(
                "month", "child__case_reference", "audit_type", "auditor__email"
            ).values_list(
                "child__case_reference",
                "month",
                "status",
                "auditor__email",
                "overall_grade",
                "submitted_at",
                "accepted_at",
                "lock_version",
            )
        ),
        list(
            DomainGrading.objects.order_by(
                "audit__month",
                "audit__child__case_reference",
                "audit__audit_type",
                "audit__auditor__email",
                "domain__name",
            ).values_list("audit__child__case_reference", "domain__name", "grade", "evidence")
        ),
        list(AllocationRound.objects.order_by("month").values_list("month", "status")),
        list(
            SampleAudit.objects.order_by("month", "topic", "records_sampled").values_list(
                "kind", "topic", "month", "records_sampled", "lead__email"
            )
        ),
        list(
            PracticeObservation.objects.order_by("observed_on", "practitioner__email").values_list(
                "practitioner__email", "observer__email", "observed_on", "grade"
            )
        ),
        list(
            Feedback.objects.order_by(
                "audit__month",
                "audit__child__case_reference",
                "source",
                "position",
                "given_on",
                # two people may answer for the same audit on the same day: every column
                "respondent",
                "outcome",
                "listened",
                "score",
                "comments",
            ).values_list(
                "audit__child__case_reference",
                "source",
                "respondent",
                "outcome",
                "given_on",
                "listened",
                "score",
                "comments",
                "consent_to_quote",
            )
        ),
        list(
            Quote.objects.order_by("feedback__given_on", "text").values_list(
                "text", "attribution", "status", "tone", "theme__name"
            )
        ),
    )


def test_demo_council_has_the_promised_size_and_every_role(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("seed_demo")
    assert ServiceArea.objects.count() == 6
    assert Team.objects.count() == 40
    assert User.objects.count() == 301  # 300 social care staff and the DPO
    assert Child.objects.count() == 2000
    assert set(Child.objects.values_list("legal_status", flat=True)) == set(LegalStatus.values)
    for role in Role.values:
        assert User.objects.filter(role_assignments__role=role).exists(), role
    assert not Team.objects.filter(manager__isnull=True).exists()
    assert not ServiceArea.objects.filter(head_of_service__isnull=True).exists()


def test_each_demo_sign_in_works_with_its_roles():
    call_command("seed_demo")
    for local, *_, roles in DEMO_ACCOUNTS:
        user = User.objects.get(email=demo_email(local))
        assert user.check_password(DEMO_PASSWORD)
        assert user.role_codes == frozenset(roles)


def test_demo_is_deterministic_and_safe_to_run_again():
    call_command("seed_demo")
    first = snapshot()
    call_command("seed_demo")  # already there: changes nothing
    assert snapshot() == first
    call_command("seed_demo", "--reset")
    assert snapshot() == first


def test_demo_has_a_year_of_audits_in_every_state():
    call_command("seed_demo")
    states = set(Audit.objects.values_list("status", flat=True))
    assert states == set(AuditStatus.values)
    assert AllocationRound.objects.count() == 13
    assert set(AuditTemplate.objects.values_list("family", flat=True)) == {
        "child-journey-audit",
        "case-file-audit",
        "leaving-care-audit",
    }
    # Past months are mostly accepted; next month's audits are only proposals.
    accepted = Audit.objects.filter(status=AuditStatus.ACCEPTED).count()
    assert accepted / Audit.objects.count() > 0.7


def test_demo_grades_are_in_the_proportions_of_a_real_year():
    """The seed's table counts final grades (after moderation), as the reports do; the
    auditors' own grades are kinder, since moderation lowers more grades than it raises."""
    call_command("seed_demo")
    graded = Audit.objects.filter(
        audit_type=AuditType.CHILD_JOURNEY,
        status__in=[AuditStatus.SUBMITTED, AuditStatus.ACCEPTED, AuditStatus.RETURNED],
    ).annotate(final=final_overall_grade())
    total = graded.count()
    assert total > 250
    for grade, target in GRADE_TARGETS.items():
        share = 100 * graded.filter(final=grade).count() / total
        assert abs(share - target) <= 3, (grade, share)
    inadequate = graded.filter(overall_grade=Grade.INADEQUATE).count()
    assert inadequate < graded.filter(final=Grade.INADEQUATE).count()


def test_reset_deletes_the_audits_before_the_people():
    call_command("seed_demo", "--staff", "120", "--children", "200")
    people, audits = User.objects.count(), Audit.objects.count()
    call_command("seed_demo", "--reset", "--staff", "120", "--children", "200")
    assert (User.objects.count(), Audit.objects.count()) == (people, audits)
    assert Audit.objects.filter(auditor__isnull=False).exists()
    assert not Audit.objects.exclude(auditor__in=User.objects.all()).exists()


@pytest.mark.django_db(transaction=True)
def test_the_demos_emails_are_files_a_person_can_open(settings):
    """In the embedded default the demo's emails are written to var/mail/ (here the
    test's EMAIL_FILE_PATH) as they are sent when the demo's transaction commits; the
    team manager's weekly trackers among them."""
    from pathlib import Path

    from outbox.models import OutboxEmail, OutboxStatus

    call_command("seed_demo")
    sent = OutboxEmail.objects.filter(status=OutboxStatus.SENT)
    assert not OutboxEmail.objects.exclude(status=OutboxStatus.SENT).exists()
    files = list(Path(settings.EMAIL_FILE_PATH).glob("*.log"))
    written = "".join(f.read_text() for f in files)
    assert sent.exists()
    assert written.count("Message-ID: ") == sent.count()
    assert sent.first().message_id in written
    assert sent.filter(template="tracker").exists()
    tracker = sent.filter(template="tracker").first()
    assert tracker.message_id in written and f"To: {tracker.to}" in written


def test_the_demos_children_came_through_the_case_list(client, settings, tmp_path):
    """The demo's children are loaded from its case management system's SSD extract by
    the case list sync, and the extract it keeps, checked again on the QA Lead's page,
    changes nothing."""
    settings.VAR_DIR = tmp_path
    call_command("seed_demo")
    extract = tmp_path / "demo-case-list.zip"
    with zipfile.ZipFile(extract) as archive:
        assert sorted(archive.namelist()) == sorted(f"{name}.csv" for name in FILES)
        with archive.open("ssd_person.csv") as people:
            assert len(people.read().decode().splitlines()) == 1 + 2000 + 200  # 200 closed
    teams = set(Team.objects.values_list("pk", flat=True))
    assert set(DepartmentTeam.objects.values_list("team", flat=True)) == teams
    assert Child.objects.count() == 2000 and not Child.objects.filter(is_open=False).exists()
    reasons = set(Child.history.values_list("history_change_reason", flat=True))
    assert reasons == {"Case list"}
    with_worker = Child.objects.exclude(social_worker=None).count()
    assert with_worker > 1900
    assert AccessChange.objects.filter(changed_by_name="Case list").count() == with_worker

    client.force_login(User.objects.get(email=demo_email("qa.lead")))
    before = Child.history.count()
    with extract.open("rb") as handle:
        checked = client.post(reverse("programme:case_list"), {"file": handle, "action": "check"})
    page = checked.content.decode()
    assert "Checked: nothing has changed yet" in page
    assert "Unchanged: 2000" in page and "Opened: 0" in page and "Closed: 0" in page
    assert Child.history.count() == before


def test_make_run_ends_by_saying_where_to_go_and_who_to_sign_in_as():
    """`make run` passes --url: the demo's sign-ins and what each is for are the last
    thing it prints, whether it built the demo or found it there."""
    for _ in range(2):
        out = StringIO()
        call_command("seed_demo", "--url", "http://127.0.0.1:8000/", stdout=out)
        lines = out.getvalue().strip().splitlines()
        where = next(i for i, line in enumerate(lines) if "Open http://127.0.0.1:8000/" in line)
        assert DEMO_PASSWORD in lines[where + 1]
        people = lines[where + 2 :]
        assert [line.split()[0] for line in people] == [demo_email(a[0]) for a in DEMO_ACCOUNTS]
        assert all(len(line.split()) > 2 for line in people)  # each says what it is for
    assert "already there" in out.getvalue()
