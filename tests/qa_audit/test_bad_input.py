"""Bad input through the API: each case is refused with a message under the field it is
about, nothing answers 500, and the database is exactly as it was: every table of the
product (and each table's history) has the same rows, by a checksum taken before and
after. Views recorded on the way are not changes and are left out of the checksum.

Each case is (who, method, address, body or query, the field named in the answer).
"""

import hashlib
import json

import pytest
from django.apps import apps
from django.core.serializers.json import DjangoJSONEncoder

from audits.models import AuditEvent, AuditEventKind

pytestmark = pytest.mark.django_db

APPS = ("accounts", "audits", "moderation", "actions", "feedback", "reporting", "governance")
#: records of reading, not of changing: a refused request may still be a view
READS = {"audits.childviewevent", "governance.recordsearch"}


def checksum(leave_out: frozenset[str] | set[str] = frozenset()) -> str:
    """Every product table's rows, but records of reading and the tables ``leave_out``
    names (``app.model``)."""
    digest = hashlib.sha256()
    for model in sorted(apps.get_models(), key=lambda m: m._meta.label_lower):
        label = model._meta.label_lower
        if model._meta.app_label not in APPS or label in READS or label in leave_out:
            continue
        rows = model._base_manager.order_by("pk")
        if model is AuditEvent:
            rows = rows.exclude(kind=AuditEventKind.VIEWED)
        values = [
            [getattr(row, f.attname) for f in model._meta.concrete_fields if f.name != "last_login"]
            for row in rows
        ]
        digest.update(label.encode())
        digest.update(json.dumps(values, cls=DjangoJSONEncoder, default=str).encode())
    return digest.hexdigest()


LONG = "x" * 100_001
SCRIPT = "<script>alert(1)</script>"
FORMULA = '=HYPERLINK("http://evil.example","Click")'

ADHOC = {
    "case_reference": "{child_ref}",
    "auditor_email": "auditor@council.example",
    "template": "{template}",
    "month": "{next_month}",
    "allocation_note": "Requested by the Head of Service",
}


def adhoc(**changes):
    body = {**ADHOC, **changes}
    return {key: value for key, value in body.items() if value is not ...}


#: the ad hoc allocation (POST /api/audits/, the QA Lead)
CREATE = [
    ("case_reference missing", adhoc(case_reference=...), "case_reference"),
    ("case_reference empty", adhoc(case_reference=""), "case_reference"),
    ("case_reference too long", adhoc(case_reference="C" * 41), "case_reference"),
    ("case_reference unknown", adhoc(case_reference="NO-SUCH-CHILD"), "case_reference"),
    ("case_reference script", adhoc(case_reference=SCRIPT), "case_reference"),
    ("case_reference formula", adhoc(case_reference=FORMULA), "case_reference"),
    ("case_reference null", adhoc(case_reference=None), "case_reference"),
    ("case_reference a list", adhoc(case_reference=["A"]), "case_reference"),
    ("auditor_email missing", adhoc(auditor_email=...), "auditor_email"),
    ("auditor_email not an email", adhoc(auditor_email="auditor"), "auditor_email"),
    ("auditor_email unknown", adhoc(auditor_email="nobody@council.example"), "auditor_email"),
    ("auditor_email too long", adhoc(auditor_email="a" * 250 + "@x.example"), "auditor_email"),
    ("auditor_email a number", adhoc(auditor_email=5), "auditor_email"),
    ("auditor_email null", adhoc(auditor_email=None), "auditor_email"),
    ("template missing", adhoc(template=...), "template"),
    ("template not a number", adhoc(template="abc"), "template"),
    ("template negative", adhoc(template=-1), "template"),
    ("template unknown", adhoc(template=999999), "template"),
    ("template a fraction", adhoc(template=1.5), "template"),
    ("template huge", adhoc(template=10**30), "template"),
    ("month missing", adhoc(month=...), "month"),
    ("month thirteen", adhoc(month="2026-13"), "month"),
    ("month written the wrong way", adhoc(month="13/2026"), "month"),
    ("month not a day", adhoc(month="2026-02-30"), "month"),
    ("month empty", adhoc(month=""), "month"),
    ("month a number", adhoc(month=202601), "month"),
    ("month long past", adhoc(month="1900-01"), "month"),
    ("month too far ahead", adhoc(month="2099-01"), "month"),
    ("due_date not a day", adhoc(due_date="2026-02-30"), "due_date"),
    ("due_date words", adhoc(due_date="next week"), "due_date"),
    ("due_date in the past", adhoc(due_date="2001-01-01"), "due_date"),
    ("due_date year 10000", adhoc(due_date="10000-01-01"), "due_date"),
    ("allocation_note too long", adhoc(allocation_note=LONG), "allocation_note"),
    ("allocation_note missing", adhoc(allocation_note=...), "allocation_note"),
    ("allocation_note a number", adhoc(allocation_note={"a": 1}), "allocation_note"),
    ("confirm_recent not a yes or no", adhoc(confirm_recent="maybe"), "confirm_recent"),
    ("confirm_recent a list", adhoc(confirm_recent=[True]), "confirm_recent"),
]


