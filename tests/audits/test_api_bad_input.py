"""Bad input to /api/audits/ gets a 400 with a specific message and changes nothing.

Each exact input below answered 500 before: an overflow, a value of the wrong shape, or
a body nested too deeply. The auditor owns ``audit``, allocated, with a yes/no, a number
and a multiple-choice question.
"""

import json

import pytest
from django.urls import reverse

from audits.api import ANSWER_NOT_JSON, KEY_NOT_ID, MONTH_FORMAT
from audits.models import Audit, AuditStatus, QuestionKind
from audits.services.audit import (
    ANSWER_NUMBER,
    ANSWER_ONE_OPTION,
    ANSWER_OPTIONS_LIST,
    MAX_PROPOSED_ACTIONS,
    TOO_MANY_ACTIONS,
)
from common.api import JSON_TOO_DEEP
from common.forms import TEXT_MAX_LENGTH
from tests.factories import AuditFactory, ChildFactory, make_template

pytestmark = pytest.mark.django_db

TEAM_ID_INVALID = "Enter the team id as a whole number from 1 to 9223372036854775807"
OWNER_ID_INVALID = "Enter the suggested owner id as a whole number from 1 to 9223372036854775807"


@pytest.fixture
def audit(org):
    return AuditFactory(
        child=ChildFactory(team=org.team_b),
        template=make_template(),
        auditor=org.users["auditor"],
    )


@pytest.fixture
def auditor(client, org):
    client.force_login(org.users["auditor"])
    return client


def question(audit, kind):
    return next(
        q for s in audit.template.sections.all() for q in s.questions.all() if q.kind == kind
    )


def patch(client, audit, body):
    return client.patch(
        reverse("audit-detail", args=[audit.pk]),
        body if isinstance(body, str) else json.dumps(body),
        content_type="application/json",
    )


def unchanged(audit):
    audit.refresh_from_db()
    return (audit.status, audit.lock_version) == (AuditStatus.ALLOCATED, 0)


def test_a_grading_keyed_by_a_superscript_two_is_400(auditor, audit):
    # "²".isdigit() is True, and int("²") raised ValueError
    response = patch(auditor, audit, {"lock_version": 0, "gradings": {"²": {"grade": "good"}}})
    assert response.status_code == 400
    assert response.json() == {"gradings": {"²": [KEY_NOT_ID]}}
    assert unchanged(audit)


@pytest.mark.parametrize("key", ["99999999999999999999999", "0", "-1", "1.0", " 1"])
def test_a_key_that_cannot_be_an_id_is_400(auditor, audit, key):
    response = patch(auditor, audit, {"lock_version": 0, "answers": {key: {"value": "yes"}}})
    assert response.status_code == 400
    assert response.json() == {"answers": {key: [KEY_NOT_ID]}}
    assert unchanged(audit)


@pytest.mark.parametrize("value", [{"a": 1}, ["yes"], [["x"]], [{}]])
def test_an_answer_of_the_wrong_shape_to_a_yes_no_question_is_400(auditor, audit, value):
    q = question(audit, QuestionKind.YES_NO)
    response = patch(auditor, audit, {"lock_version": 0, "answers": {str(q.pk): {"value": value}}})
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": [ANSWER_ONE_OPTION.format(question=q.text)]}
    assert unchanged(audit)
    assert not audit.answers.exists()


@pytest.mark.parametrize("value", [{"a": 1}, [["x"]], [{}], "Genogram", [1]])
def test_an_answer_of_the_wrong_shape_to_a_multiple_choice_question_is_400(auditor, audit, value):
    q = question(audit, QuestionKind.MULTIPLE_CHOICE)
    response = patch(auditor, audit, {"lock_version": 0, "answers": {str(q.pk): {"value": value}}})
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": [ANSWER_OPTIONS_LIST.format(question=q.text)]}
    assert unchanged(audit)


