"""/other-audits/: dip samples, thematic and multi-agency audits, direct observations.

Alice heads service area A (team A1); Bea heads B (team B1). The QA Lead and leaders see
everything; a Head of Service sees their own area's samples and observations, samples
that belong to no area, and every multi-agency audit.
"""

import datetime

import pytest
import time_machine
from django.urls import reverse

from audits.forms.other import (
    CHOOSE_GRADE,
    CHOOSE_KIND,
    CHOOSE_LEAD,
    CHOOSE_OWN_AREA,
    CHOOSE_PRACTITIONER,
    CHOOSE_SETTING,
    ENTER_AGENCIES,
    ENTER_FAMILIES,
    ENTER_FINDINGS,
    ENTER_MONTH,
    ENTER_OBSERVED_ON,
    ENTER_RECORDS,
    ENTER_STRENGTHS,
    ENTER_TOPIC,
    FAMILIES_MIN,
    MONTH_IN_FUTURE,
    MONTH_NOT_REAL,
    OBSERVED_ON_FUTURE,
    OBSERVED_ON_NOT_REAL,
    RECORDS_MIN,
    RECORDS_WHOLE,
    TEAM_OUTSIDE_AREA,
    YEAR_NOT_REAL,
    YEAR_OUT_OF_RANGE,
)
from audits.models import (
    AuditStatus,
    AuditType,
    MultiAgencyAudit,
    PracticeObservation,
    SampleAudit,
    SampleKind,
)
from audits.selectors_other import other_audits_counts
from tests.factories import AuditFactory, ChildFactory, TeamFactory

pytestmark = pytest.mark.django_db

ROLES = [
    "auditor",
    "moderator",
    "team_manager",
    "head_of_service",
    "qa_lead",
    "leader",
    "ambassador",
    "administrator",
    "no_role",
]
VIEWERS = {"qa_lead", "leader", "head_of_service"}
RECORDERS = {"qa_lead", "head_of_service"}

APRIL = datetime.date(2026, 4, 1)
MAY = datetime.date(2026, 5, 1)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(datetime.datetime(2026, 6, 15, 12, 0), tick=False):
        yield


@pytest.fixture
def records(org):
    """One of each kind inside area A, outside it, and council-wide."""
    lead = org.users["qa_lead"]

    def sample(topic, area, kind=SampleKind.DIP_SAMPLE, month=APRIL, n=20):
        return SampleAudit.objects.create(
            kind=kind,
            topic=topic,
            month=month,
            records_sampled=n,
            lead=lead,
            service_area=area,
            findings="Findings.",
        )

    def observation(team, day, grade="good"):
        return PracticeObservation.objects.create(
            practitioner=org.users["no_role"],
            observer=org.users["team_manager"],
            team=team,
            observed_on=day,
            setting="home_visit",
            grade=grade,
            strengths="Warm and clear.",
        )

    return {
        "sample_a": sample("Visits in area A", org.area_a),
        "sample_b": sample("Visits in area B", org.area_b, month=MAY),
        "sample_all": sample("Chronologies", None, kind=SampleKind.THEMATIC, n=50),
        "multi": MultiAgencyAudit.objects.create(
            topic="Neglect",
            month=MAY,
            agencies="Police\nHealth visiting\n\nSchools",
            families_considered=6,
            lead=lead,
            findings="Good information sharing.",
        ),
        "obs_a": observation(org.team_a, datetime.date(2026, 4, 20)),
        "obs_b": observation(org.team_b, datetime.date(2026, 5, 2), grade="inadequate"),
    }


def sign_in(client, org, role):
    client.force_login(org.users[role])
    return client


# Who sees what ----------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_index_by_role(client, org, records, role):
    response = sign_in(client, org, role).get(reverse("other_audits:index"))
    refused = 404 if role == "ambassador" else 403
    assert response.status_code == (200 if role in VIEWERS else refused)
    if role in VIEWERS:
        html = response.content.decode()
        assert ("Record a dip sample" in html) == (role in RECORDERS)


