"""Service improvement actions: who may do what, and the rules of raising, changing,
recording progress on and finishing one.

Sam (no role) leads an action in Alice's service area (A); Bea heads the other area (B);
Tom manages a team in A but leads nothing.
"""

import datetime

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError

from actions.models import ImprovementStatus, ServiceImprovementAction, ServiceImprovementUpdate
from actions.selectors.service_improvement import improvement_status, improvements_visible_to
from actions.services import service_improvement as svc
from actions.services import (
    service_improvement_add_update,
    service_improvement_complete,
    service_improvement_create,
    service_improvement_edit,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 5, 15)
NOW = datetime.datetime(2026, 5, 15, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _person(org, who):
    if who == "anonymous":
        return AnonymousUser()
    if who == "lead":
        return org.users["no_role"]
    return org.users[who]


def _valid(org, **overrides):
    return {
        "title": "Service Managers will agree what a good chronology looks like",
        "leads": [org.users["no_role"]],
        "timescale": datetime.date(2026, 9, 30),
        "raised_in": "Quarterly report Q4 2025/26",
        **overrides,
    }


# Who may do what -------------------------------------------------------------------

#: (view, raise or change, record progress or mark done) for an action in service area A
#: led by Sam
MATRIX = {
    "qa_lead": (True, True, True),
    "administrator": (True, True, False),
    "lead": (True, False, True),
    "head_of_service": (True, False, True),
    "outside_head": (False, False, False),
    "leader": (True, False, False),
    "team_manager": (False, False, False),
    "auditor": (False, False, False),
    "anonymous": (False, False, False),
}


@pytest.mark.parametrize("who", MATRIX)
def test_permission_matrix_for_an_action_in_a_service_area(org, make_improvement, who):
    improvement = make_improvement()
    user = _person(org, who)
    view, manage, update = MATRIX[who]
    assert user.has_perm("actions.view_improvement", improvement) is view
    assert user.has_perm("actions.manage_improvements", improvement) is manage
    assert user.has_perm("actions.update_improvement", improvement) is update
    assert improvements_visible_to(user).filter(pk=improvement.pk).exists() is view


@pytest.mark.parametrize("who", MATRIX)
def test_services_refuse_whoever_the_rules_refuse(org, make_improvement, who):
    improvement = make_improvement()
    user = _person(org, who)
    _, manage, update = MATRIX[who]
    if manage:
        service_improvement_create(user=user, **_valid(org))
        service_improvement_edit(improvement=improvement, user=user, **_valid(org))
    else:
        with pytest.raises(PermissionDenied):
            service_improvement_create(user=user, **_valid(org))
        with pytest.raises(PermissionDenied):
            service_improvement_edit(improvement=improvement, user=user, **_valid(org))
    if update:
        service_improvement_add_update(improvement=improvement, user=user, note="Progressing.")
        service_improvement_complete(improvement=improvement, user=user, completed_on=TODAY)
    else:
        with pytest.raises(PermissionDenied):
            service_improvement_add_update(improvement=improvement, user=user, note="Progressing.")
        with pytest.raises(PermissionDenied):
            service_improvement_complete(improvement=improvement, user=user, completed_on=TODAY)
        assert not improvement.updates.exists()


@pytest.mark.parametrize(
    ("who", "view", "update"),
    [("head_of_service", True, False), ("outside_head", True, False), ("leader", True, False)],
)
def test_every_head_of_service_sees_but_does_not_update_whole_organisation_actions(
    org, make_improvement, who, view, update
):
    improvement = make_improvement(service_area=None)
    user = org.users[who]
    assert user.has_perm("actions.view_improvement", improvement) is view
    assert user.has_perm("actions.update_improvement", improvement) is update


def test_who_sees_the_list(org, make_improvement):
    make_improvement(leads=[org.users["outside_manager"]])
    allowed = {
        who
        for who in [*MATRIX, "outside_manager", "moderator", "ambassador"]
        if who not in ("lead", "anonymous")
        and org.users[who].has_perm("actions.view_improvement_list")
    }
    # Tim leads one, so he sees the list (with only his own on it).
    assert allowed == {
        "qa_lead",
        "administrator",
        "head_of_service",
        "outside_head",
        "leader",
        "outside_manager",
    }
    assert not AnonymousUser().has_perm("actions.view_improvement_list")


def test_a_lead_sees_only_what_they_lead(org, make_improvement):
    mine = make_improvement()
    make_improvement(leads=[org.users["outside_manager"]], service_area=None)
    assert list(improvements_visible_to(org.users["no_role"])) == [mine]


def test_a_head_of_service_sees_their_area_and_the_whole_organisation(org, make_improvement):
    own = make_improvement(service_area="a")
    whole = make_improvement(service_area=None)
    make_improvement(service_area="b")
    assert set(improvements_visible_to(org.users["head_of_service"])) == {own, whole}


def test_an_inactive_person_sees_nothing(org, make_improvement):
    make_improvement()
    sam = org.users["no_role"]
    sam.is_active = False
    sam.save()
    assert not improvements_visible_to(sam).exists()


# Raising -----------------------------------------------------------------------------


def test_qa_lead_raises_an_action_with_leads_and_history(org):
    improvement = service_improvement_create(
        user=org.users["qa_lead"],
        **_valid(
            org,
            title="  Agree what a good chronology looks like  ",
            finding="Chronologies out of date in a third of audits.",
            leads=[org.users["no_role"], org.users["team_manager"], org.users["no_role"]],
            lead_description="Service Managers",
            service_area=org.area_a,
        ),
    )
    improvement.refresh_from_db()
    assert improvement.title == "Agree what a good chronology looks like"
    assert improvement.raised_on == TODAY
    assert improvement.created_by == org.users["qa_lead"]
    assert set(improvement.leads.all()) == {org.users["no_role"], org.users["team_manager"]}
    assert improvement.display_reference == f"SIA{improvement.pk:04d}"
    assert improvement_status(improvement, TODAY) == ImprovementStatus.OPEN
    # Its history names who raised it, and its leads as they were.
    latest = improvement.history.first()
    assert {h.history_user for h in improvement.history.all()} == {org.users["qa_lead"]}
    assert {row.user_id for row in latest.leads.all()} == {
        org.users["no_role"].pk,
        org.users["team_manager"].pk,
    }


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"title": ""}, "title", svc.ENTER_TITLE),
        ({"title": "   "}, "title", svc.ENTER_TITLE),
        ({"title": "x" * 301}, "title", svc.TITLE_TOO_LONG),
        ({"finding": "x" * 2001}, "finding", svc.FINDING_TOO_LONG),
        ({"leads": []}, "leads", svc.CHOOSE_LEAD),
        ({"leads": [None]}, "leads", svc.CHOOSE_LEAD),
        ({"lead_description": "x" * 201}, "lead_description", svc.LEAD_DESCRIPTION_TOO_LONG),
        ({"service_area": "Safeguarding"}, "service_area", svc.CHOOSE_SERVICE_AREA),
        ({"timescale": None}, "timescale", svc.ENTER_TIMESCALE),
        ({"timescale": "2026-09-30"}, "timescale", svc.ENTER_TIMESCALE),
        ({"timescale": "30/09/2026"}, "timescale", svc.ENTER_TIMESCALE),
        (
            {"timescale": datetime.datetime(2026, 9, 30, 12, tzinfo=datetime.UTC)},
            "timescale",
            svc.ENTER_TIMESCALE,
        ),
        (
            {"timescale": datetime.date(2026, 5, 14)},
            "timescale",
            svc.TIMESCALE_BEFORE_RAISED.format(date="15 May 2026"),
        ),
        ({"raised_in": ""}, "raised_in", svc.ENTER_RAISED_IN),
        ({"raised_in": "x" * 201}, "raised_in", svc.RAISED_IN_TOO_LONG),
    ],
)
def test_bad_input_is_refused_and_nothing_is_saved(org, overrides, field, message):
    with pytest.raises(ValidationError) as caught:
        service_improvement_create(user=org.users["qa_lead"], **_valid(org, **overrides))
    assert caught.value.message_dict[field] == [message]
    assert not ServiceImprovementAction.objects.exists()