def draft(**parts):
    return {"lock_version": "{lock_version}", **parts}


#: the auditor's draft (PATCH /api/audits/{draft}/, Walker's own audit in progress)
DRAFT = [
    ("lock_version missing", {"fields": {"strengths": "x"}}, "lock_version"),
    ("lock_version negative", draft(lock_version=-1), "lock_version"),
    ("lock_version words", draft(lock_version="one"), "lock_version"),
    ("fields a list", draft(fields=["strengths"]), "fields"),
    ("fields unknown", draft(fields={"child": 5}), "fields"),
    ("overall_grade unknown", draft(fields={"overall_grade": "Excellent"}), "fields"),
    ("overall_grade a number", draft(fields={"overall_grade": 1}), "fields"),
    ("overall_ri_band unknown", draft(fields={"overall_ri_band": "middle"}), "fields"),
    ("strengths too long", draft(fields={"strengths": LONG}), "fields"),
    ("strengths an object", draft(fields={"strengths": {"a": 1}}), "fields"),
    ("child_spoken_to unknown", draft(fields={"child_spoken_to": "perhaps"}), "fields"),
    ("reason unknown", draft(fields={"child_not_spoken_reason": "busy"}), "fields"),
    ("gradings a list", draft(gradings=[1]), "gradings"),
    ("gradings key not an id", draft(gradings={"visits": {"grade": "good"}}), "gradings"),
    ("grading grade unknown", draft(gradings={"{domain}": {"grade": "superb"}}), "gradings"),
    ("grading band unknown", draft(gradings={"{domain}": {"ri_band": "top"}}), "gradings"),
    ("grading evidence too long", draft(gradings={"{domain}": {"evidence": LONG}}), "gradings"),
    ("grading not an object", draft(gradings={"{domain}": "good"}), "gradings"),
    ("answers a list", draft(answers=[1]), "answers"),
    ("answer key not an id", draft(answers={"q": {"value": "yes"}}), "answers"),
    ("answer comment too long", draft(answers={"{question}": {"comment": LONG}}), "answers"),
    ("answer not an object", draft(answers={"{question}": "yes"}), "answers"),
    ("actions an object", draft(actions={"text": "x"}), "actions"),
    ("action text too long", draft(actions=[{"text": LONG}]), "actions"),
    ("action owner not an id", draft(actions=[{"suggested_owner_id": "tom"}]), "actions"),
    ("action date not a day", draft(actions=[{"suggested_due": "2026-02-30"}]), "actions"),
    ("actions too many", draft(actions=[{"text": "x"}] * 101), "actions"),
    ("grading for another domain", draft(gradings={"999999": {"grade": "good"}}), "gradings"),
    ("answer to another question", draft(answers={"999999": {"value": "yes"}}), "answers"),
]

