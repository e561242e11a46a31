"""Single sign-on with OpenID Connect against a stand-in provider started by the test
(tests/accounts/oidc_provider.py): the whole authorization code flow with PKCE over real
HTTP, the ID token's signature checked against the provider's keys."""

import base64
from urllib.parse import parse_qs, urlparse

import pytest
import requests
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from django.utils.html import escape

from accounts import oidc
from accounts.models import AccessChange, AccessKind, Role, User
from tests.factories import UserFactory

from .oidc_provider import Provider

pytestmark = pytest.mark.django_db

BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "accounts.oidc.CouncilOIDCBackend",
    "rules.permissions.ObjectPermissionBackend",
    "accounts.lockout.PasswordBackend",
]


@pytest.fixture
def provider(settings):
    stand_in = Provider()
    for name, value in stand_in.settings().items():
        setattr(settings, name, value)
    settings.AUTHENTICATION_BACKENDS = BACKENDS
    settings.OIDC_ROLE_GROUPS = ""
    yield stand_in
    stand_in.stop()


def sign_in(client, provider, claims, *, start_query=""):
    """What a browser does: our start page, the provider's sign-in, back to our
    callback. Returns the callback's answer."""
    provider.person = claims
    start = client.get(reverse("accounts:sso_start") + start_query)
    assert start.status_code == 302, start
    assert start["Location"].startswith(f"{provider.url}/authorize?")
    sent = parse_qs(urlparse(start["Location"]).query)
    assert sent["code_challenge_method"] == ["S256"] and sent["nonce"]
    at_provider = requests.get(start["Location"], allow_redirects=False, timeout=10)
    back = urlparse(at_provider.headers["Location"])
    assert back.path == reverse("accounts:sso_callback")
    return client.get(f"{back.path}?{back.query}")


def signed_in_user(client):
    return client.get(reverse("home")).wsgi_request.user


def test_a_person_signs_in_with_their_council_account(client, provider, org):
    leader = org.users["leader"]
    response = sign_in(client, provider, {"email": leader.email.upper(), "name": "L"})
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert signed_in_user(client) == leader
    assert ("POST", "/token") in provider.requests and ("GET", "/keys") in provider.requests


def test_entras_sign_in_name_is_used_when_there_is_no_email_claim(client, provider, org):
    auditor = org.users["auditor"]
    sign_in(client, provider, {"preferred_username": auditor.email})
    assert signed_in_user(client) == auditor


def test_the_page_asked_for_is_where_they_land(client, provider, org):
    response = sign_in(
        client, provider, {"email": org.users["qa_lead"].email}, start_query="?next=/reports/"
    )
    assert response["Location"] == "/reports/"


def refusal(client, response):
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:sso_refused")
    page = client.get(response["Location"])
    assert page.status_code == 403
    assert not signed_in_user(client).is_authenticated
    return page.content.decode()


def test_an_unknown_person_is_refused_with_a_clear_page_and_nobody_is_created(
    client, provider, org
):
    people = User.objects.count()
    page = refusal(client, sign_in(client, provider, {"email": "stranger@council.example"}))
    assert oidc.NO_ACCOUNT.format(email="stranger@council.example") in page
    assert "You could not be signed in" in page
    assert User.objects.count() == people


def test_a_closed_account_is_refused(client, provider, org):
    leaver = UserFactory(email="leaver@council.example", roles=[Role.AUDITOR], is_active=False)
    page = refusal(client, sign_in(client, provider, {"email": leaver.email}))
    assert oidc.CLOSED.format(email="leaver@council.example") in page


def test_no_email_at_all_is_refused_with_why(client, provider, org):
    page = refusal(client, sign_in(client, provider, {"name": "Someone"}))
    assert escape(oidc.NO_EMAIL) in page


def test_a_callback_not_started_here_signs_nobody_in(client, provider, org):
    response = client.get(reverse("accounts:sso_callback"), {"code": "made-up", "state": "x"})
    assert response.status_code in (302, 400)
    assert not signed_in_user(client).is_authenticated


def test_groups_set_the_roles_they_name_and_leave_the_others(client, provider, settings, org):
    settings.OIDC_ROLE_GROUPS = "g-qa = qa_lead, g-leaders=leader"
    person = UserFactory(email="pat@council.example", roles=[Role.AUDITOR, Role.LEADER])
    sign_in(client, provider, {"email": person.email, "groups": ["g-qa", "g-other"]})
    person.refresh_from_db()
    assert set(person.role_assignments.values_list("role", flat=True)) == {
        Role.AUDITOR,  # not named in the mapping: as set in the product
        Role.QA_LEAD,  # in g-qa
    }  # leader removed: named, and not among the groups
    change = AccessChange.objects.get(person=person, kind=AccessKind.ROLES)
    assert change.changed_by is None and change.changed_by_name == oidc.GROUPS_SOURCE
    assert change.before == "Auditor, Leader" and change.after == "Auditor, QA Lead"

    client.post(reverse("accounts:logout"))
    sign_in(client, provider, {"email": person.email, "groups": ["g-qa"]})
    assert AccessChange.objects.filter(person=person, kind=AccessKind.ROLES).count() == 1


def test_without_a_mapping_roles_stay_as_set_in_the_product(client, provider, org):
    leader = org.users["leader"]
    sign_in(client, provider, {"email": leader.email, "groups": ["g-qa"]})
    assert leader.role_assignments.get().role == Role.LEADER
    assert not AccessChange.objects.exists()