def test_empty_tables_say_who_records_them(client, org):
    html = sign_in(client, org, "qa_lead").get(reverse("other_audits:index")).content.decode()
    for kind, address in (
        ("No dip samples.", "other_audits:sample_new"),
        ("No thematic audits.", "other_audits:sample_new"),
        ("No multi-agency audits.", "other_audits:multi_agency_new"),
        ("No observations of practice.", "other_audits:observation_new"),
    ):
        after = html.split(kind, 1)[1][:300]
        assert f'href="{reverse(address)}">Record one</a>' in after, kind
    assert "The QA team records these." not in html
    html = sign_in(client, org, "leader").get(reverse("other_audits:index")).content.decode()
    assert html.count("The QA team records these.") == 4
    assert "Record one" not in html


def test_index_needs_sign_in(client, records):
    response = client.get(reverse("other_audits:index"))
    assert response.status_code == 302
    assert "sign-in" in response["Location"] or "login" in response["Location"]


def test_head_of_service_sees_their_area_council_wide_and_multi_agency(client, org, records):
    response = sign_in(client, org, "head_of_service").get(reverse("other_audits:index"))
    tables = response.context["tables"]
    assert [s.topic for s in tables["dip_samples"]] == ["Visits in area A"]
    assert [s.topic for s in tables["thematic"]] == ["Chronologies"]
    assert [m.topic for m in tables["multi_agency"]] == ["Neglect"]
    assert [o.pk for o in tables["observations"]] == [records["obs_a"].pk]


def test_leader_sees_everything(client, org, records):
    response = sign_in(client, org, "leader").get(reverse("other_audits:index"))
    tables = response.context["tables"]
    assert {s.topic for s in tables["dip_samples"]} == {"Visits in area A", "Visits in area B"}
    assert len(tables["observations"]) == 2


@pytest.mark.parametrize(
    ("name", "key", "inside"),
    [
        ("sample_detail", "sample_a", True),
        ("sample_detail", "sample_all", True),
        ("sample_detail", "sample_b", False),
        ("multi_agency_detail", "multi", True),
        ("observation_detail", "obs_a", True),
        ("observation_detail", "obs_b", False),
    ],
)
def test_head_of_service_detail_pages_inside_and_outside_scope(
    client, org, records, name, key, inside
):
    url = reverse(f"other_audits:{name}", args=[records[key].pk])
    response = sign_in(client, org, "head_of_service").get(url)
    assert response.status_code == (200 if inside else 404)


@pytest.mark.parametrize("role", ["auditor", "team_manager", "no_role", "ambassador"])
def test_detail_pages_are_refused_to_people_without_the_permission(client, org, records, role):
    client = sign_in(client, org, role)
    for name, key in (("sample_detail", "sample_a"), ("observation_detail", "obs_a")):
        url = reverse(f"other_audits:{name}", args=[records[key].pk])
        assert client.get(url).status_code == (404 if role == "ambassador" else 403)


def test_detail_pages_show_the_record(client, org, records):
    client = sign_in(client, org, "qa_lead")
    page = client.get(reverse("other_audits:multi_agency_detail", args=[records["multi"].pk]))
    html = page.content.decode()
    assert "Neglect" in html and "Health visiting" in html and "Schools" in html
    page = client.get(reverse("other_audits:sample_detail", args=[records["sample_all"].pk]))
    assert "Council-wide" in page.content.decode()
    page = client.get(reverse("other_audits:observation_detail", args=[records["obs_b"].pk]))
    assert "app-grade-tag--inadequate" in page.content.decode()


def test_detail_pages_need_get(client, org, records):
    url = reverse("other_audits:sample_detail", args=[records["sample_a"].pk])
    assert sign_in(client, org, "qa_lead").post(url).status_code == 405


# Filters ------------------------------------------------------------------------------------


