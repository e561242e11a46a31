"""Journeys done with the keyboard alone (Tab, Shift+Tab, Enter, Space, arrows; no
mouse event): an auditor completes an allocated audit with a family's feedback and the
QA Lead accepts it; a team manager follows the weekly email's link, signs in and closes the
loop on two actions; a leader filters the dashboard, follows a count to the audits
behind it, and downloads a quarterly report in Word and PDF; a moderator regrades a
domain at panel and the auditor reads the feedback; an auditor answers, keeps the focus
through autosave, and meets the errors of a half-done audit; a Head of Service updates
a Case of Concern, errors first. The focus is always on something and always visible,
and axe finds no WCAG 2.2 AA problem on the way."""

import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from accounts.demo import DEMO_PASSWORD, demo_email
from actions.models import ActionUpdateKind, CaseOfConcern
from actions.tasks import send_weekly_trackers
from audits.models import Audit, AuditStatus
from feedback.models import Feedback
from moderation.models import ReviewStatus
from reporting.models import Report, ReportStatus

from .keyboard import FOCUS_SHOWN, focused, follow, press, tab_to
from .test_actions import _actions_for_the_demo_team_manager
from .test_audit_form import EVIDENCE, allocated, wait_until_saved  # noqa: F401 (a fixture)
from .test_every_page_accessible import problems
from .test_moderation import waiting_review  # noqa: F401 (a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RENDERED = 30_000  # milliseconds


def sign_in_with_the_keyboard(page, local):
    tab_to(page, "Email address")
    page.keyboard.type(demo_email(local))
    tab_to(page, "Password")
    page.keyboard.type(DEMO_PASSWORD)
    follow(page)


def start_the_audit_with_the_keyboard(page, live_server, audit) -> str:
    """The demo auditor signs in, opens ``audit`` (the ``allocated`` fixture's) from My
    audits and answers its first question with a comment; returns the audit's address."""
    base = f"{live_server.url}/audits/{audit.pk}"
    page.goto(f"{live_server.url}/accounts/sign-in/")
    sign_in_with_the_keyboard(page, "auditor")
    tab_to(page, "My audits", exact=True)
    follow(page)
    tab_to(page, f"Start audit of {audit.child.case_reference}")
    follow(page)
    assert page.url == f"{base}/edit/s1/"
    tab_to(page, "", within=f"#q-{audit.ids['plan']}")
    press(page, "Space")
    tab_to(page, "", within=f"#q-{audit.ids['plan']}-comment")
    page.keyboard.type("Reviewed at the last CIN meeting")
    return base


def test_a_team_manager_closes_the_loop_with_the_keyboard(demo, page, live_server, settings):
    settings.SITE_URL = live_server.url
    manager, done, plan = _actions_for_the_demo_team_manager()
    mail.outbox.clear()
    send_weekly_trackers.delay()
    [email] = [m for m in mail.outbox if m.to == [manager.email]]
    link = next(
        link
        for link in re.findall(rf"{re.escape(live_server.url)}/actions/link/[^\s]+/", email.body)
        if email.body.index(link) > email.body.index("Bring the chronology up to date")
    )

    page.goto(link)
    sign_in_with_the_keyboard(page, "team.manager")
    page.wait_for_url(f"{live_server.url}/actions/{done.pk}/")
    tab_to(page, "Mark as done")
    press(page, "Enter")
    expect(page.get_by_text("Case NC990001: action marked as done on")).to_be_visible()
    assert problems(page) == []

    tab_to(page, "Actions tracker")
    press(page, "Enter")
    page.wait_for_url(re.compile(r".*/actions/(#action-\d+)?$"))
    # The plan's card: open "Transferred to the plan", tick who was told, record it.
    card = f"#action-{plan.pk}"
    tab_to(page, "Transferred to the plan", within=card)
    press(page, "Enter")
    tab_to(page, "The child and family", within=card)
    press(page, "Space")
    tab_to(page, "The IRO or CP chair", within=card)
    press(page, "Space")
    tab_to(page, "Record the transfer", within=card)
    press(page, "Enter")
    expect(page.get_by_text("recorded as transferred to the child's plan")).to_be_visible()
    assert page.url.endswith(f"/actions/#action-{plan.pk}")
    assert problems(page) == []

    assert done.updates.get().kind == ActionUpdateKind.COMPLETED
    transfer = plan.updates.get()
    assert (transfer.kind, transfer.child_family_involved, transfer.iro_involved) == (
        ActionUpdateKind.TRANSFERRED,
        True,
        True,
    )


