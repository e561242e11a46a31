"""The Cases of Concern pages: the list, a case, its update and its resolution."""

import datetime
import re

import pytest
import time_machine
from django.urls import reverse

from actions.models import CaseOfConcern, CaseUpdate
from actions.services import concern_record_final_grade
from audits.models import Grade

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 4, 15, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def cases(org, make_action):
    """Alice holds an old case (13 months) and a new one with April's update; Bea one."""
    old = concern_record_final_grade(
        audit=make_action().audit, grade=Grade.INADEQUATE, today=datetime.date(2025, 3, 1)
    )
    new = concern_record_final_grade(
        audit=make_action().audit, grade=Grade.INADEQUATE, today=datetime.date(2026, 3, 20)
    )
    CaseUpdate.objects.create(
        case=new,
        month=datetime.date(2026, 4, 1),
        child_safe=True,
        plan_progressing=True,
        notes="All in hand",
        recorded_on=datetime.date(2026, 4, 2),
        created_by=org.users["head_of_service"],
    )
    other = concern_record_final_grade(
        audit=make_action(team=org.team_b).audit,
        grade=Grade.INADEQUATE,
        today=datetime.date(2026, 4, 1),
    )
    return {"old": old, "new": new, "other": other}


def test_qa_lead_sees_every_open_case_with_age_and_missing_updates(client, org, cases):
    client.force_login(org.users["qa_lead"])
    response = client.get(reverse("actions:cases"))
    assert response.status_code == 200
    rows = {case.pk: case for case in response.context["page"].object_list}
    assert set(rows) == {cases["old"].pk, cases["new"].pk, cases["other"].pk}
    assert rows[cases["old"].pk].over_12_months is True
    assert rows[cases["new"].pk].over_12_months is False
    assert rows[cases["old"].pk].has_update_this_month is False
    assert rows[cases["new"].pk].has_update_this_month is True
    page = response.content.decode()
    assert "Over 12 months" in page and "Missing" in page
    aged = client.get(reverse("actions:cases"), {"show": "open", "aged": "12"})
    assert [c.pk for c in aged.context["page"].object_list] == [cases["old"].pk]


def test_head_of_service_sees_only_their_cases(client, org, cases):
    client.force_login(org.users["head_of_service"])
    response = client.get(reverse("actions:cases"))
    assert {c.pk for c in response.context["page"].object_list} == {
        cases["old"].pk,
        cases["new"].pk,
    }


@pytest.mark.parametrize("who", ["team_manager", "auditor", "leader"])
def test_others_may_not_see_the_list(client, org, cases, who):
    client.force_login(org.users[who])
    assert client.get(reverse("actions:cases")).status_code == 403


def test_list_wrong_method(client, org):
    client.force_login(org.users["qa_lead"])
    assert client.post(reverse("actions:cases")).status_code == 405