@pytest.mark.parametrize("text", ["g-qa", "g-qa=chief", "=leader", "g-qa=leader,oops"])
def test_a_wrong_group_mapping_says_what_is_wrong(text):
    with pytest.raises(ImproperlyConfigured, match="OIDC_ROLE_GROUPS"):
        oidc.role_groups(text)


def test_the_mapping_is_read_as_written():
    assert oidc.role_groups(" a=qa_lead ,b=leader,") == {"a": "qa_lead", "b": "leader"}
    assert oidc.role_groups("") == {}


def test_signing_out_signs_out_of_the_organisations_sign_in_too(client, provider, org):
    sign_in(client, provider, {"email": org.users["leader"].email})
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    location = urlparse(response["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == f"{provider.url}/logout"
    assert parse_qs(location.query)["post_logout_redirect_uri"] == [
        "http://testserver" + reverse("accounts:signed_out")
    ]
    assert not signed_in_user(client).is_authenticated
    assert "You have signed out" in client.get(reverse("accounts:signed_out")).content.decode()


def test_a_password_sign_in_signs_out_here_only(client, provider, org):
    client.force_login(org.users["leader"])
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 200 and "You have signed out" in response.content.decode()


def test_the_sign_in_page_offers_both_until_passwords_are_switched_off(
    client, provider, settings, org
):
    page = client.get(reverse("accounts:login")).content.decode()
    assert "Sign in with Microsoft" in page and 'name="password"' in page

    settings.PASSWORD_SIGN_IN = False
    page = client.get(reverse("accounts:login")).content.decode()
    assert "Sign in with Microsoft" in page and 'name="password"' not in page
    assert "I have forgotten my password" not in page


def test_with_passwords_switched_off_no_password_signs_anyone_in(client, provider, settings, org):
    settings.PASSWORD_SIGN_IN = False
    leader = org.users["leader"]
    leader.set_password("a-good-long-password")
    leader.save()
    response = client.post(
        reverse("accounts:login"),
        {"username": leader.email, "password": "a-good-long-password"},
    )
    assert response.status_code == 400
    assert "signing in with a password is switched off" in response.content.decode()
    assert not signed_in_user(client).is_authenticated
    assert client.get(reverse("accounts:password_reset")).status_code == 404
    api = client.get(
        "/api/audits/",
        HTTP_AUTHORIZATION="Basic "
        + base64.b64encode(f"{leader.email}:a-good-long-password".encode()).decode(),
    )
    assert api.status_code == 403

    settings.PASSWORD_SIGN_IN = True  # the same password works when they are allowed
    assert (
        client.get(
            "/api/audits/", HTTP_AUTHORIZATION=api.wsgi_request.META["HTTP_AUTHORIZATION"]
        ).status_code
        == 200
    )


def test_without_single_sign_on_its_pages_do_not_exist(client, org):
    for name in ("accounts:sso_start", "accounts:sso_callback", "accounts:sso_refused"):
        assert client.get(reverse(name)).status_code == 404, name
    page = client.get(reverse("accounts:login")).content.decode()
    assert "Sign in with" not in page and 'name="password"' in page


def test_single_sign_on_set_up_wrongly_is_said_at_start_up(provider, settings):
    from accounts.checks import single_sign_on

    assert single_sign_on(None) == []
    settings.OIDC_RP_CLIENT_SECRET = ""
    settings.OIDC_ROLE_GROUPS = "g-qa=chief"
    errors = single_sign_on(None)
    assert [error.id for error in errors] == ["accounts.E001", "accounts.E002"]
    assert "OIDC_CLIENT_SECRET is not set" in errors[0].msg
    assert "'g-qa=chief' is not group=role" in errors[1].msg
    settings.SSO_ENABLED = False
    assert single_sign_on(None) == []


def test_with_passwords_switched_off_the_admin_takes_no_password_either(
    client, provider, settings, org
):
    settings.PASSWORD_SIGN_IN = False
    admin = UserFactory(email="root@council.example", is_superuser=True, is_staff=True)
    admin.set_password("a-good-long-password")
    admin.save()
    client.post("/admin/login/", {"username": admin.email, "password": "a-good-long-password"})
    assert not signed_in_user(client).is_authenticated
    settings.PASSWORD_SIGN_IN = True
    client.post("/admin/login/", {"username": admin.email, "password": "a-good-long-password"})
    assert signed_in_user(client) == admin


def test_refused_sign_ins_never_pause_single_sign_on_for_the_office(client, provider, org):
    for n in range(8):  # more than AXES_FAILURE_LIMIT, from the same address
        refusal(client, sign_in(client, provider, {"email": f"stranger{n}@council.example"}))
    leader = org.users["leader"]
    sign_in(client, provider, {"email": leader.email})
    assert signed_in_user(client) == leader


def test_without_a_list_of_groups_roles_are_left_alone(client, provider, settings, org):
    settings.OIDC_ROLE_GROUPS = "g-qa=qa_lead,g-leaders=leader"
    leader = org.users["leader"]
    sign_in(
        client,
        provider,
        {"email": leader.email, "_claim_names": {"groups": "src1"}, "_claim_sources": {}},
    )
    assert signed_in_user(client) == leader
    assert leader.role_assignments.get().role == Role.LEADER
    assert not AccessChange.objects.exists()


def test_an_account_of_another_tenant_is_refused(client, provider, settings, org):
    settings.OIDC_TENANT_ID = "our-tenant"
    leader = org.users["leader"]
    page = refusal(client, sign_in(client, provider, {"email": leader.email, "tid": "theirs"}))
    assert "another organisation" in page
    sign_in(client, provider, {"email": leader.email, "tid": "our-tenant"})
    assert signed_in_user(client) == leader