#: an action's update (POST /api/actions/{action}/updates/, the team manager)
UPDATE = [
    ("kind missing", {"note": "Done"}, "kind"),
    ("kind unknown", {"kind": "cancelled", "note": "x"}, "kind"),
    ("kind a number", {"kind": 1, "note": "x"}, "kind"),
    ("kind null", {"kind": None, "note": "x"}, "kind"),
    ("date not a day", {"kind": "completed", "happened_on": "2026-02-30"}, "happened_on"),
    ("date words", {"kind": "completed", "happened_on": "yesterday"}, "happened_on"),
    ("date year 10000", {"kind": "completed", "happened_on": "10000-01-01"}, "happened_on"),
    ("date in the future", {"kind": "completed", "happened_on": "2099-01-01"}, "happened_on"),
    ("note too long", {"kind": "note", "note": LONG}, "note"),
    ("note an object", {"kind": "note", "note": {"a": 1}}, "note"),
    ("note missing for a note", {"kind": "note"}, "note"),
]

#: filters and parameters (GET, the QA Lead)
QUERIES = [
    ("/api/audits/", {"month": "2026-13-01"}, "month"),
    ("/api/audits/", {"completed_on_after": "yesterday"}, "completed_on_after"),
    ("/api/audits/", {"completed_on_before": "2026-02-30"}, "completed_on_before"),
    ("/api/audits/", {"team": "abc"}, "team"),
    ("/api/audits/", {"team": "-1"}, "team"),
    ("/api/audits/", {"status": "finished"}, "status"),
    ("/api/audits/", {"audit_type": "deep_dive"}, "audit_type"),
    ("/api/audits/", {"page_size": "0"}, "page_size"),
    ("/api/audits/", {"page_size": "1000"}, "page_size"),
    ("/api/actions/", {"raised": "2026-99-01"}, "raised"),
    ("/api/v1/reports/summary/", {}, "start"),
    ("/api/v1/reports/summary/", {"start": "2026-04-01"}, "end"),
    ("/api/v1/reports/summary/", {"start": "01/04/2026", "end": "2026-06-30"}, "start"),
    ("/api/v1/reports/summary/", {"start": "2026-07-01", "end": "2026-06-30"}, "end"),
    ("/api/v1/reports/summary/", {"start": "2020-01-01", "end": "2026-06-30"}, "end"),
    ("/api/v1/reports/summary/", {"start": "2026-04-01", "end": "2026-02-30"}, "end"),
    (
        "/api/v1/reports/summary/",
        {"start": "2026-04-01", "end": "2026-06-30", "service_area": "abc"},
        "service_area",
    ),
    (
        "/api/v1/reports/summary/",
        {"start": "2026-04-01", "end": "2026-06-30", "team": "999999999"},
        "team",
    ),
    ("/api/v1/reports/", {"kind": "monthly"}, "kind"),
    ("/api/v1/reports/", {"status": "lost"}, "status"),
    ("/api/moderation/statistics/", {"period": "decade"}, "period"),
    ("/api/moderation/statistics/", {"period": "month", "number": "13"}, "number"),
    ("/api/moderation/statistics/", {"period": "quarter", "number": "5"}, "number"),
    ("/api/moderation/statistics/", {"year": "twenty"}, "year"),
    ("/api/feedback/figures/", {"start": "2026-04-01", "end": "2026-03-01"}, "end"),
    ("/api/feedback/figures/", {"start": "soon", "end": "2026-03-01"}, "start"),
]


def fill(value, slots):
    if isinstance(value, str) and value.startswith("{") and value.endswith("}"):
        return slots.get(value[1:-1], value)
    if isinstance(value, dict):
        return {fill(key, slots): fill(item, slots) for key, item in value.items()}
    if isinstance(value, list):
        return [fill(item, slots) for item in value]
    return value


@pytest.fixture
def slots(every_kind):
    draft_audit = every_kind.draft
    section = draft_audit.template.sections.filter(domain__isnull=False).first()
    question = draft_audit.template.sections.filter(questions__isnull=False).first()
    month = every_kind.accepted.month
    return {
        "child_ref": every_kind.loop.first.child.case_reference,
        "template": draft_audit.template_id,
        "next_month": f"{month.year + (month.month == 12)}-{month.month % 12 + 1:02d}",
        "lock_version": draft_audit.lock_version,
        "domain": str(section.domain_id),
        "question": str(question.questions.first().pk),
    }