def test_every_wrong_field_is_named_at_once(org):
    with pytest.raises(ValidationError) as caught:
        service_improvement_create(
            user=org.users["qa_lead"], title="", leads=[], timescale=None, raised_in=""
        )
    assert set(caught.value.message_dict) == {"title", "leads", "timescale", "raised_in"}


def test_a_timescale_of_today_is_allowed(org):
    improvement = service_improvement_create(
        user=org.users["qa_lead"], **_valid(org, timescale=TODAY)
    )
    assert improvement.timescale == TODAY
    assert not improvement.is_overdue(TODAY)
    assert improvement.is_overdue(TODAY + datetime.timedelta(days=1))


def test_at_most_three_leads_who_can_sign_in(org):
    gone = UserFactory(email="gone@council.example", is_active=False)
    with pytest.raises(ValidationError) as caught:
        service_improvement_create(user=org.users["qa_lead"], **_valid(org, leads=[gone]))
    assert caught.value.message_dict["leads"] == [svc.LEAD_INACTIVE]
    four = [org.users[w] for w in ("no_role", "team_manager", "auditor", "leader")]
    with pytest.raises(ValidationError) as caught:
        service_improvement_create(user=org.users["qa_lead"], **_valid(org, leads=four))
    assert caught.value.message_dict["leads"] == [svc.TOO_MANY_LEADS]


# Changing ----------------------------------------------------------------------------


def test_changing_keeps_the_raised_day_and_a_lead_who_has_left(org, make_improvement):
    improvement = make_improvement()
    sam = org.users["no_role"]
    sam.is_active = False
    sam.save()
    changed = service_improvement_edit(
        improvement=improvement,
        user=org.users["administrator"],
        **_valid(
            org,
            title="Agree and share a good chronology",
            leads=[sam, org.users["team_manager"]],
            timescale=datetime.date(2026, 4, 10),
            service_area=None,
        ),
    )
    changed.refresh_from_db()
    assert changed.title == "Agree and share a good chronology"
    assert changed.raised_on == datetime.date(2026, 4, 10)
    assert changed.timescale == datetime.date(2026, 4, 10)
    assert changed.service_area is None
    assert set(changed.leads.all()) == {sam, org.users["team_manager"]}
    latest = changed.history.first()
    assert (latest.history_type, latest.history_user) == ("~", org.users["administrator"])
    assert latest.title == "Agree and share a good chronology"
    assert {row.user_id for row in latest.leads.all()} == {sam.pk, org.users["team_manager"].pk}