def test_filter_by_month_and_type(client, org, records):
    client = sign_in(client, org, "qa_lead")
    response = client.get(reverse("other_audits:index"), {"month": "2026-05"})
    tables = response.context["tables"]
    assert [s.topic for s in tables["dip_samples"]] == ["Visits in area B"]
    assert tables["thematic"] == []
    assert [o.pk for o in tables["observations"]] == [records["obs_b"].pk]
    response = client.get(reverse("other_audits:index"), {"type": "multi_agency"})
    tables = response.context["tables"]
    assert [m.topic for m in tables["multi_agency"]] == ["Neglect"]
    assert tables["dip_samples"] is None and tables["observations"] is None
    assert "Dip samples</h2>" not in response.content.decode()


def test_month_choices_are_the_months_with_records(client, org, records):
    response = sign_in(client, org, "qa_lead").get(reverse("other_audits:index"))
    choices = [value for value, _ in response.context["filter_form"].fields["month"].choices]
    assert choices == ["", "2026-05", "2026-04"]


def test_an_unknown_filter_shows_everything(client, org, records):
    response = sign_in(client, org, "qa_lead").get(
        reverse("other_audits:index"), {"month": "2019-13", "type": "nonsense"}
    )
    assert response.status_code == 200
    assert len(response.context["tables"]["dip_samples"]) == 2


def test_reaudits_are_listed(client, org):
    first = AuditFactory(
        child=ChildFactory(team=org.team_a), month=APRIL, status=AuditStatus.ACCEPTED
    )
    AuditFactory(
        child=first.child,
        template=first.template,
        audit_type=AuditType.RE_AUDIT,
        reaudit_of=first,
        month=MAY,
        status=AuditStatus.ALLOCATED,
    )
    response = sign_in(client, org, "qa_lead").get(reverse("other_audits:index"))
    reaudits = response.context["tables"]["reaudits"]
    assert [(a.reaudit_of_id, a.month) for a in reaudits] == [(first.pk, MAY)]
    assert first.display_reference in response.content.decode()


def test_index_runs_a_constant_number_of_queries(
    client, org, records, django_assert_max_num_queries
):
    client = sign_in(client, org, "qa_lead")
    url = reverse("other_audits:index")
    with django_assert_max_num_queries(16):
        client.get(url)
    team = TeamFactory(service_area=org.area_a)
    for i in range(15):
        SampleAudit.objects.create(
            kind=SampleKind.DIP_SAMPLE,
            topic=f"Sample {i}",
            month=APRIL,
            records_sampled=10,
            lead=org.users["leader"],
            findings="F.",
        )
        PracticeObservation.objects.create(
            practitioner=org.users["no_role"],
            observer=org.users["leader"],
            team=team,
            observed_on=datetime.date(2026, 3, 1 + i),
            setting="meeting",
            grade="good",
            strengths="S.",
        )
    with django_assert_max_num_queries(16):
        response = client.get(url)
    assert len(response.context["tables"]["observations"]) == 17


# Recording a dip sample or thematic audit -------------------------------------------------


def sample_data(org, **changes):
    data = {
        "kind": "dip_sample",
        "topic": "Visits to children on child protection plans",
        "month_0": "4",
        "month_1": "2026",
        "records_sampled": "24",
        "lead": org.users["qa_lead"].pk,
        "service_area": "",
        "findings": "Most visits were within timescales.",
        "recommendations": "",
    }
    data.update(changes)
    return data


def test_qa_lead_records_a_dip_sample(client, org):
    client = sign_in(client, org, "qa_lead")
    response = client.post(reverse("other_audits:sample_new"), sample_data(org))
    sample = SampleAudit.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("other_audits:sample_detail", args=[sample.pk])
    assert (sample.kind, sample.month, sample.records_sampled) == ("dip_sample", APRIL, 24)
    assert sample.service_area is None
    assert sample.created_by == org.users["qa_lead"]
    page = client.get(response["Location"])
    assert "Dip sample saved: Visits to children" in page.content.decode()