def refused(response, field):
    assert response.status_code in (400, 409), (response.status_code, response.content[:300])
    body = response.json()
    assert field in body, body
    messages = body[field]
    assert messages and all(str(message).strip() for message in _flatten(messages)), body


def _flatten(value):
    if isinstance(value, dict):
        for item in value.values():
            yield from _flatten(item)
    elif isinstance(value, list):
        for item in value:
            yield from _flatten(item)
    else:
        yield value


@pytest.mark.parametrize("name, body, field", CREATE, ids=[c[0] for c in CREATE])
def test_a_bad_ad_hoc_allocation_is_refused_and_changes_nothing(
    client, org, every_kind, slots, name, body, field
):
    client.force_login(org.users["qa_lead"])
    before = checksum()
    refused(client.post("/api/audits/", fill(body, slots), content_type="application/json"), field)
    assert checksum() == before


@pytest.mark.parametrize("name, body, field", DRAFT, ids=[c[0] for c in DRAFT])
def test_a_bad_draft_is_refused_and_changes_nothing(
    client, org, every_kind, slots, name, body, field
):
    client.force_login(every_kind.walker)
    before = checksum()
    path = f"/api/audits/{every_kind.draft.pk}/"
    refused(client.patch(path, fill(body, slots), content_type="application/json"), field)
    assert checksum() == before


@pytest.mark.parametrize("name, body, field", UPDATE, ids=[c[0] for c in UPDATE])
def test_a_bad_action_update_is_refused_and_changes_nothing(
    client, org, every_kind, name, body, field
):
    client.force_login(org.users["team_manager"])
    before = checksum()
    path = f"/api/actions/{every_kind.action.pk}/updates/"
    refused(client.post(path, body, content_type="application/json"), field)
    assert checksum() == before


@pytest.mark.parametrize(
    "path, query, field", QUERIES, ids=[f"{q[0]} {sorted(q[1].items())}" for q in QUERIES]
)
def test_a_bad_filter_is_refused_by_name(client, org, every_kind, path, query, field):
    client.force_login(org.users["qa_lead"])
    before = checksum()
    refused(client.get(path, query), field)
    assert checksum() == before


#: a family's answers on their one-use link's page (no sign-in)
FAMILY = [
    ("nothing answered", {}, "Answer at least one question, or write something in the box"),
    ("only blanks", {"comments": "   "}, "Answer at least one question"),
    ("an answer not offered", {"listened": "definitely"}, "Choose one of the answers"),
    ("an answer in capitals", {"listened": "YES"}, "Choose one of the answers"),
    ("a score of 11", {"score": "11"}, "Choose a number from 0 to 10"),
    ("a score below 0", {"score": "-1"}, "Choose a number from 0 to 10"),
    ("a score in words", {"score": "ten"}, "Choose a number from 0 to 10"),
    ("a score with a fraction", {"score": "7.5"}, "Choose a number from 0 to 10"),
    ("comments too long", {"comments": "x" * 5001}, "Please write 5000 characters or fewer"),
    ("consent neither", {"listened": "yes", "consent": "maybe"}, "Choose yes or no"),
    (
        "respondent unknown",
        {"listened": "yes", "respondent": "neighbour"},
        "Choose one of the answers",
    ),
    ("an answer as script", {"understood": SCRIPT}, "Choose one of the answers"),
]


@pytest.mark.parametrize("name, data, message", FAMILY, ids=[c[0] for c in FAMILY])
def test_a_familys_bad_answer_is_named_and_keeps_the_link(client, every_kind, name, data, message):
    before = checksum()
    response = client.post(f"/your-say/{every_kind.family_link.token}/", data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page
    assert message.replace("'", "&#x27;") in page
    assert SCRIPT not in page
    assert checksum() == before
