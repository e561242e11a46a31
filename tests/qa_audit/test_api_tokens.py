"""Personal API tokens for Power BI: created and revoked by their owner on Your API tokens,
shown once, stored only as a digest, read-only, scoped to the owner, refused with 401 and
the reason when revoked, expired, unknown or the owner's account closed."""

import datetime
import hashlib

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from accounts import tokens
from accounts.models import AccessChange, AccessKind, ApiToken, Role
from audits.models import Audit
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PAGE = reverse("accounts:api_tokens")


def create(client, user, name="Power BI quarterly dashboard", days="90"):
    client.force_login(user)
    return client.post(PAGE, {"name": name, "days": days})


def make(user, days=90, name="Power BI"):
    return tokens.token_create(user=user, name=name, days=days)


def bearer(raw):
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def summary(client, raw, **extra):
    query = {"start": "2026-04-01", "end": "2027-03-31"}
    return client.get("/api/v1/reports/summary/", query, **bearer(raw), **extra)


def test_a_token_is_shown_once_and_stored_only_as_a_digest(client, org):
    leader = org.users["leader"]
    created = create(client, leader)
    assert created.status_code == 302 and created["Location"] == PAGE  # a reload makes none
    response = client.get(PAGE)
    raw = response.context["raw_token"]
    assert raw.startswith("qa_") and len(raw) == 3 + 43
    page = response.content.decode()
    assert raw in page and "This is the only time it is shown" in page
    assert "autofocus" in page  # the keyboard lands on the token
    assert (
        response["Cache-Control"].startswith("max-age=0") or "no-store" in response["Cache-Control"]
    )

    token = ApiToken.objects.get()
    assert token.user == leader and token.name == "Power BI quarterly dashboard"
    assert token.digest == hashlib.sha256(raw.encode()).hexdigest()
    assert token.prefix == raw[:8] and raw not in str(
        ApiToken.objects.values().get()
    )  # no column holds it
    assert token.expires_at == token.created_at + datetime.timedelta(days=90)

    again = client.get(PAGE).content.decode()
    assert raw not in again
    assert f"{token.prefix}…" in again and "Power BI quarterly dashboard" in again
    change = AccessChange.objects.get(kind=AccessKind.API_TOKEN)
    assert change.person == leader and change.changed_by == leader
    assert change.subject == "Power BI quarterly dashboard" and token.prefix in change.after


@pytest.mark.parametrize(
    ("name", "days", "field", "message"),
    [
        ("", "90", "name", tokens.NAME_MISSING),
        ("   ", "90", "name", tokens.NAME_MISSING),
        ("x" * 101, "90", "name", tokens.NAME_TOO_LONG),
        ("Power BI", "7", "days", tokens.LIFETIME_UNKNOWN),
        ("Power BI", "", "days", tokens.LIFETIME_UNKNOWN),
        ("Power BI", "forever", "days", tokens.LIFETIME_UNKNOWN),
        ("Power BI", "366", "days", tokens.LIFETIME_UNKNOWN),
    ],
)
def test_a_bad_request_for_a_token_is_named_and_makes_nothing(
    client, org, name, days, field, message
):
    response = create(client, org.users["qa_lead"], name=name, days=days)
    assert response.status_code == 400
    assert response.context["form"].errors[field] == [message]
    assert "There is a problem" in response.content.decode()
    assert not ApiToken.objects.exists() and not AccessChange.objects.exists()


def test_the_service_refuses_the_same_bad_requests_and_restricted_roles(org):
    with pytest.raises(tokens.ValidationError) as refused:
        make(org.users["qa_lead"], days=7, name="")
    assert refused.value.message_dict == {
        "name": [tokens.NAME_MISSING],
        "days": [tokens.LIFETIME_UNKNOWN],
    }
    dpo = UserFactory(roles=[Role.DATA_PROTECTION_OFFICER])
    for person in (org.users["ambassador"], dpo, org.users["no_role"]):
        with pytest.raises(tokens.PermissionDenied):
            make(person)
    assert not ApiToken.objects.exists()


def test_a_token_reads_the_api_as_its_owner(client, org):
    _, raw = make(org.users["leader"])
    response = summary(client, raw)
    assert response.status_code == 200, response.content
    client.force_login(org.users["leader"])
    assert (
        response.json()
        == client.get(
            "/api/v1/reports/summary/", {"start": "2026-04-01", "end": "2027-03-31"}
        ).json()
    )  # the same figures as the leader signed in


def test_a_token_signs_in_no_session(client, org):
    _, raw = make(org.users["leader"])
    assert summary(client, raw).status_code == 200
    assert "_auth_user_id" not in client.session  # no session is signed in


def test_a_token_sees_only_its_owners_scope(client, org, every_kind):
    audit = every_kind.accepted  # team A, Safeguarding
    _, inside = make(org.users["head_of_service"])
    _, outside = make(org.users["outside_head"])
    assert client.get(f"/api/audits/{audit.pk}/", **bearer(inside)).status_code == 200
    assert client.get(f"/api/audits/{audit.pk}/", **bearer(outside)).status_code == 404
    listed = client.get("/api/audits/", **bearer(outside)).json()["results"]
    assert audit.pk not in [row["id"] for row in listed]


def test_a_token_can_only_read(client, org, every_kind):
    _, raw = make(org.users["qa_lead"])
    before = Audit.objects.count()
    response = client.post(
        "/api/audits/",
        {"case_reference": "X", "auditor_email": "a@b.example"},
        content_type="application/json",
        **bearer(raw),
    )
    assert response.status_code == 403
    assert response.json()["detail"] == tokens.READ_ONLY
    assert Audit.objects.count() == before
    patch = client.patch(
        f"/api/audits/{every_kind.draft.pk}/", {}, content_type="application/json", **bearer(raw)
    )
    assert patch.status_code == 403