def test_head_of_service_records_a_sample_for_their_own_area_only(client, org):
    client = sign_in(client, org, "head_of_service")
    own = sample_data(org, kind="thematic", service_area=org.area_a.pk)
    assert client.post(reverse("other_audits:sample_new"), own).status_code == 302
    assert SampleAudit.objects.get().service_area == org.area_a
    other = sample_data(org, service_area=org.area_b.pk)
    response = client.post(reverse("other_audits:sample_new"), other)
    assert response.status_code == 200
    assert response.context["form"].errors["service_area"] == [CHOOSE_OWN_AREA]
    assert SampleAudit.objects.count() == 1


@pytest.mark.parametrize("role", ["leader", "auditor", "team_manager", "no_role"])
def test_only_qa_lead_and_heads_of_service_record(client, org, role):
    client = sign_in(client, org, role)
    for name in ("sample_new", "multi_agency_new", "observation_new"):
        assert client.get(reverse(f"other_audits:{name}")).status_code == 403
    assert client.post(reverse("other_audits:sample_new"), sample_data(org)).status_code == 403
    assert not SampleAudit.objects.exists()


def test_new_pages_refuse_other_methods(client, org):
    client = sign_in(client, org, "qa_lead")
    assert client.put(reverse("other_audits:sample_new")).status_code == 405
    assert client.delete(reverse("other_audits:observation_new")).status_code == 405


def test_a_blank_sample_form_names_every_missing_field(client, org):
    client = sign_in(client, org, "qa_lead")
    response = client.post(reverse("other_audits:sample_new"), {})
    errors = response.context["form"].errors
    assert errors["kind"] == [CHOOSE_KIND]
    assert errors["topic"] == [ENTER_TOPIC]
    assert errors["month"] == [ENTER_MONTH]
    assert errors["records_sampled"] == [ENTER_RECORDS]
    assert errors["lead"] == [CHOOSE_LEAD]
    assert errors["findings"] == [ENTER_FINDINGS]
    html = response.content.decode()
    assert "<title>\n      Error: Record a dip sample" in html or "Error: Record a dip" in html
    assert "There is a problem" in html
    assert "This field is required" not in html
    assert not SampleAudit.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"records_sampled": "0"}, "records_sampled", RECORDS_MIN),
        ({"records_sampled": "-3"}, "records_sampled", RECORDS_MIN),
        ({"records_sampled": "twelve"}, "records_sampled", RECORDS_WHOLE),
        ({"month_0": "13"}, "month", MONTH_NOT_REAL),
        ({"month_0": "April"}, "month", MONTH_NOT_REAL),
        ({"month_1": "26"}, "month", YEAR_NOT_REAL),
        # "²".isdigit() is True but int("²") fails: these were a 500
        ({"month_0": "²"}, "month", MONTH_NOT_REAL),
        ({"month_1": "²²²²"}, "month", YEAR_NOT_REAL),
        ({"month_1": "1899"}, "month", YEAR_OUT_OF_RANGE),
        ({"month_0": ""}, "month", ENTER_MONTH),
        ({"month_0": "7"}, "month", MONTH_IN_FUTURE),
        ({"kind": "survey"}, "kind", CHOOSE_KIND),
        ({"lead": "999999"}, "lead", CHOOSE_LEAD),
    ],
)
def test_bad_sample_input_gets_a_specific_message(client, org, changes, field, message):
    client = sign_in(client, org, "qa_lead")
    response = client.post(reverse("other_audits:sample_new"), sample_data(org, **changes))
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert not SampleAudit.objects.exists()


def test_this_month_is_allowed(client, org):
    client = sign_in(client, org, "qa_lead")
    response = client.post(reverse("other_audits:sample_new"), sample_data(org, month_0="6"))
    assert response.status_code == 302
    assert SampleAudit.objects.get().month == datetime.date(2026, 6, 1)


# Recording a multi-agency audit -----------------------------------------------------------


def multi_data(org, **changes):
    data = {
        "topic": "Neglect",
        "month_0": "5",
        "month_1": "2026",
        "agencies": " Police \n\nHealth visiting\nSchools\n",
        "families_considered": "6",
        "lead": org.users["head_of_service"].pk,
        "findings": "Information was shared well at the front door.",
        "recommendations": "Repeat in six months.",
    }
    data.update(changes)
    return data


