"""Closing the loop in a real browser: from the weekly email to the QA Lead's tracker."""

import datetime
import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core import mail
from django.utils import timezone

from accounts.demo import DEMO_PASSWORD, demo_email
from accounts.models import Team, User
from actions.models import Action, ActionKind, ActionUpdateKind
from actions.tasks import send_weekly_trackers
from audits.models import Audit, AuditStatus, AuditTemplate
from tests.factories import ChildFactory

pytestmark = pytest.mark.browser

WCAG_AA = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]}
}


def _actions_for_the_demo_team_manager():
    """Two open actions for a child in the demo team manager's team: one other, one
    care-planning, raised a month ago and due in a week."""
    manager = User.objects.get(email=demo_email("team.manager"))
    team = Team.objects.filter(manager=manager).order_by("pk").first()
    child = ChildFactory(case_reference="NC990001", team=team)
    today = timezone.localdate()
    audit = Audit.objects.create(
        child=child,
        team=team,
        template=AuditTemplate.objects.filter(is_active=True).order_by("pk").first(),
        month=today.replace(day=1),
        status=AuditStatus.ACCEPTED,
        overall_grade="requires_improvement",
    )
    raised = today - datetime.timedelta(days=30)
    common = {
        "audit": audit,
        "child": child,
        "team": team,
        "owner": manager,
        "raised_on": raised,
        "due_date": today + datetime.timedelta(days=7),
    }
    done = Action.objects.create(text="Bring the chronology up to date", **common)
    plan = Action.objects.create(
        text="Add the contingency plan to the child's plan", kind=ActionKind.CARE_PLANNING, **common
    )
    return manager, done, plan


def _sign_in_here(page, local):
    page.get_by_label("Email address").fill(demo_email(local))
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()


@pytest.mark.django_db(transaction=True)
def test_team_manager_closes_the_loop_from_the_weekly_email(
    demo, page, live_server, sign_in, settings
):
    settings.SITE_URL = live_server.url
    manager, done, plan = _actions_for_the_demo_team_manager()
    mail.outbox.clear()
    send_weekly_trackers.delay()

    [email] = [m for m in mail.outbox if m.to == [manager.email]]
    links = re.findall(rf"{re.escape(live_server.url)}/actions/link/[^\s]+/", email.body)
    assert email.body.count("NC990001") == 2
    # The link printed beside the first action, "Bring the chronology up to date".
    link = next(
        link
        for link in links
        if email.body.index(link) > email.body.index("Bring the chronology up to date")
    )

    # Following the link asks for sign-in, then lands on the action.
    page.goto(link)
    assert "/accounts/sign-in/" in page.url
    _sign_in_here(page, "team.manager")
    page.wait_for_url(f"{live_server.url}/actions/{done.pk}/")
    assert page.get_by_role("heading", level=1).inner_text().endswith(done.display_reference)
    results = Axe().run(page, options=WCAG_AA)
    assert results.violations_count == 0, results.generate_report()

    page.get_by_role("button", name="Mark as done").click()
    assert page.get_by_text("Case NC990001: action marked as done on").is_visible()
    assert "Completed on time" in page.get_by_test_id("status").inner_text()

    # The other action, from the tracker: one step, without leaving the list.
    page.get_by_role("link", name="Actions tracker").first.click()
    card = page.locator(f"#action-{plan.pk}")
    card.locator("summary", has_text="Transferred to the plan").click()
    card.get_by_label("The child and family").check()
    card.get_by_label("The IRO or CP chair").check()
    card.get_by_role("button", name="Record the transfer").click()
    page.wait_for_url(re.compile(rf".*/actions/#action-{plan.pk}$"))
    assert page.get_by_text("recorded as transferred to the child's plan").is_visible()
    assert "Completed on time" in page.locator(f"#action-{plan.pk}").inner_text()
    results = Axe().run(page, options=WCAG_AA)
    assert results.violations_count == 0, results.generate_report()
    page.get_by_role("button", name="Sign out").click()

    # The QA Lead sees both on the tracker.
    sign_in("qa.lead")
    page.goto(f"{live_server.url}/actions/")
    page.locator("summary", has_text="Filter the actions").click()
    page.get_by_label("Team", exact=True).select_option(label=done.team.name)
    page.get_by_label("Status").select_option(label="Completed")
    page.get_by_role("button", name="Apply filters").click()
    for action, how in ((done, "Done"), (plan, "Transferred to the child's plan")):
        card = page.locator(f"#action-{action.pk}")
        assert "Completed on time" in card.inner_text()
        assert how in card.inner_text()
    assert done.updates.get().kind == ActionUpdateKind.COMPLETED
    transfer = plan.updates.get()
    assert (transfer.kind, transfer.child_family_involved, transfer.iro_involved) == (
        ActionUpdateKind.TRANSFERRED,
        True,
        True,
    )
