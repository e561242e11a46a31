"""Panels: the list, creating one, the panel page and the QA Lead's controls."""

import datetime
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Role
from audits.models import AuditStatus, Grade
from audits.services.audit import audit_submit
from moderation import selectors
from moderation.forms import CHOOSE_AUDIT, CHOOSE_MODERATOR, ENTER_PANEL_DATE, PANEL_DATE_INVALID
from moderation.models import (
    EndorsementOverride,
    LoopStatus,
    ModerationSettings,
    Panel,
    ReviewStatus,
)
from moderation.services import (
    OUTCOME_NEEDED,
    PANEL_EXISTS,
    REVIEW_FINAL,
    REVIEW_STARTED,
    loop_create,
    panel_add_audit,
    review_save,
)
from tests.factories import AuditFactory, ChildFactory, UserFactory, complete_audit

from .conftest import MONTH, accepted_audit, moderate

pytestmark = pytest.mark.django_db

G, RI = Grade.GOOD, Grade.REQUIRES_IMPROVEMENT
TODAY = datetime.datetime(2026, 11, 15, 10, 0, tzinfo=datetime.UTC)


@pytest.fixture
def second_moderator(panel):
    user = UserFactory(roles=[Role.MODERATOR, Role.AUDITOR])
    panel.moderators.add(user)
    return user


def detail(panel):
    return reverse("moderation:panel_detail", args=[panel.pk])


# The list --------------------------------------------------------------------------------


def test_qa_lead_sees_every_panel_and_a_moderator_only_theirs(client, org, panel):
    other = Panel.objects.create(month=datetime.date(2026, 9, 1), date=datetime.date(2026, 10, 12))
    client.force_login(org.users["qa_lead"])
    html = client.get(reverse("moderation:panels")).content.decode()
    assert detail(panel) in html and detail(other) in html
    assert reverse("moderation:panel_new") in html
    client.force_login(org.users["moderator"])
    html = client.get(reverse("moderation:panels")).content.decode()
    assert detail(panel) in html and detail(other) not in html
    assert reverse("moderation:panel_new") not in html


@pytest.mark.parametrize("who", ["auditor", "head_of_service", "leader", "no_role"])
def test_others_cannot_list_panels(client, org, who):
    client.force_login(org.users[who])
    assert client.get(reverse("moderation:panels")).status_code == 403


def test_panel_list_refuses_post(client, org):
    client.force_login(org.users["qa_lead"])
    assert client.post(reverse("moderation:panels")).status_code == 405


# Creating a panel ------------------------------------------------------------------------


@time_machine.travel(TODAY, tick=False)
def test_new_panel_defaults_to_last_month_and_the_target_share(client, org):
    client.force_login(org.users["qa_lead"])
    html = client.get(reverse("moderation:panel_new")).content.decode()
    assert '<option value="2026-10-01" selected>October 2026</option>' in html
    assert 'name="target_share" value="100"' in html


@time_machine.travel(TODAY, tick=False)
def test_qa_lead_creates_a_panel(client, org, template):
    audit = accepted_audit(org, template, G)
    Panel.objects.all().delete()
    client.force_login(org.users["qa_lead"])
    response = client.post(
        reverse("moderation:panel_new"),
        {
            "month": "2026-10-01",
            "date_0": "12",
            "date_1": "11",
            "date_2": "2026",
            "chair": org.users["moderator"].pk,
            "target_share": "100",
        },
    )
    panel = Panel.objects.get()
    assert response.status_code == 302
    assert response.url == detail(panel)
    assert (panel.month, panel.date, panel.chair) == (
        MONTH,
        datetime.date(2026, 11, 12),
        org.users["moderator"],
    )
    assert list(panel.reviews.values_list("audit", flat=True)) == [audit.pk]