def test_head_of_service_records_a_multi_agency_audit(client, org):
    client = sign_in(client, org, "head_of_service")
    response = client.post(reverse("other_audits:multi_agency_new"), multi_data(org))
    audit = MultiAgencyAudit.objects.get()
    assert response["Location"] == reverse("other_audits:multi_agency_detail", args=[audit.pk])
    assert audit.agency_list == ["Police", "Health visiting", "Schools"]
    assert audit.agencies == "Police\nHealth visiting\nSchools"
    assert (audit.month, audit.families_considered) == (MAY, 6)
    assert audit.created_by == org.users["head_of_service"]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"agencies": "\n \n"}, "agencies", ENTER_AGENCIES),
        ({"families_considered": ""}, "families_considered", ENTER_FAMILIES),
        ({"families_considered": "0"}, "families_considered", FAMILIES_MIN),
        ({"topic": ""}, "topic", ENTER_TOPIC),
        ({"month_1": ""}, "month", ENTER_MONTH),
    ],
)
def test_bad_multi_agency_input_gets_a_specific_message(client, org, changes, field, message):
    client = sign_in(client, org, "qa_lead")
    response = client.post(reverse("other_audits:multi_agency_new"), multi_data(org, **changes))
    assert response.context["form"].errors[field] == [message]
    assert not MultiAgencyAudit.objects.exists()


# Recording an observation of practice --------------------------------------------------


def observation_data(org, **changes):
    data = {
        "practitioner": org.users["no_role"].pk,
        "team": org.team_a.pk,
        "observer": org.users["head_of_service"].pk,
        "observed_on_0": "3",
        "observed_on_1": "6",
        "observed_on_2": "2026",
        "setting": "home_visit",
        "grade": "good",
        "strengths": "Warm, clear explanation of the plan to the parents.",
        "areas_for_development": "",
    }
    data.update(changes)
    return data


def test_head_of_service_records_an_observation_in_their_area(client, org):
    client = sign_in(client, org, "head_of_service")
    response = client.post(reverse("other_audits:observation_new"), observation_data(org))
    observation = PracticeObservation.objects.get()
    assert response["Location"] == reverse("other_audits:observation_detail", args=[observation.pk])
    assert observation.observed_on == datetime.date(2026, 6, 3)
    assert (observation.team, observation.grade) == (org.team_a, "good")
    assert observation.created_by == org.users["head_of_service"]


def test_head_of_service_cannot_record_an_observation_in_another_area(client, org):
    client = sign_in(client, org, "head_of_service")
    data = observation_data(org, team=org.team_b.pk)
    response = client.post(reverse("other_audits:observation_new"), data)
    assert response.context["form"].errors["team"] == [TEAM_OUTSIDE_AREA]
    assert not PracticeObservation.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"observed_on_0": "", "observed_on_1": "", "observed_on_2": ""},
            "observed_on",
            ENTER_OBSERVED_ON,
        ),
        # one GOV.UK date field everywhere (common.forms.GovDateField): a missing part
        # is named, and an absurd year is refused before any arithmetic
        (
            {"observed_on_0": ""},
            "observed_on",
            "The date of the observation must include a day",
        ),
        ({"observed_on_0": "31", "observed_on_1": "2"}, "observed_on", OBSERVED_ON_NOT_REAL),
        ({"observed_on_1": "June"}, "observed_on", OBSERVED_ON_NOT_REAL),
        ({"observed_on_1": "²"}, "observed_on", OBSERVED_ON_NOT_REAL),
        (
            {"observed_on_2": "99999999999999999999"},
            "observed_on",
            "The date of the observation must be in a year from 1900 to 2100",
        ),
        ({"observed_on_0": "16"}, "observed_on", OBSERVED_ON_FUTURE),
        ({"grade": ""}, "grade", CHOOSE_GRADE),
        ({"grade": "not_graded"}, "grade", CHOOSE_GRADE),
        ({"setting": ""}, "setting", CHOOSE_SETTING),
        ({"practitioner": ""}, "practitioner", CHOOSE_PRACTITIONER),
        ({"strengths": ""}, "strengths", ENTER_STRENGTHS),
    ],
)
def test_bad_observation_input_gets_a_specific_message(client, org, changes, field, message):
    client = sign_in(client, org, "qa_lead")
    response = client.post(
        reverse("other_audits:observation_new"), observation_data(org, **changes)
    )
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert not PracticeObservation.objects.exists()


