"""The figures' data version: migrate puts a trigger on every table the figures read;
every committed change there moves it (bulk writes and COPY too), an auditor's draft and
the tables no figure reads do not; the dashboard and the summary API count a slice once
for each version, and a late audit, a regrade, an import's COPY and the case list's new
level of need are in the next request's figures."""

import datetime

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import User
from audits.models import Audit, AuditStatus, Child, DomainGrading, LegalStatus
from audits.services.audit import audit_save_draft, audit_submit
from common.bulk import insert_rows
from reporting import data_version
from reporting.selectors import Slice, summary
from tests.factories import AuditFactory, ChildFactory, complete_audit

from .conftest import INAD, RI, G, audit

pytestmark = pytest.mark.django_db(transaction=True)

URL = "/api/v1/reports/summary/"
Q1 = {"start": "2026-04-01", "end": "2026-06-30"}


def triggered_tables() -> set[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT DISTINCT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid"
                " WHERE t.tgname LIKE 'reporting_data_changed%%'"
            )
        else:
            cursor.execute(
                "SELECT DISTINCT tbl_name FROM sqlite_master WHERE type = 'trigger'"
                " AND name LIKE 'reporting_data_changed%'"
            )
        return {row[0] for row in cursor.fetchall()}


def test_migrate_puts_a_trigger_on_every_table_the_figures_read():
    tables = triggered_tables()
    assert set(data_version.watched_tables()) <= tables
    for read in (
        "audits_audit",
        "audits_child",
        "audits_domaingrading",
        "audits_gradechange",
        "moderation_moderationreview",
        "moderation_reviewdomaingrade",
        "actions_action",
        "actions_actionupdate",
        "feedback_feedback",
        "accounts_team",
        "reporting_targets",
    ):
        assert read in tables
    for unread in ("accounts_user", "audits_childviewevent", "reporting_dataversion"):
        assert unread not in tables


def test_each_committed_write_moves_the_version_and_a_rolled_back_one_does_not(org, template):
    made = audit(org, template, G)
    versions = [data_version.current()]
    assert versions[0] is not None

    Audit.objects.filter(pk=made.pk).update(overall_grade=RI)  # one statement, no signal
    versions.append(data_version.current())
    DomainGrading.objects.filter(audit=made).delete()
    versions.append(data_version.current())
    insert_rows(
        DomainGrading,
        [
            {
                "audit_id": made.pk,
                "domain_id": template.sections.exclude(domain=None)[0].domain_id,
                "grade": INAD,
                "ri_band": "",
                "evidence": "Copied in",
            }
        ],
    )  # COPY on PostgreSQL
    versions.append(data_version.current())
    assert len(set(versions)) == len(versions)

    before = data_version.current()
    with pytest.raises(RuntimeError), transaction.atomic():
        Audit.objects.filter(pk=made.pk).update(overall_grade=G)
        raise RuntimeError
    assert data_version.current() == before


def test_tables_no_figure_reads_leave_the_version(org):
    before = data_version.current()
    User.objects.filter(pk=org.users["leader"].pk).update(last_login=timezone.now())
    assert data_version.current() == before


def test_an_auditors_draft_leaves_the_version_and_submitting_moves_it(org, template):
    today = timezone.localdate()
    made = AuditFactory(
        child=ChildFactory(team=org.team_a),
        template=template,
        auditor=org.users["auditor"],
        month=today.replace(day=1),
        due_date=today + datetime.timedelta(days=20),
        status=AuditStatus.IN_PROGRESS,
    )
    domain = template.sections.exclude(domain=None)[0].domain_id
    before = data_version.current()
    audit_save_draft(
        audit=made,
        user=org.users["auditor"],
        data={
            "fields": {"strengths": "The child's voice runs through the plan."},
            "gradings": {domain: {"grade": G, "evidence": "Visits every ten days."}},
        },
    )
    assert data_version.current() == before

    # Moving an open audit to another month is not a draft: it changes what is allocated.
    Audit.objects.filter(pk=made.pk).update(month=made.month.replace(year=made.month.year - 1))
    moved = data_version.current()
    assert moved != before

    made.refresh_from_db()
    complete_audit(made)
    at_draft = data_version.current()
    audit_submit(audit=made, user=org.users["auditor"])
    assert data_version.current() != at_draft