def test_a_leader_reads_the_dashboard_and_downloads_a_report_with_the_keyboard(
    demo, page, live_server
):
    page.goto(f"{live_server.url}/accounts/sign-in/")
    sign_in_with_the_keyboard(page, "leader")
    page.wait_for_url(f"{live_server.url}/")

    tab_to(page, "Dashboard", exact=True)
    press(page, "Enter")
    expect(page.get_by_role("heading", name="Dashboard", level=1)).to_be_visible()
    # One service area: the list opens on the keyboard's arrows, Show is a button.
    tab_to(page, "Service area")
    press(page, "ArrowDown")
    chosen = page.get_by_label("Service area").locator("option:checked").inner_text().strip()
    assert chosen != "All service areas"
    tab_to(page, "Show")
    press(page, "Enter")
    page.wait_for_url(re.compile(r"service_area=\d+"))
    expect(page.locator("[data-chart='grades-by-month'][data-drawn='true']")).to_be_visible(
        timeout=RENDERED
    )
    assert problems(page) == []

    # The first count in the table of grades by month, to the audits behind it.
    table = page.get_by_test_id("chart-grades-by-month").get_by_role("table")
    count = table.get_by_role("link").first.inner_text()
    tab_to(page, count, exact=True, within="[data-testid=chart-grades-by-month] table")
    press(page, "Enter")
    expect(page.get_by_role("heading", name="Audits behind the figure")).to_be_visible()
    rows = page.get_by_test_id("drill-audits").locator("tbody tr")
    expect(rows).to_have_count(min(int(count), 50))
    assert all(f"({chosen})" in text for text in rows.all_inner_texts())
    assert problems(page) == []

    # Reports, a published quarterly report, and its Word and PDF files.
    report = (
        Report.objects.filter(kind="quarterly", versions__status=ReportStatus.PUBLISHED)
        .order_by("-start")
        .first()
    )
    page.goto(f"{live_server.url}/")
    tab_to(page, "Reports", exact=True)
    press(page, "Enter")
    expect(page.get_by_role("heading", name="QA reports", level=1)).to_be_visible()
    tab_to(page, f"Quarterly report {report.label}")
    press(page, "Enter")
    page.wait_for_url(re.compile(rf"{reverse('reporting:report', args=[report.pk])}"))
    assert problems(page) == []
    for name, suffix in (("Word file", ".docx"), ("PDF file", ".pdf")):
        tab_to(page, name)
        with page.expect_download() as download:
            press(page, "Enter")
        assert download.value.suggested_filename.endswith(suffix)
        assert download.value.failure() is None


def test_a_moderator_regrades_at_panel_and_the_auditor_reads_it_with_the_keyboard(
    waiting_review,  # noqa: F811 (the fixture)
    page,
    live_server,
):
    review = waiting_review
    reference = review.audit.child.case_reference
    first = review.domain_grades.select_related("domain").order_by("domain__name")[0]
    domain = first.domain.name
    lower = {
        "outstanding": "Good",
        "good": "Requires Improvement",
        "requires_improvement": "Inadequate",
        "inadequate": "Requires Improvement",
    }[first.original_grade]

    page.goto(f"{live_server.url}/accounts/sign-in/")
    sign_in_with_the_keyboard(page, "moderator")
    page.wait_for_url(f"{live_server.url}/")
    tab_to(page, "Moderation", exact=True)
    follow(page)
    tab_to(page, review.panel.month.strftime("%B %Y"), exact=True)
    follow(page)
    tab_to(page, reference, exact=True)
    follow(page)
    expect(page.get_by_role("heading", name=reference, level=1)).to_be_visible()
    assert problems(page) == []

    # Into the domain's grades (the focus goes to the checked one, "Agree"), then down
    # with the arrows to the lower grade: the reason appears and the focus stays put.
    group = f"[data-app-grade-group]:has(#domain-{first.domain_id})"
    tab_to(page, "Agree", within=group)
    for _ in range(6):
        if focused(page) == lower:
            break
        press(page, "ArrowDown")
    assert focused(page) == lower
    why = page.get_by_label(f"Why the grade for {domain} changed")
    expect(why).to_be_visible()
    assert focused(page) == lower  # the reveal left the focus where it was
    assert problems(page) == []
    tab_to(page, f"Why the grade for {domain} changed")
    page.keyboard.type("Visits fell out of timescale in the period audited.")
    tab_to(page, "Poor recording")
    press(page, "Space")
    tab_to(page, "Feedback for the auditor")
    page.keyboard.type("Check the statutory visit dates before you settle the grade.")
    tab_to(page, "Mark as done", exact=True)
    follow(page)
    page.wait_for_url(f"{live_server.url}/moderation/panels/{review.panel_id}/")
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        f"Your review of {reference} is done"
    )
    review.refresh_from_db()
    assert review.status == ReviewStatus.FINAL

    tab_to(page, "Sign out", exact=True)
    follow(page)
    page.goto(f"{live_server.url}/accounts/sign-in/")
    tab_to(page, "Email address")
    page.keyboard.type(review.audit.auditor.email)
    tab_to(page, "Password")
    page.keyboard.type(DEMO_PASSWORD)
    follow(page)
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/moderation/feedback/")
    tab_to(page, reference, exact=True)
    follow(page)
    expect(page.get_by_test_id("feedback")).to_contain_text("Check the statutory visit dates")
    assert problems(page) == []