def refused(response, message):
    assert response.status_code == 401, response.content
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    assert response.json()["detail"] == message


def test_a_revoked_token_gets_401_with_when(client, org):
    leader = org.users["leader"]
    token, raw = make(leader)
    with time_machine.travel(datetime.datetime(2026, 11, 30, 9, 15, tzinfo=datetime.UTC)):
        tokens.token_revoke(token=token, by=leader)
    refused(summary(client, raw), tokens.REVOKED.format(day="30 November 2026 09:15"))
    assert AccessChange.objects.filter(kind=AccessKind.API_TOKEN, after="Revoked").count() == 1
    tokens.token_revoke(token=token, by=leader)  # again: nothing more
    assert AccessChange.objects.filter(kind=AccessKind.API_TOKEN, after="Revoked").count() == 1


def test_a_token_works_until_the_second_it_expires(client, org):
    with time_machine.travel(datetime.datetime(2026, 1, 5, 12, 0, tzinfo=datetime.UTC)):
        token, raw = make(org.users["leader"], days=30)
    last_second = token.expires_at - datetime.timedelta(seconds=1)
    with time_machine.travel(last_second, tick=False):
        assert summary(client, raw).status_code == 200
    with time_machine.travel(token.expires_at, tick=False):
        refused(summary(client, raw), tokens.EXPIRED.format(day="4 February 2026 12:00"))


@pytest.mark.parametrize(
    "raw",
    ["qa_not-a-token", "", "Power-BI", "qa_" + "A" * 43],
    ids=["made up", "empty", "no prefix", "right shape, unknown"],
)
def test_an_unknown_token_gets_401(client, org, raw):
    make(org.users["leader"])
    response = summary(client, raw)
    if raw:
        refused(response, tokens.UNKNOWN)
    else:
        assert response.status_code in (401, 403)


def test_a_token_stops_when_its_owners_account_is_closed(client, org):
    leader = org.users["leader"]
    _, raw = make(leader)
    leader.is_active = False
    leader.save()
    refused(summary(client, raw), tokens.INACTIVE)


def test_a_token_changed_by_one_character_is_refused(client, org):
    _, raw = make(org.users["leader"])
    changed = raw[:-1] + ("A" if raw[-1] != "A" else "B")
    refused(summary(client, changed), tokens.UNKNOWN)


def test_the_last_use_is_noted_at_most_every_five_minutes(client, org):
    token, raw = make(org.users["leader"])
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        summary(client, raw)
    token.refresh_from_db()
    assert token.last_used_at == start
    with time_machine.travel(start + tokens.LAST_USED_EVERY - datetime.timedelta(seconds=1)):
        summary(client, raw)
    token.refresh_from_db()
    assert token.last_used_at == start
    later = start + tokens.LAST_USED_EVERY
    with time_machine.travel(later, tick=False):
        summary(client, raw)
    token.refresh_from_db()
    assert token.last_used_at == later


def test_the_audit_level_csv_downloads_with_a_token(client, org, every_kind):
    leader = org.users["leader"]
    token, raw = make(leader)
    query = {"start": "2026-04-01", "end": "2027-03-31"}
    response = client.get(reverse("reporting:export_csv"), query, **bearer(raw))
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Audit reference,Month,Completed on,Team,")
    assert len(lines) == 2  # the accepted audit

    tokens.token_revoke(token=token, by=leader)
    gone = client.get(reverse("reporting:export_csv"), query, **bearer(raw))
    assert gone.status_code == 401 and gone["WWW-Authenticate"] == 'Bearer realm="api"'
    assert gone.content.decode().startswith("This API token was revoked on ")
    # No token and no session: the sign-in page, as before.
    assert client.get(reverse("reporting:export_csv"), query).status_code == 302


def test_a_token_of_someone_who_may_not_read_figures_gets_403_for_the_csv(client, org):
    _, raw = make(org.users["auditor"])
    response = client.get(
        reverse("reporting:export_csv"), {"start": "2026-04-01", "end": "2027-03-31"}, **bearer(raw)
    )
    assert response.status_code == 403


def test_only_the_owner_can_revoke_a_token(client, org):
    token, raw = make(org.users["leader"])
    client.force_login(org.users["qa_lead"])
    url = reverse("accounts:api_token_revoke", args=[token.pk])
    assert client.post(url).status_code == 404
    client.logout()
    assert summary(client, raw).status_code == 200
    client.force_login(org.users["leader"])
    response = client.post(url)
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    page = client.get(PAGE).content.decode()
    assert "Revoked" in page and "was revoked: it no longer works" in page


def test_the_api_schema_describes_bearer_tokens(client, org):
    client.force_login(org.users["qa_lead"])
    schema = client.get("/api/schema/", {"format": "json"}).json()
    assert schema["components"]["securitySchemes"]["apiToken"] == {
        "type": "http",
        "scheme": "bearer",
        "description": "A personal API token from Your API tokens (read-only).",
    }


def test_a_token_stops_when_its_owner_loses_every_role_that_reads_the_api(client, org):
    leader = org.users["leader"]
    token, raw = make(leader)
    leader.role_assignments.all().delete()
    refused(summary(client, raw), tokens.NOT_ALLOWED)
    # They can still see and revoke it, though they may not make another.
    client.force_login(leader)
    page = client.get(PAGE)
    assert page.status_code == 200 and "Create a token" not in page.content.decode()
    assert client.post(PAGE, {"name": "Again", "days": "90"}).status_code == 403
    client.post(reverse("accounts:api_token_revoke", args=[token.pk]))
    token.refresh_from_db()
    assert token.revoked_at is not None