def test_the_timescale_may_not_move_before_the_day_it_was_raised(org, make_improvement):
    improvement = make_improvement()
    with pytest.raises(ValidationError) as caught:
        service_improvement_edit(
            improvement=improvement,
            user=org.users["qa_lead"],
            **_valid(org, timescale=datetime.date(2026, 4, 9)),
        )
    assert caught.value.message_dict["timescale"] == [
        svc.TIMESCALE_BEFORE_RAISED.format(date="10 April 2026")
    ]
    improvement.refresh_from_db()
    assert improvement.timescale == datetime.date(2026, 6, 30)


def test_a_done_action_is_not_changed(org, make_improvement):
    improvement = make_improvement(completed_on=datetime.date(2026, 5, 1))
    with pytest.raises(ValidationError) as caught:
        service_improvement_edit(improvement=improvement, user=org.users["qa_lead"], **_valid(org))
    assert caught.value.messages == [svc.ALREADY_DONE.format(date="1 May 2026")]


# Progress and done -------------------------------------------------------------------


def test_a_progress_update_puts_it_in_progress(org, make_improvement):
    improvement = make_improvement()
    update = service_improvement_add_update(
        improvement=improvement, user=org.users["no_role"], note="  Draft agreed.  "
    )
    assert (update.note, update.created_by) == ("Draft agreed.", org.users["no_role"])
    assert improvement_status(improvement, TODAY) == ImprovementStatus.IN_PROGRESS
    assert improvement_status(improvement, TODAY - datetime.timedelta(days=1)) == (
        ImprovementStatus.OPEN
    )


@pytest.mark.parametrize(
    ("note", "message"),
    [("", svc.ENTER_NOTE), ("   ", svc.ENTER_NOTE), ("x" * 2001, svc.NOTE_TOO_LONG)],
)
def test_a_progress_update_needs_words(org, make_improvement, note, message):
    improvement = make_improvement()
    with pytest.raises(ValidationError) as caught:
        service_improvement_add_update(
            improvement=improvement, user=org.users["no_role"], note=note
        )
    assert caught.value.message_dict["note"] == [message]
    assert not ServiceImprovementUpdate.objects.exists()


def test_marking_done_records_the_day_who_and_a_last_note(org, make_improvement):
    improvement = make_improvement()
    done = service_improvement_complete(
        improvement=improvement,
        user=org.users["head_of_service"],
        completed_on=datetime.date(2026, 5, 12),
        note="Shared with every team.",
    )
    done.refresh_from_db()
    assert (done.completed_on, done.completed_by) == (
        datetime.date(2026, 5, 12),
        org.users["head_of_service"],
    )
    assert [u.note for u in done.updates.all()] == ["Shared with every team."]
    assert improvement_status(done, TODAY) == ImprovementStatus.DONE
    # Done on the 12th, recorded (with its note) on the 15th: on the 11th nothing was known.
    assert improvement_status(done, datetime.date(2026, 5, 11)) == ImprovementStatus.OPEN
    assert not done.is_overdue(datetime.date(2027, 1, 1))


@pytest.mark.parametrize(
    ("completed_on", "message"),
    [
        (None, svc.ENTER_DONE_DATE),
        ("2026-05-12", svc.ENTER_DONE_DATE),
        (datetime.date(2026, 5, 16), svc.DONE_IN_FUTURE),
        (datetime.date(2026, 4, 9), svc.DONE_BEFORE_RAISED.format(date="10 April 2026")),
    ],
)
def test_a_done_date_must_be_real_and_in_range(org, make_improvement, completed_on, message):
    improvement = make_improvement()
    with pytest.raises(ValidationError) as caught:
        service_improvement_complete(
            improvement=improvement, user=org.users["no_role"], completed_on=completed_on
        )
    assert caught.value.message_dict["completed_on"] == [message]
    improvement.refresh_from_db()
    assert improvement.completed_on is None


def test_a_done_action_takes_no_more_updates_and_is_not_done_twice(org, make_improvement):
    improvement = make_improvement(completed_on=datetime.date(2026, 5, 1))
    expected = [svc.ALREADY_DONE.format(date="1 May 2026")]
    with pytest.raises(ValidationError) as caught:
        service_improvement_add_update(
            improvement=improvement, user=org.users["no_role"], note="More"
        )
    assert caught.value.messages == expected
    with pytest.raises(ValidationError) as caught:
        service_improvement_complete(
            improvement=improvement, user=org.users["no_role"], completed_on=TODAY
        )
    assert caught.value.messages == expected
    improvement.refresh_from_db()
    assert improvement.completed_on == datetime.date(2026, 5, 1)