def test_an_auditor_answers_and_meets_the_errors_with_the_keyboard(
    allocated,  # noqa: F811 (the fixture)
    page,
    live_server,
):
    audit, ids = allocated, allocated.ids
    base = start_the_audit_with_the_keyboard(page, live_server, audit)
    # Autosave keeps the first answer and its comment: the focus stays where the
    # auditor went on to.
    page.keyboard.press("Tab")
    after = focused(page)
    wait_until_saved(page)
    assert after is not None and focused(page) == after

    tab_to(page, "Visits", exact=True)
    follow(page)
    assert page.url == f"{base}/edit/s2/"
    tab_to(page, "Outstanding", exact=True)  # into the grades: the first has the focus
    press(page, "ArrowDown")
    assert focused(page) == "Good"
    expect(page.get_by_label("Good", exact=True)).to_be_checked()
    tab_to(page, "", within=f"#evidence-{ids['visits']}")
    page.keyboard.type(EVIDENCE)
    page.keyboard.press("Tab")
    after = focused(page)
    wait_until_saved(page)
    assert after is not None and focused(page) == after
    assert problems(page) == []

    # Submitting half an audit: the error summary takes the focus, its first link leads
    # to the field.
    tab_to(page, "Check and submit", exact=True)
    follow(page)
    tab_to(page, "Submit the audit", exact=True)
    follow(page)
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    page.wait_for_function("document.activeElement.classList.contains('govuk-error-summary')")
    assert problems(page) == []
    page.keyboard.press("Tab")
    first_error = focused(page)
    assert first_error == summary.get_by_role("link").first.inner_text().strip()
    press(page, "Enter")
    page.wait_for_function(
        "document.activeElement && ['INPUT', 'TEXTAREA', 'SELECT'].includes("
        "document.activeElement.tagName)"
    )
    assert page.evaluate(FOCUS_SHOWN)


def test_a_head_of_service_updates_a_case_of_concern_with_the_keyboard(demo, page, live_server):
    page.goto(f"{live_server.url}/accounts/sign-in/")
    sign_in_with_the_keyboard(page, "head.of.service")
    month = timezone.localdate().strftime("%B %Y")
    first = page.get_by_role("link", name=re.compile(rf"^Case \w+: update for {month} needed$"))
    name = first.first.inner_text().strip()
    reference = name.split()[1].rstrip(":")
    case = CaseOfConcern.objects.get(child__case_reference=reference, resolved_on__isnull=True)
    tab_to(page, name, exact=True)
    follow(page)
    assert page.url.endswith(reverse("actions:case_update", args=[case.pk]))
    assert problems(page) == []

    # Saved with nothing answered: the errors, then each answered.
    tab_to(page, "Save the update", exact=True)
    follow(page)
    page.wait_for_function("document.activeElement.classList.contains('govuk-error-summary')")
    expect(page.locator(".govuk-error-summary").get_by_role("link")).to_have_count(3)
    assert problems(page) == []
    tab_to(page, "Yes", exact=True, within="input[name=child_safe]")
    press(page, "Space")
    tab_to(page, "Yes", exact=True, within="input[name=plan_progressing]")
    press(page, "Space")
    tab_to(page, "Notes")
    page.keyboard.type("Visited with the social worker; the safety plan is working.")
    tab_to(page, "Save the update", exact=True)
    follow(page)
    expect(page.get_by_text(f"Update for {month} saved for case {reference}.")).to_be_visible()
    update = case.updates.order_by("-pk").first()
    assert (update.month, update.child_safe, update.plan_progressing) == (
        timezone.localdate().replace(day=1),
        True,
        True,
    )
    assert problems(page) == []


def choose(page, key: str, value: str, selector: str) -> None:
    """Press ``key`` on the focused select until the option ``value`` is chosen."""
    for _ in range(12):
        if page.locator(selector).input_value() == value:
            return
        press(page, key)
    raise AssertionError(f"{value!r} was never chosen in {selector}")


def grade(page, name: str, evidence_field: str | None, evidence: str) -> None:
    """Into the grades (the first has the focus), down with the arrows to ``name``, then
    the evidence."""
    tab_to(page, "Outstanding", exact=True)
    for _ in range(4):
        if focused(page) == name:
            break
        press(page, "ArrowDown")
    assert focused(page) == name
    expect(page.get_by_label(name, exact=True)).to_be_checked()
    if evidence_field:
        tab_to(page, "", within=evidence_field)
    else:
        tab_to(page, "Reasons for the overall grade")
    page.keyboard.type(evidence)


