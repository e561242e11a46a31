"""One real object of each kind, for tests that walk every page of the product."""

import datetime
import uuid
from types import SimpleNamespace

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.utils import timezone
from django_celery_beat.models import (
    ClockedSchedule,
    CrontabSchedule,
    IntervalSchedule,
    PeriodicTask,
    SolarSchedule,
)

from accounts.models import DepartmentTeam, Role
from accounts.tokens import token_create
from actions.models import (
    Action,
    ActionSettings,
    ActionUpdate,
    ActionUpdateKind,
    CaseOfConcern,
    CaseUpdate,
    ReauditProposal,
    RunKind,
    ServiceImprovementAction,
    ServiceImprovementUpdate,
    TrackerEmail,
    TrackerRun,
)
from audits.models import (
    AllocationRound,
    Audit,
    AuditStatus,
    ChildViewEvent,
    Exemption,
    ExemptionKind,
    Grade,
    ImportJob,
    MultiAgencyAudit,
    PracticeObservation,
    ProgrammeSettings,
    ProposedAction,
    SampleAudit,
    SampleKind,
)
from audits.services.audit import audit_accept, audit_submit
from common.dates import quarter_of
from feedback.models import (
    AmbassadorReview,
    AmbassadorSample,
    Answer,
    Channel,
    Feedback,
    FeedbackSettings,
    Outcome,
    Respondent,
    Source,
)
from feedback.services.links import link_create
from feedback.services.quotes import quote_pick
from governance.models import RecordSearch, RetentionRun, RetentionSettings
from moderation.models import (
    EndorsementOverride,
    ModerationSettings,
    ModeratorCapacity,
    Pairing,
    Panel,
)
from moderation.services import loop_create, panel_add_audit
from outbox.models import OutboxEmail, OutboxStatus
from reporting import services as reports
from reporting.models import ReportKind
from tests.factories import AuditFactory, ChildFactory, UserFactory, complete_audit, make_template


def _accepted(org, template, auditor, grade, proposals=()):
    audit = AuditFactory(child=ChildFactory(team=org.team_a), template=template, auditor=auditor)
    complete_audit(audit, grade=grade)
    for order, text in enumerate(proposals):
        ProposedAction.objects.create(audit=audit, order=order, text=text)
    audit_submit(audit=audit, user=auditor)
    return audit_accept(audit=Audit.objects.get(pk=audit.pk), user=org.users["qa_lead"])