def test_case_page_for_its_head_of_service(client, org, cases):
    client.force_login(org.users["head_of_service"])
    response = client.get(reverse("actions:case_detail", args=[cases["new"].pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert cases["new"].child.case_reference in page
    assert "Resolve this case" in page  # the latest update says yes to both
    assert "Record this month's update" in page
    link = cases["new"].links.get()
    assert link.audit.events.filter(kind="viewed", user=org.users["head_of_service"]).exists()


def test_case_page_of_another_area_is_not_found(client, org, cases):
    client.force_login(org.users["outside_head"])
    assert client.get(reverse("actions:case_detail", args=[cases["new"].pk])).status_code == 404


def test_qa_lead_reads_but_does_not_update(client, org, cases):
    client.force_login(org.users["qa_lead"])
    page = client.get(reverse("actions:case_detail", args=[cases["old"].pk])).content.decode()
    assert "Record this month" not in page
    assert client.get(reverse("actions:case_update", args=[cases["old"].pk])).status_code == 403


def test_monthly_update_through_the_form(client, org, cases):
    client.force_login(org.users["head_of_service"])
    url = reverse("actions:case_update", args=[cases["old"].pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"child_safe": "yes", "plan_progressing": "no", "notes": "Plan lacks timescales."}
    )
    assert response.status_code == 302
    update = CaseUpdate.objects.get(case=cases["old"])
    assert (update.month, update.child_safe, update.plan_progressing) == (
        datetime.date(2026, 4, 1),
        True,
        False,
    )


def test_monthly_update_with_nothing_answered(client, org, cases):
    client.force_login(org.users["head_of_service"])
    response = client.post(reverse("actions:case_update", args=[cases["old"].pk]), {})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Select yes if the child is safe" in page
    assert "Select yes if an appropriate plan is in place and progressing with grip" in page
    assert "Enter notes on what you found and what is happening next" in page
    assert page.count("Error: ") == 1
    for target in re.findall(r"error-summary__list.*?</ul>", page, re.S)[0].split('href="#')[1:]:
        assert f'id="{target.split(chr(34))[0]}"' in page
    assert not CaseUpdate.objects.filter(case=cases["old"]).exists()


def test_update_page_wrong_method(client, org, cases):
    client.force_login(org.users["head_of_service"])
    assert client.put(reverse("actions:case_update", args=[cases["old"].pk])).status_code == 405


def test_resolving_without_the_confirmation_changes_nothing(client, org, cases):
    client.force_login(org.users["head_of_service"])
    response = client.post(reverse("actions:case_resolve", args=[cases["new"].pk]), {})
    assert response.status_code == 200
    assert "Confirm that this Case of Concern can be resolved" in response.content.decode()
    cases["new"].refresh_from_db()
    assert cases["new"].is_open


def test_resolving_with_the_confirmation(client, org, cases):
    client.force_login(org.users["head_of_service"])
    response = client.post(
        reverse("actions:case_resolve", args=[cases["new"].pk]), {"confirm": "on"}, follow=True
    )
    assert "resolved" in response.content.decode()
    cases["new"].refresh_from_db()
    assert cases["new"].resolved_on == datetime.date(2026, 4, 15)


def test_a_case_whose_latest_update_is_not_both_yes_cannot_be_resolved(client, org, cases):
    client.force_login(org.users["head_of_service"])
    response = client.post(
        reverse("actions:case_resolve", args=[cases["old"].pk]), {"confirm": "on"}, follow=True
    )
    assert "Record an update first" in response.content.decode()
    assert CaseOfConcern.objects.get(pk=cases["old"].pk).is_open


def test_resolve_is_post_only_and_for_its_head_only(client, org, cases):
    client.force_login(org.users["head_of_service"])
    assert client.get(reverse("actions:case_resolve", args=[cases["new"].pk])).status_code == 405
    client.force_login(org.users["qa_lead"])
    response = client.post(
        reverse("actions:case_resolve", args=[cases["new"].pk]), {"confirm": "on"}
    )
    assert response.status_code == 403
    assert CaseOfConcern.objects.get(pk=cases["new"].pk).is_open


def test_case_pages_do_a_constant_number_of_queries(
    client, org, cases, make_action, django_assert_max_num_queries
):
    client.force_login(org.users["qa_lead"])
    with django_assert_max_num_queries(15) as few:
        client.get(reverse("actions:cases"))
    for _ in range(6):
        concern_record_final_grade(
            audit=make_action().audit, grade=Grade.INADEQUATE, today=datetime.date(2026, 1, 5)
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("actions:cases"))
    assert response.context["page"].paginator.count == 9


def _open_cases(make_action, n):
    for i in range(n):
        concern_record_final_grade(
            audit=make_action().audit,
            grade=Grade.INADEQUATE,
            today=datetime.date(2026, 3, 1) - datetime.timedelta(days=i),
        )


def _list_queries(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("actions:cases"))
    assert response.status_code == 200
    return [q["sql"] for q in queries.captured_queries]


def test_the_case_list_makes_as_many_queries_for_15_cases_as_for_3(client, org, make_action):
    client.force_login(org.users["qa_lead"])
    _open_cases(make_action, 3)
    _list_queries(client)  # the first request fills per-process caches
    small = _list_queries(client)
    _open_cases(make_action, 12)
    large = _list_queries(client)
    assert len(large) == len(small)
    # Paged in the database in index order: nothing groups every case before the LIMIT.
    (page_sql,) = [sql for sql in large if "LIMIT" in sql and "actions_caseofconcern" in sql]
    assert "GROUP BY" not in page_sql
    assert 'ORDER BY "actions_caseofconcern"."opened_on" ASC, "actions_caseofconcern"."id" ASC' in (
        page_sql
    )


def test_an_empty_case_list_says_how_a_case_opens(client, org):
    client.force_login(org.users["qa_lead"])
    page = client.get(reverse("actions:cases")).content.decode()
    assert (
        "There are no open Cases of Concern. A case opens when an audit's final grade is "
        "Inadequate."
    ) in page
    page = client.get(reverse("actions:cases"), {"show": "resolved"}).content.decode()
    assert "No Case of Concern has been resolved yet." in page
    assert "There are no open Cases of Concern." not in page
    page = client.get(reverse("actions:cases"), {"show": "open", "aged": "12"}).content.decode()
    assert "There are no Cases of Concern open for more than 12 months." in page