def test_radios_have_no_blank_choice(client, org):
    response = sign_in(client, org, "qa_lead").get(reverse("other_audits:observation_new"))
    html = response.content.decode()
    assert "---------" not in html.split('name="setting"')[0][-2000:]
    assert 'type="radio" name="setting" value=""' not in html
    assert (
        'type="radio" name="kind" value=""'
        not in sign_in(client, org, "qa_lead")
        .get(reverse("other_audits:sample_new"))
        .content.decode()
    )


# Counts for reports ---------------------------------------------------------------------------


def test_other_audits_counts_by_hand(org, records):
    lead = org.users["leader"]
    SampleAudit.objects.create(
        kind=SampleKind.DIP_SAMPLE,
        topic="Outside the period",
        month=datetime.date(2026, 3, 1),
        records_sampled=99,
        lead=lead,
        findings="F.",
    )
    PracticeObservation.objects.create(
        practitioner=org.users["no_role"],
        observer=lead,
        team=org.team_a,
        observed_on=datetime.date(2026, 3, 31),
        setting="meeting",
        grade="outstanding",
        strengths="S.",
    )
    # April and May: dip samples 20 (April, area A) + 20 (May, area B); one thematic of 50;
    # one multi-agency audit of 6 families; two observations (good, inadequate).
    counts = other_audits_counts(APRIL, datetime.date(2026, 5, 31))
    assert counts["dip_sample"] == {"exercises": 2, "records_sampled": 40}
    assert counts["thematic"] == {"exercises": 1, "records_sampled": 50}
    assert counts["multi_agency"] == {"audits": 1, "families_considered": 6}
    assert counts["observation"]["observations"] == 2
    assert counts["observation"]["by_grade"]["good"] == 1
    assert counts["observation"]["by_grade"]["inadequate"] == 1
    assert counts["observation"]["by_grade"]["outstanding"] == 0
    # A period starting mid-month counts that month's samples, and observations by day.
    mid = other_audits_counts(datetime.date(2026, 3, 31), datetime.date(2026, 4, 19))
    assert mid["dip_sample"] == {"exercises": 2, "records_sampled": 119}
    assert mid["observation"]["observations"] == 1
    empty = other_audits_counts(datetime.date(2025, 1, 1), datetime.date(2025, 12, 31))
    assert empty["dip_sample"] == {"exercises": 0, "records_sampled": 0}
    assert empty["multi_agency"] == {"audits": 0, "families_considered": 0}


def test_other_audits_counts_for_a_service_area_or_team(org, records):
    may_end = datetime.date(2026, 5, 31)
    area_a = other_audits_counts(APRIL, may_end, service_area=org.area_a.pk)
    # Area A's own dip sample; the council-wide thematic audit and the multi-agency audit
    # belong to no area; team A's observation.
    assert area_a["dip_sample"] == {"exercises": 1, "records_sampled": 20}
    assert area_a["thematic"] == {"exercises": 0, "records_sampled": 0}
    assert area_a["multi_agency"] == {"audits": 0, "families_considered": 0}
    assert area_a["observation"]["by_grade"]["good"] == 1
    assert area_a["observation"]["observations"] == 1
    team_b = other_audits_counts(APRIL, may_end, team=org.team_b.pk)
    assert team_b["dip_sample"] == {"exercises": 0, "records_sampled": 0}
    assert team_b["observation"]["by_grade"]["inadequate"] == 1
    assert team_b["observation"]["observations"] == 1