def test_the_summary_counts_once_for_each_version(client, org, template, panel):
    from tests.moderation.conftest import moderate

    first = audit(org, template, G, completed=datetime.date(2026, 5, 10))
    client.force_login(org.users["leader"])
    client.get(URL, Q1)  # the settings rows the figures read are made on first reading
    counted = client.get(URL, Q1).json()
    assert counted["audits"]["completed"] == 1
    with CaptureQueriesContext(connection) as again:
        assert client.get(URL, Q1).json() == counted
    figures_read = [q for q in again.captured_queries if "reporting_dataversion" in q["sql"]]
    assert len(figures_read) == 1  # the version, and nothing counted again

    # A late audit of the quarter, accepted now.
    audit(org, template, INAD, completed=datetime.date(2026, 4, 2))
    late = client.get(URL, Q1).json()
    assert late["audits"]["completed"] == 2
    assert late["overall"]["Inadequate"] == 1

    # A regrade at panel.
    moderate(first, panel, org.users["moderator"], RI)
    regraded = client.get(URL, Q1).json()
    assert (regraded["overall"]["Good"], regraded["overall"]["Requires Improvement"]) == (0, 1)

    # The case list's new level of need: the slice of children in care finds it.
    in_care = {**Q1, "legal_status": LegalStatus.CHILD_IN_CARE}
    assert client.get(URL, in_care).json()["audits"]["completed"] == 0
    Child.objects.filter(pk=first.child_id).update(legal_status=LegalStatus.CHILD_IN_CARE)
    assert client.get(URL, in_care).json()["audits"]["completed"] == 1


def test_an_imports_copied_grades_are_in_the_next_figures(client, org, template):
    made = audit(org, template, G, completed=datetime.date(2026, 5, 10), domains={})
    client.force_login(org.users["leader"])
    domain = template.sections.exclude(domain=None).order_by("order")[0].domain
    DomainGrading.objects.filter(audit=made, domain=domain).delete()
    before = client.get(URL, Q1).json()["domains"].get(domain.name, {})
    insert_rows(
        DomainGrading,
        [
            {
                "audit_id": made.pk,
                "domain_id": domain.pk,
                "grade": INAD,
                "ri_band": "",
                "evidence": "Imported",
            }
        ],
    )
    after = client.get(URL, Q1).json()["domains"][domain.name]
    assert after["Inadequate"] == before.get("Inadequate", 0) + 1


def test_nothing_is_kept_inside_a_transaction_or_when_turned_off(org, template, settings):
    audit(org, template, G, completed=datetime.date(2026, 5, 10))
    s = Slice(datetime.date(2026, 4, 1), datetime.date(2026, 6, 30))
    counted = []

    def count():
        counted.append(1)
        return {"n": len(counted)}

    data_version.remember("test", (s,), count)
    data_version.remember("test", (s,), count)
    assert len(counted) == 1
    with transaction.atomic():
        data_version.remember("test", (s,), count)
    assert len(counted) == 2
    settings.FIGURES_CACHE_SECONDS = 0
    data_version.remember("test", (s,), count)
    assert len(counted) == 3
    assert summary(s)["audits"]["completed"] == 1


def test_figures_counted_while_the_data_moved_are_not_kept(org, template):
    audit(org, template, G, completed=datetime.date(2026, 5, 10))
    s = Slice(datetime.date(2026, 4, 1), datetime.date(2026, 6, 30))
    counted = []

    def count_while_an_audit_arrives():
        counted.append(1)
        if len(counted) == 1:
            audit(org, template, INAD, completed=datetime.date(2026, 5, 11))
        return len(counted)

    assert data_version.remember("moving", (s,), count_while_an_audit_arrives) == 1
    assert data_version.remember("moving", (s,), count_while_an_audit_arrives) == 2
    assert data_version.remember("moving", (s,), count_while_an_audit_arrives) == 2


def test_migrate_takes_the_triggers_off_while_it_runs_and_puts_them_back(org, template):
    from django.core.management import call_command

    audit(org, template, G)
    assert data_version.current() is not None
    data_version.remove_triggers()  # as migrate's first app does before its migrations
    assert triggered_tables() == set()
    assert data_version.current() is None  # nothing is kept while a trigger is missing
    Audit.objects.update(overall_grade=RI)
    assert data_version.current() is None

    call_command("migrate", verbosity=0)
    assert set(data_version.watched_tables()) <= triggered_tables()
    restarted = data_version.current()
    assert restarted is not None  # a new version: what was kept before does not match
    Audit.objects.update(overall_grade=G)
    assert data_version.current() not in (None, restarted)