def save_and_continue(page, base: str, next_page: str) -> None:
    tab_to(page, "Save and continue", exact=True)
    follow(page)
    assert page.url == f"{base}/edit/{next_page}/", page.url
    assert problems(page) == []


def test_an_auditor_completes_an_audit_with_feedback_and_the_qa_lead_accepts_it_with_the_keyboard(
    allocated,  # noqa: F811 (the fixture)
    page,
    live_server,
):
    audit, ids = allocated, allocated.ids
    ref = audit.child.case_reference
    comment = "The social worker always rang back and explained the plan to us."
    base = start_the_audit_with_the_keyboard(page, live_server, audit)
    save_and_continue(page, base, "s2")
    grade(page, "Good", f"#evidence-{ids['visits']}", EVIDENCE)
    save_and_continue(page, base, "s3")
    grade(
        page,
        "Requires Improvement",
        f"#evidence-{ids['assessments']}",
        "Assessments are late and do not say what the child's day is like at home.",
    )
    save_and_continue(page, base, "overall")
    grade(page, "Good", None, "Visits are strong; assessments need to catch up with the plan.")
    save_and_continue(page, base, "participation")
    for field in (
        "social_worker_involved",
        "team_manager_involved",
        "iro_involved",
        "child_spoken_to",
        "parent_carer_spoken_to",
    ):
        tab_to(page, "", within=f"#{field}")
        press(page, "Space")
        expect(page.locator(f"#{field}")).to_be_checked()
    save_and_continue(page, base, "feedback")

    # The family's feedback: who, how and when, what they said. Giving feedback reveals
    # its questions, and the focus stays on the answer chosen.
    today = timezone.localdate()
    tab_to(page, "", within="#fb-0-respondent")
    choose(page, "ArrowDown", "mother", "#fb-0-respondent")
    tab_to(page, "", within="#fb-0-channel")
    press(page, "Space")
    expect(page.locator("#fb-0-channel")).to_be_checked()
    for part, value in (("day", today.day), ("month", today.month), ("year", today.year)):
        tab_to(page, "", within=f"#fb-0-date-{part}")
        page.keyboard.type(str(value))
    tab_to(page, "", within="#fb-0-outcome")
    press(page, "Space")
    expect(page.locator("#fb-0-listened")).to_be_visible()
    assert page.evaluate("document.activeElement.id") == "fb-0-outcome"
    assert page.evaluate(FOCUS_SHOWN)
    tab_to(page, "", within="#fb-0-listened")
    press(page, "Space")
    tab_to(page, "", within="#fb-0-score")
    page.keyboard.type("9")
    tab_to(page, "", within="#fb-0-comments")
    page.keyboard.type(comment)
    tab_to(page, "", within="#fb-0-consent")
    press(page, "Space")
    wait_until_saved(page)
    assert problems(page) == []
    save_and_continue(page, base, "findings")
    tab_to(page, "Strengths", exact=True)
    page.keyboard.type("The child's voice runs through the plan.")
    tab_to(page, "Areas for development", exact=True)
    page.keyboard.type("Assessments need updating.")
    save_and_continue(page, base, "actions")
    save_and_continue(page, base, "check")
    expect(page.get_by_text(comment)).to_be_visible()
    tab_to(page, "Submit the audit", exact=True)
    follow(page)
    assert page.url == f"{live_server.url}/audits/", page.locator("main").inner_text()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Audit submitted")
    assert problems(page) == []
    audit.refresh_from_db()
    assert audit.status == AuditStatus.SUBMITTED
    feedback = Feedback.objects.get(audit=audit)
    assert (feedback.respondent, feedback.score, feedback.consent_to_quote) == ("mother", 9, True)
    assert feedback.comments == comment and feedback.given_on == today

    # The QA Lead, from the home page's count of audits waiting, accepts it.
    tab_to(page, "Sign out", exact=True)
    follow(page)
    page.goto(f"{live_server.url}/accounts/sign-in/")
    sign_in_with_the_keyboard(page, "qa.lead")
    page.wait_for_url(f"{live_server.url}/")
    waiting = Audit.objects.filter(status=AuditStatus.SUBMITTED).count()
    tab_to(page, f"{waiting} submitted audit")
    follow(page)
    tab_to(page, f"Review audit of {ref}", exact=True)
    follow(page)
    assert page.url == f"{base}/"
    assert problems(page) == []
    tab_to(page, "Accept the audit", exact=True)
    follow(page)
    expect(page.locator(".govuk-notification-banner")).to_contain_text("accepted")
    assert problems(page) == []
    audit.refresh_from_db()
    assert audit.status == AuditStatus.ACCEPTED