@pytest.mark.parametrize("value", [["yes"], {"a": 1}, "3", True])
def test_an_answer_of_the_wrong_shape_to_a_number_question_is_400(auditor, audit, value):
    q = question(audit, QuestionKind.NUMBER)
    response = patch(auditor, audit, {"lock_version": 0, "answers": {str(q.pk): {"value": value}}})
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": [ANSWER_NUMBER.format(question=q.text)]}
    assert unchanged(audit)


def test_a_number_too_big_for_a_float_is_400(auditor, audit):
    # json reads 1e400 as infinity, which JSON cannot store
    q = question(audit, QuestionKind.NUMBER)
    response = patch(
        auditor, audit, f'{{"lock_version": 0, "answers": {{"{q.pk}": {{"value": 1e400}}}}}}'
    )
    assert response.status_code == 400
    assert response.json() == {"answers": {str(q.pk): {"value": [ANSWER_NOT_JSON]}}}
    assert unchanged(audit)


def test_the_right_shapes_are_saved(auditor, audit):
    yes_no = question(audit, QuestionKind.YES_NO)
    many = question(audit, QuestionKind.MULTIPLE_CHOICE)
    response = patch(
        auditor,
        audit,
        {
            "lock_version": 0,
            "answers": {
                str(yes_no.pk): {"value": "yes"},
                str(many.pk): {"value": ["Genogram", "Ecomap"]},
            },
        },
    )
    assert response.status_code == 200, response.json()
    assert {a.question_id: a.value for a in audit.answers.all()} == {
        yes_no.pk: "yes",
        many.pk: ["Genogram", "Ecomap"],
    }


@pytest.mark.parametrize("owner", [10**21, 2**63, 0, -1, "x"])
def test_an_owner_id_that_cannot_be_an_id_is_400(auditor, audit, owner):
    response = patch(
        auditor,
        audit,
        {"lock_version": 0, "actions": [{"text": "Update the plan", "suggested_owner_id": owner}]},
    )
    assert response.status_code == 400
    assert response.json() == {"actions": {"0": {"suggested_owner_id": [OWNER_ID_INVALID]}}}
    assert unchanged(audit)


def test_a_body_of_100000_open_brackets_is_400(auditor, audit):
    response = patch(auditor, audit, "[" * 100_000)
    assert response.status_code == 400
    assert response.json() == {"detail": JSON_TOO_DEEP}
    assert unchanged(audit)


def test_a_body_nested_33_deep_is_400_and_32_is_read(auditor, audit):
    q = question(audit, QuestionKind.YES_NO)

    def body(depth):
        # {"lock_version", "answers": {id: {"value": [[...]]}}}: 3 levels before the value
        value = "[" * (depth - 3) + "]" * (depth - 3)
        return f'{{"lock_version": 0, "answers": {{"{q.pk}": {{"value": {value}}}}}}}'

    too_deep = patch(auditor, audit, body(33))
    assert (too_deep.status_code, too_deep.json()) == (400, {"detail": JSON_TOO_DEEP})
    deep = patch(auditor, audit, body(32))
    assert deep.status_code == 400  # read, then refused for its shape
    assert deep.json() == {"non_field_errors": [ANSWER_ONE_OPTION.format(question=q.text)]}