@time_machine.travel(TODAY, tick=False)
def test_a_new_panel_never_gives_a_moderator_their_own_audit(client, org, template):
    """The moderator who wrote an audit is the cheapest choice for it by every other measure
    (not in the child's team, no load), so only the own-audit rule keeps it from them."""
    ModerationSettings.objects.update_or_create(pk=1, defaults={"default_capacity": 1})
    moderator = org.users["moderator"]
    same_team = UserFactory(roles=[Role.MODERATOR], team=org.team_a)
    own = accepted_audit(org, template, G, auditor=moderator)
    other = accepted_audit(org, template, G)
    Panel.objects.all().delete()
    client.force_login(org.users["qa_lead"])
    response = client.post(
        reverse("moderation:panel_new"),
        {
            "month": "2026-10-01",
            "date_0": "12",
            "date_1": "11",
            "date_2": "2026",
            "target_share": "100",
        },
    )
    assert response.status_code == 302
    panel = Panel.objects.get()
    assigned = dict(panel.reviews.values_list("audit", "moderator"))
    assert assigned == {own.pk: same_team.pk, other.pk: moderator.pk}


@time_machine.travel(TODAY, tick=False)
def test_a_second_panel_for_the_month_is_refused(client, org, panel):
    client.force_login(org.users["qa_lead"])
    response = client.post(
        reverse("moderation:panel_new"),
        {
            "month": "2026-10-01",
            "date_0": "12",
            "date_1": "11",
            "date_2": "2026",
            "target_share": "100",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<a href="#id_month">{PANEL_EXISTS.format(month="October 2026")}</a>' in html
    assert Panel.objects.count() == 1


@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize(
    ("date", "message"),
    [
        (("", "", ""), ENTER_PANEL_DATE),
        (("31", "2", "2026"), PANEL_DATE_INVALID),
        # an absurd year was a 500 (OverflowError in datetime.date)
        (
            ("12", "5", "99999999999999999999"),
            "The date the panel meets must be in a year from 1900 to 2100",
        ),
        (("12", "", "2026"), "The date the panel meets must include a month"),
    ],
)
def test_panel_date_must_be_given_and_real(client, org, date, message):
    client.force_login(org.users["qa_lead"])
    response = client.post(
        reverse("moderation:panel_new"),
        {
            "month": "2026-10-01",
            "date_0": date[0],
            "date_1": date[1],
            "date_2": date[2],
            "target_share": "150",
        },
    )
    html = response.content.decode()
    assert f'<a href="#id_date_0">{message}</a>' in html
    assert "Enter the target share as a whole number from 0 to 100" in html
    assert not Panel.objects.exists()


def test_only_the_qa_lead_creates_panels(client, org):
    client.force_login(org.users["moderator"])
    assert client.get(reverse("moderation:panel_new")).status_code == 403
    assert client.post(reverse("moderation:panel_new"), {}).status_code == 403


# The panel page --------------------------------------------------------------------------


def test_panel_page_shows_progress_moderators_and_reviews(
    client, org, template, panel, moderator, second_moderator
):
    done = moderate(accepted_audit(org, template, G), panel, moderator, RI)
    waiting = panel_add_audit(
        panel=panel,
        audit=accepted_audit(org, template, G),
        user=org.users["qa_lead"],
        moderator=second_moderator,
    )
    accepted_audit(org, template, G)  # accepted, not on the panel
    client.force_login(org.users["qa_lead"])
    response = client.get(detail(panel))
    html = response.content.decode()
    assert "Target 100%." in html
    assert "Actual 67%: 2 of 3 accepted audits are on the panel." in html
    assert reverse("moderation:review", args=[done.pk]) in html
    assert reverse("moderation:review", args=[waiting.pk]) in html
    assert "Downgraded" in html and "Not started" in html
    assert str(second_moderator) in html
    assert reverse("moderation:panel_add", args=[panel.pk]) in html


def test_a_moderator_sees_the_panel_but_opens_only_their_reviews(
    client, org, template, panel, moderator, second_moderator
):
    theirs = panel_add_audit(
        panel=panel, audit=accepted_audit(org, template, G), user=moderator, moderator=moderator
    )
    others = panel_add_audit(
        panel=panel,
        audit=accepted_audit(org, template, G),
        user=moderator,
        moderator=second_moderator,
    )
    client.force_login(moderator)
    html = client.get(detail(panel)).content.decode()
    assert reverse("moderation:review", args=[theirs.pk]) in html
    assert reverse("moderation:review", args=[others.pk]) not in html
    assert others.audit.child.case_reference in html
    assert reverse("moderation:panel_add", args=[panel.pk]) not in html


def test_a_month_without_accepted_audits_sends_the_qa_lead_to_the_review_queue(client, org, panel):
    client.force_login(org.users["qa_lead"])
    html = client.get(detail(panel)).content.decode()
    assert "No accepted audits in October 2026 yet." in html
    empty = re.search(r'data-testid="no-accepted-audits">(.*?)</p>', html, re.S).group(1)
    assert "There are no accepted audits of October 2026 yet." in empty
    assert f'href="{reverse("audits:review_queue")}">Accept submitted audits</a>' in empty
    assert "is on a panel." not in html


def test_every_accepted_audit_on_a_panel_is_said_only_when_there_are_some(
    client, org, template, panel, moderator
):
    moderate(accepted_audit(org, template, G), panel, moderator, G)
    client.force_login(org.users["qa_lead"])
    html = client.get(detail(panel)).content.decode()
    assert "Every accepted audit of October 2026 is on a panel." in html
    assert "no-accepted-audits" not in html


def test_a_moderator_without_audits_is_told_the_qa_lead_assigns_them(
    client, org, template, panel, moderator, second_moderator
):
    panel_add_audit(
        panel=panel,
        audit=accepted_audit(org, template, G),
        user=org.users["qa_lead"],
        moderator=second_moderator,
    )
    yours = "No audits on this panel have been given to you yet. The QA Lead assigns them"
    client.force_login(moderator)
    html = client.get(detail(panel)).content.decode()
    assert yours in html
    assert "Accept submitted audits" not in html
    client.force_login(second_moderator)
    html = client.get(detail(panel)).content.decode()
    assert yours not in html
    assert "No audits assigned." in html


def test_an_observer_can_view_the_panel(client, org, panel):
    observer = UserFactory(roles=[Role.AUDITOR])
    panel.observers.add(observer)
    client.force_login(observer)
    assert client.get(detail(panel)).status_code == 200


def test_without_panels_each_role_is_told_what_comes_next(client, org):
    client.force_login(org.users["moderator"])
    html = client.get(reverse("moderation:panels")).content.decode()
    assert "You are not on a panel yet. The QA Lead adds moderators" in html
    assert "Create the panel for a month" not in html
    client.force_login(org.users["qa_lead"])
    html = client.get(reverse("moderation:panels")).content.decode()
    assert "Create the panel for a month once its audits are accepted." in html
    assert "You are not on a panel yet" not in html


@pytest.mark.parametrize("who", ["auditor", "leader", "head_of_service"])
def test_people_not_on_the_panel_get_404(client, org, panel, who):
    client.force_login(org.users[who])
    assert client.get(detail(panel)).status_code == 404


def test_a_moderator_not_on_the_panel_gets_404(client, panel):
    client.force_login(UserFactory(roles=[Role.MODERATOR]))
    assert client.get(detail(panel)).status_code == 404


def test_panel_page_refuses_post(client, org, panel):
    client.force_login(org.users["qa_lead"])
    assert client.post(detail(panel)).status_code == 405


def page_queries(client, address) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(address).status_code == 200
    return len(queries)


def add_reviews(org, template, panel, moderator, count):
    for index in range(count):
        audit = accepted_audit(org, template, G)
        if index % 3 == 0:
            moderate(audit, panel, moderator, RI)
        else:
            panel_add_audit(panel=panel, audit=audit, user=moderator, moderator=moderator)
    accepted_audit(org, template, G)  # a candidate to add


@pytest.mark.parametrize("who", ["qa_lead", "moderator"])
def test_panel_page_queries_do_not_grow_with_reviews(
    client, org, template, panel, moderator, differing_loop, who
):
    ModerationSettings.load()
    add_reviews(org, template, panel, moderator, 3)
    client.force_login(org.users[who])
    with_three = page_queries(client, detail(panel))
    add_reviews(org, template, panel, moderator, 12)
    assert page_queries(client, detail(panel)) == with_three
    assert with_three <= 30


# The QA Lead's controls ------------------------------------------------------------------


def test_qa_lead_adds_an_accepted_audit_and_endorsed_auditors_are_marked(
    client, org, template, panel, moderator
):
    audit = accepted_audit(org, template, G)
    EndorsementOverride.objects.create(
        auditor=org.users["auditor"], endorsed=True, reason="Consistent", set_by=None
    )
    client.force_login(org.users["qa_lead"])
    html = client.get(detail(panel)).content.decode()
    assert "(endorsed auditor)" in html
    response = client.post(
        reverse("moderation:panel_add", args=[panel.pk]),
        {"audit": audit.pk, "moderator": moderator.pk},
    )
    assert response.status_code == 302
    review = panel.reviews.get()
    assert (review.audit, review.moderator) == (audit, moderator)


def test_adding_an_audit_that_is_not_a_candidate_is_refused(client, org, template, panel):
    on_panel = moderate(accepted_audit(org, template, G), panel, org.users["moderator"], G)
    client.force_login(org.users["qa_lead"])
    response = client.post(
        reverse("moderation:panel_add", args=[panel.pk]), {"audit": on_panel.audit.pk}
    )
    assert response.status_code == 200
    assert f'<a href="#id_audit">{CHOOSE_AUDIT}</a>' in response.content.decode()
    assert panel.reviews.count() == 1


def test_only_the_qa_lead_adds_removes_and_reassigns(client, org, template, panel, moderator):
    review = panel_add_audit(
        panel=panel, audit=accepted_audit(org, template, G), user=moderator, moderator=moderator
    )
    client.force_login(moderator)
    urls = [
        reverse("moderation:panel_add", args=[panel.pk]),
        reverse("moderation:panel_remove", args=[panel.pk, review.pk]),
        reverse("moderation:panel_reassign", args=[panel.pk, review.pk]),
    ]
    for address in urls:
        assert client.post(address, {"moderator": moderator.pk}).status_code == 403
        assert client.get(address).status_code == 405
    assert panel.reviews.count() == 1


def test_qa_lead_removes_a_review_not_yet_started(client, org, template, panel, moderator):
    review = panel_add_audit(
        panel=panel, audit=accepted_audit(org, template, G), user=moderator, moderator=moderator
    )
    client.force_login(org.users["qa_lead"])
    response = client.post(reverse("moderation:panel_remove", args=[panel.pk, review.pk]))
    assert response.status_code == 302
    assert not panel.reviews.exists()


def test_a_started_review_cannot_be_removed(client, org, template, panel, moderator):
    review = panel_add_audit(
        panel=panel, audit=accepted_audit(org, template, G), user=moderator, moderator=moderator
    )
    review_save(
        review=review,
        user=moderator,
        moderated_grade=G,
        rationale="",
        feedback="Started",
        domain_grades={},
        reasons=[],
    )
    client.force_login(org.users["qa_lead"])
    response = client.post(reverse("moderation:panel_remove", args=[panel.pk, review.pk]))
    assert response.status_code == 200
    assert f'<a href="#review-{review.pk}">{REVIEW_STARTED}</a>' in response.content.decode()
    assert panel.reviews.filter(pk=review.pk).exists()


def test_a_review_on_another_panel_is_404(client, org, template, panel, moderator):
    other = Panel.objects.create(month=datetime.date(2026, 9, 1), date=datetime.date(2026, 10, 1))
    review = panel_add_audit(
        panel=other, audit=accepted_audit(org, template, G), user=moderator, moderator=moderator
    )
    client.force_login(org.users["qa_lead"])
    response = client.post(reverse("moderation:panel_remove", args=[panel.pk, review.pk]))
    assert response.status_code == 404


def test_qa_lead_reassigns_a_review_to_another_panel_moderator(
    client, org, template, panel, moderator, second_moderator
):
    review = panel_add_audit(
        panel=panel, audit=accepted_audit(org, template, G), user=moderator, moderator=moderator
    )
    client.force_login(org.users["qa_lead"])
    address = reverse("moderation:panel_reassign", args=[panel.pk, review.pk])
    response = client.post(address, {"moderator": second_moderator.pk})
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.moderator == second_moderator


def test_reassigning_to_someone_off_the_panel_is_refused(client, org, template, panel, moderator):
    review = panel_add_audit(
        panel=panel, audit=accepted_audit(org, template, G), user=moderator, moderator=moderator
    )
    outsider = UserFactory(roles=[Role.MODERATOR])
    client.force_login(org.users["qa_lead"])
    address = reverse("moderation:panel_reassign", args=[panel.pk, review.pk])
    response = client.post(address, {"moderator": outsider.pk})
    assert f'<a href="#reassign-{review.pk}">{CHOOSE_MODERATOR}</a>' in response.content.decode()
    review.refresh_from_db()
    assert review.moderator == moderator


def test_a_final_review_cannot_be_reassigned(
    client, org, template, panel, moderator, second_moderator
):
    review = moderate(accepted_audit(org, template, G), panel, moderator, G)
    client.force_login(org.users["qa_lead"])
    address = reverse("moderation:panel_reassign", args=[panel.pk, review.pk])
    response = client.post(address, {"moderator": second_moderator.pk})
    assert REVIEW_FINAL in response.content.decode()
    review.refresh_from_db()
    assert (review.moderator, review.status) == (moderator, ReviewStatus.FINAL)


# Looped audits at the panel --------------------------------------------------------------


@pytest.fixture
def differing_loop(org, template, panel):
    second_auditor = UserFactory(roles=[Role.AUDITOR], team=org.team_a)
    loop = loop_create(
        child=ChildFactory(team=org.team_a),
        auditors=(org.users["auditor"], second_auditor),
        template=template,
        month=MONTH,
        due_date=None,
        user=org.users["qa_lead"],
    )
    for audit, grade in ((loop.first, G), (loop.second, RI)):
        complete_audit(audit, grade=grade)
        audit_submit(audit=audit, user=audit.auditor, today=datetime.date(2026, 10, 20))
    loop.refresh_from_db()
    assert (loop.status, loop.panel) == (LoopStatus.DIFFERS, panel)
    return loop


def test_the_panel_shows_looped_audits_and_the_qa_lead_records_the_outcome(
    client, org, panel, differing_loop
):
    client.force_login(org.users["qa_lead"])
    html = client.get(detail(panel)).content.decode()
    assert differing_loop.first.child.case_reference in html
    assert "Differs" in html
    address = reverse("moderation:loop_outcome", args=[panel.pk, differing_loop.pk])
    response = client.post(address, {"outcome": "Agreed Requires Improvement: visits lapsed"})
    assert response.status_code == 302
    differing_loop.refresh_from_db()
    assert differing_loop.status == LoopStatus.DISCUSSED
    assert differing_loop.outcome == "Agreed Requires Improvement: visits lapsed"


def test_an_empty_outcome_is_refused(client, org, panel, differing_loop):
    client.force_login(org.users["qa_lead"])
    address = reverse("moderation:loop_outcome", args=[panel.pk, differing_loop.pk])
    response = client.post(address, {"outcome": " "})
    html = response.content.decode()
    assert f'<a href="#outcome-{differing_loop.pk}">{OUTCOME_NEEDED}</a>' in html
    differing_loop.refresh_from_db()
    assert differing_loop.status == LoopStatus.DIFFERS


def test_a_moderator_cannot_record_the_outcome(client, org, panel, differing_loop):
    client.force_login(org.users["moderator"])
    html = client.get(detail(panel)).content.decode()
    assert "Record the outcome" not in html
    address = reverse("moderation:loop_outcome", args=[panel.pk, differing_loop.pk])
    assert client.post(address, {"outcome": "Mine"}).status_code == 403


# The candidates to add, a page at a time --------------------------------------------------


def candidate_ids(html) -> list[int]:
    """The audit ids offered in the "Add an audit" list, in order."""
    select = html[html.index('name="audit"') : html.index("</select>", html.index('name="audit"'))]
    return [int(pk) for pk in re.findall(r'<option value="(\d+)"', select)]


@pytest.fixture
def small_pages(monkeypatch):
    monkeypatch.setattr(selectors, "CANDIDATES_PAGE_SIZE", 3)


def plain_candidates(org, template, count, first=0):
    """Accepted audits of the panel's month, ordered as the page orders them."""
    audits = [
        AuditFactory(
            child=ChildFactory(team=org.team_a, case_reference=f"NC9{index:04d}"),
            template=template,
            auditor=org.users["auditor"],
            month=MONTH,
            status=AuditStatus.ACCEPTED,
        )
        for index in range(first, first + count)
    ]
    return [a.pk for a in audits]


def test_candidates_filling_one_page_exactly_have_no_page_links(
    client, org, template, panel, small_pages
):
    ids = plain_candidates(org, template, 3)
    client.force_login(org.users["qa_lead"])
    html = client.get(detail(panel)).content.decode()
    assert candidate_ids(html) == ids
    assert 'class="govuk-pagination"' not in html


def test_one_candidate_more_than_a_page_goes_to_a_second_page(
    client, org, template, panel, small_pages
):
    ids = plain_candidates(org, template, 4)
    client.force_login(org.users["qa_lead"])
    html = client.get(detail(panel)).content.decode()
    assert candidate_ids(html) == ids[:3]
    assert "Showing 1 to 3 of 4." in html
    assert 'href="?page=2"' in html and "Page 1 of 2" in html
    last = client.get(detail(panel) + "?page=2").content.decode()
    assert candidate_ids(last) == ids[3:]
    assert 'href="?page=1"' in last and 'rel="next"' not in last


@pytest.mark.parametrize("page", ["99", "nonsense"])
def test_a_page_out_of_range_shows_the_last_or_first_page(
    client, org, template, panel, small_pages, page
):
    ids = plain_candidates(org, template, 4)
    client.force_login(org.users["qa_lead"])
    response = client.get(detail(panel) + f"?page={page}")
    assert response.status_code == 200
    expected = ids[3:] if page == "99" else ids[:3]
    assert candidate_ids(response.content.decode()) == expected


def test_an_audit_from_a_later_page_can_be_added(
    client, org, template, panel, moderator, small_pages
):
    ids = plain_candidates(org, template, 4)
    client.force_login(org.users["qa_lead"])
    response = client.post(
        reverse("moderation:panel_add", args=[panel.pk]),
        {"audit": ids[3], "moderator": moderator.pk},
    )
    assert response.status_code == 302
    assert panel.reviews.get().audit_id == ids[3]


def test_candidates_page_queries_do_not_grow_with_candidates_or_reviews(
    client, org, template, panel, moderator
):
    """Endorsement is worked out for the page's auditors from their last N reviews
    only: many auditors, many final reviews and many candidates cost no more queries."""
    ModerationSettings.load()
    client.force_login(org.users["qa_lead"])
    plain_candidates(org, template, 5)
    few = page_queries(client, detail(panel))
    for _ in range(4):
        auditor = UserFactory(roles=[Role.AUDITOR])
        moderate(accepted_audit(org, template, G, auditor=auditor), panel, moderator, G)
        AuditFactory(
            child=ChildFactory(team=org.team_b),
            template=template,
            auditor=auditor,
            month=MONTH,
            status=AuditStatus.ACCEPTED,
        )
    plain_candidates(org, template, 30, first=5)
    assert page_queries(client, detail(panel)) == few