@pytest.fixture
def every_kind(org):
    """Walker holds every role and is a superuser, so that every page opens for them.

    ``draft`` is Walker's own audit in progress; ``accepted`` an Inadequate audit by the
    auditor, accepted (raising an action, a Case of Concern and a re-audit proposal) and
    on a panel with Walker as its moderator; ``loop`` a looped audit on the same panel.
    """
    walker = UserFactory(
        email="walker@council.example",
        team=org.team_a,
        roles=list(Role.values),
        is_superuser=True,
        is_staff=True,
    )
    qa_lead = org.users["qa_lead"]
    today = timezone.localdate()
    month = today.replace(day=1)
    template = make_template()

    draft = complete_audit(
        AuditFactory(child=ChildFactory(team=org.team_b), template=template, auditor=walker)
    )
    accepted = _accepted(
        org, template, org.users["auditor"], Grade.INADEQUATE, proposals=["Update the plan"]
    )
    panel = Panel.objects.create(month=month, date=today, created_by=qa_lead)
    panel.moderators.add(walker)
    review = panel_add_audit(panel=panel, audit=accepted, user=qa_lead, moderator=walker)
    loop = loop_create(
        child=ChildFactory(team=org.team_a),
        auditors=(org.users["auditor"], org.users["moderator"]),
        template=template,
        month=month,
        due_date=None,
        user=qa_lead,
    )
    loop.panel = panel
    loop.save()
    action = Action.objects.get(audit=accepted)
    ActionUpdate.objects.create(
        action=action,
        kind=ActionUpdateKind.NOTE,
        happened_on=today,
        recorded_on=today,
        note="Discussed in supervision.",
        created_by=walker,
    )
    case = CaseOfConcern.objects.get(links__audit=accepted)
    CaseUpdate.objects.create(
        case=case,
        month=month,
        child_safe=True,
        plan_progressing=True,
        notes="Plan reviewed.",
        recorded_on=today,
        created_by=walker,
    )
    reaudit = ReauditProposal.objects.get(audit=accepted)
    improvement = ServiceImprovementAction.objects.create(
        title="Agree what a good chronology looks like",
        service_area=org.area_a,
        raised_in="Quarterly report",
        raised_on=today,
        timescale=today + datetime.timedelta(days=90),
        created_by=qa_lead,
    )
    improvement.leads.set([walker])
    ServiceImprovementUpdate.objects.create(
        action=improvement, note="Draft agreed.", created_by=walker
    )
    run = TrackerRun.objects.create(kind=RunKind.MANAGER_WEEKLY, period_start=today)
    email = OutboxEmail.objects.create(
        recipient=walker,
        to=walker.email,
        template="tracker",
        kind="Weekly tracker",
        message_id="<walk@council.example>",
        status=OutboxStatus.SENT,
        sent_at=timezone.now(),
        subject="Your actions this week",
        body_text="One action.",
        body_html="<p>One action.</p>",
    )
    TrackerEmail.objects.create(run=run, recipient=walker, outbox=email, item_count=1)
    allocation_round = AllocationRound.objects.create(
        month=month, due_date=today + datetime.timedelta(days=28), created_by=qa_lead
    )
    proposed = AuditFactory(
        child=ChildFactory(team=org.team_b),
        template=template,
        auditor=org.users["auditor"],
        status=AuditStatus.PROPOSED,
        allocation_round=allocation_round,
    )
    exemption = Exemption.objects.create(
        auditor=org.users["auditor"],
        kind=ExemptionKind.SINGLE_MONTH,
        month=month,
        reason="Leave",
        requested_by=qa_lead,
    )
    job = ImportJob.objects.create(created_by=qa_lead, original_name="past.csv")
    job.file.save("past.csv", ContentFile(b"case_reference\n"), save=True)
    sample = SampleAudit.objects.create(
        kind=SampleKind.DIP_SAMPLE,
        topic="Visits",
        month=month,
        records_sampled=10,
        lead=qa_lead,
        findings="Timely.",
    )
    multi = MultiAgencyAudit.objects.create(
        topic="Neglect",
        month=month,
        agencies="Police",
        families_considered=3,
        lead=qa_lead,
        findings="Good sharing.",
    )
    observation = PracticeObservation.objects.create(
        practitioner=org.users["no_role"],
        observer=walker,
        team=org.team_a,
        observed_on=today,
        setting="home_visit",
        grade=Grade.GOOD,
        strengths="Warm.",
    )
    Pairing.objects.create(
        auditor=org.users["auditor"],
        moderator=walker,
        starts_on=month,
        ends_on=month + datetime.timedelta(days=90),
    )
    EndorsementOverride.objects.create(
        auditor=org.users["auditor"], endorsed=True, reason="Consistent", set_by=qa_lead
    )
    ModeratorCapacity.objects.create(moderator=walker)
    ModerationSettings.load()
    ActionSettings.load()
    ProgrammeSettings.load()
    FeedbackSettings.load()
    every = IntervalSchedule.objects.create(every=1, period=IntervalSchedule.DAYS)
    CrontabSchedule.objects.create(minute="0", hour="7")
    SolarSchedule.objects.create(event="sunrise", latitude=53.0, longitude=-1.5)
    ClockedSchedule.objects.create(clocked_time=timezone.now())
    PeriodicTask.objects.create(name="Walk", task="qa_audit.tasks.noop", interval=every)
    Group.objects.create(name="Readers")
    AccessAttempt.objects.create(
        username="x@council.example", ip_address="192.0.2.1", failures_since_start=1
    )
    AccessLog.objects.create(username="x@council.example", ip_address="192.0.2.1")
    AccessFailureLog.objects.create(username="x@council.example", ip_address="192.0.2.1")
    ChildViewEvent.objects.create(child=accepted.child, user=walker, note="Admin")
    RetentionSettings.load()
    RetentionRun.objects.create(day=today, counts={})
    RecordSearch.objects.create(user=qa_lead, criteria="child: X")
    said = Feedback.objects.create(
        source=Source.RECORDED,
        audit=accepted,
        team=accepted.team,
        respondent=Respondent.MOTHER,
        given_on=today,
        outcome=Outcome.GIVEN,
        channel=Channel.PHONE,
        listened=Answer.YES,
        comments="They listened.",
        consent_to_quote=True,
        quote_key=uuid.uuid4(),
    )
    quote = quote_pick(feedback=said, user=qa_lead)
    family_link = link_create(audit=accepted, user=qa_lead, audience="adult")
    ambassador_sample = AmbassadorSample.objects.create(
        month=accepted.month, how_chosen="number", amount=1, available=1, created_by=qa_lead
    )
    ambassador_review = AmbassadorReview.objects.create(
        sample=ambassador_sample,
        audit=accepted,
        child=accepted.child,
        month=accepted.month,
        ambassador=walker,
    )
    report = reports.report_for(ReportKind.QUARTERLY, quarter_of(accepted.completed_on))
    report_version, _ = reports.generate(report, by=walker)
    report_run = reports.start_run(report, walker)
    api_token, _ = token_create(user=walker, name="Power BI", days=90)
    DepartmentTeam.objects.create(department="Family Support North (LCS)", team=org.team_a)
    return SimpleNamespace(
        report=report,
        report_version=report_version,
        walker=walker,
        template=template,
        draft=draft,
        accepted=accepted,
        review=review,
        panel=panel,
        loop=loop,
        action=action,
        case=case,
        reaudit=reaudit,
        improvement=improvement,
        email=email,
        round=allocation_round,
        proposed=proposed,
        exemption=exemption,
        job=job,
        sample=sample,
        multi=multi,
        observation=observation,
        feedback=said,
        quote=quote,
        family_link=family_link,
        ambassador_sample=ambassador_sample,
        ambassador_review=ambassador_review,
        report_run=report_run,
        api_token=api_token,
    )