def test_more_proposed_actions_than_an_audit_may_have_are_400(auditor, audit):
    many = [{"text": f"Action {n}"} for n in range(10_000)]
    response = patch(auditor, audit, {"lock_version": 0, "actions": many})
    assert response.status_code == 400
    assert response.json() == {"actions": [TOO_MANY_ACTIONS]}
    assert unchanged(audit)
    one_more = patch(
        auditor, audit, {"lock_version": 0, "actions": many[: MAX_PROPOSED_ACTIONS + 1]}
    )
    assert (one_more.status_code, one_more.json()) == (400, {"actions": [TOO_MANY_ACTIONS]})
    enough = patch(auditor, audit, {"lock_version": 0, "actions": many[:MAX_PROPOSED_ACTIONS]})
    assert enough.status_code == 200, enough.json()
    assert audit.proposed_actions.count() == MAX_PROPOSED_ACTIONS


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            {"fields": {"strengths": "x" * (TEXT_MAX_LENGTH + 1)}},
            {"fields": {"strengths": ["The strengths must be 20,000 characters or fewer"]}},
        ),
        (
            {"fields": {"overall_rationale": "x" * 1_000_000}},
            {
                "fields": {
                    "overall_rationale": [
                        "The reasons for the overall grade must be 20,000 characters or fewer"
                    ]
                }
            },
        ),
        (
            {"actions": [{"text": "x" * (TEXT_MAX_LENGTH + 1)}]},
            {
                "actions": {
                    "0": {
                        "text": [
                            "What must happen for the proposed action must be 20,000 "
                            "characters or fewer"
                        ]
                    }
                }
            },
        ),
    ],
)
def test_text_longer_than_20000_characters_is_400(auditor, audit, body, expected):
    response = patch(auditor, audit, {"lock_version": 0, **body})
    assert response.status_code == 400
    assert response.json() == expected
    assert unchanged(audit)


def test_text_of_20000_characters_is_saved(auditor, audit):
    response = patch(
        auditor, audit, {"lock_version": 0, "fields": {"strengths": "x" * TEXT_MAX_LENGTH}}
    )
    assert response.status_code == 200
    audit.refresh_from_db()
    assert len(audit.strengths) == TEXT_MAX_LENGTH


def test_evidence_and_an_answers_comment_are_limited(auditor, audit):
    domain = next(s.domain for s in audit.template.sections.all() if s.domain_id)
    q = question(audit, QuestionKind.YES_NO)
    response = patch(
        auditor,
        audit,
        {
            "lock_version": 0,
            "gradings": {str(domain.pk): {"evidence": "x" * (TEXT_MAX_LENGTH + 1)}},
            "answers": {str(q.pk): {"value": "yes", "comment": "x" * (TEXT_MAX_LENGTH + 1)}},
        },
    )
    assert response.status_code == 400
    assert response.json() == {
        "gradings": {
            str(domain.pk): {"evidence": ["The evidence must be 20,000 characters or fewer"]}
        },
        "answers": {
            str(q.pk): {
                "comment": ["The evidence for the answer must be 20,000 characters or fewer"]
            }
        },
    }
    assert unchanged(audit)


# Filters ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "team", ["99999999999999999999999", "-1.7976931348623157e+308", "9223372036854775808", "0", "²"]
)
def test_a_team_filter_that_cannot_be_an_id_is_400(client, org, audit, team):
    client.force_login(org.users["qa_lead"])
    response = client.get(reverse("audit-list"), {"team": team})
    assert (response.status_code, response.json()) == (400, {"team": [TEAM_ID_INVALID]})


def test_the_largest_team_id_is_a_filter_that_finds_nothing(client, org, audit):
    client.force_login(org.users["qa_lead"])
    response = client.get(reverse("audit-list"), {"team": str(2**63 - 1)})
    assert (response.status_code, response.json()["count"]) == (200, 0)


@pytest.mark.parametrize(
    ("month", "message"),
    [
        ("0000-01", "The month must be in a year from 1900 to 2100"),
        ("0001-01", "The month must be in a year from 1900 to 2100"),
        ("9999-12", "The month must be in a year from 1900 to 2100"),
        ("2026-13", MONTH_FORMAT),
        ("2026-11-02", MONTH_FORMAT),
    ],
)
def test_a_month_filter_out_of_range_is_400(client, org, audit, month, message):
    client.force_login(org.users["qa_lead"])
    response = client.get(reverse("audit-list"), {"month": month})
    assert (response.status_code, response.json()) == (400, {"month": [message]})
    assert Audit.objects.count() == 1
