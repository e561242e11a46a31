"""Single sign-on with OpenID Connect (Microsoft Entra ID first; any standard provider
works the same way), through mozilla-django-oidc: the authorization code flow with PKCE,
the ID token's signature checked against the provider's published keys, and its nonce.

The rules are the product's own:

- a person is matched by the email address in the ID token (``email``, else
  ``preferred_username``, Entra's sign-in name) to an existing account, ignoring case;
  nobody is created by signing in;
- an account that is closed (not active) is refused, and so is an address no account
  has; the refusal page says which, and what to do;
- when ``OIDC_ROLE_GROUPS`` maps groups to roles, the roles it names follow the person's
  groups at each sign-in (the ID token's ``groups`` claim); the others stay as set in the
  product. Each change is an access change.

Settings are in qa_audit/settings.py; docs/configuration.md explains each and the Entra
app registration.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import Http404
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from .models import Role, User
from .services import user_roles_from_groups

#: the session key the refusal page reads
REFUSED = "sso_refused"
NO_ACCOUNT = (
    "There is no account for {email}. Ask your QA Lead or an administrator to add you, "
    "with this email address."
)
CLOSED = (
    "The account for {email} is closed. Ask your QA Lead or an administrator to open it "
    "again if you still need it."
)
NO_EMAIL = (
    "Your organisation's sign-in did not give an email address, so we cannot tell who you "
    "are. Ask your IT service to include the email claim."
)
GROUPS_SOURCE = "Groups at sign-in"
OTHER_TENANT = (
    "You signed in with an account from another organisation. Sign in with your council account."
)

logger = logging.getLogger(__name__)


def password_sign_in() -> bool:
    """Whether people may sign in with a password (the sign-in form, password reset, HTTP
    Basic for the API): always without single sign-on; with it, unless PASSWORD_SIGN_IN
    is false."""
    return settings.PASSWORD_SIGN_IN or not settings.SSO_ENABLED


def role_groups(text: str | None = None) -> dict[str, str]:
    """``OIDC_ROLE_GROUPS`` as {group id: role}: ``group=role`` pairs separated by
    commas; a role is one of the product's role codes."""
    text = settings.OIDC_ROLE_GROUPS if text is None else text
    mapping = {}
    for pair in filter(None, (part.strip() for part in text.split(","))):
        group, sep, role = (item.strip() for item in pair.partition("="))
        if not sep or not group or role not in Role.values:
            raise ImproperlyConfigured(
                f"OIDC_ROLE_GROUPS: {pair!r} is not group=role with a role from "
                f"{', '.join(Role.values)}"
            )
        mapping[group] = role
    return mapping


def email_of(claims: dict) -> str:
    return (claims.get("email") or claims.get("preferred_username") or "").strip().lower()


class CouncilOIDCBackend(OIDCAuthenticationBackend):
    def get_userinfo(self, access_token, id_token, payload):
        """The ID token's claims (checked already), with the userinfo endpoint's only
        where the token carries no email address."""
        claims = dict(payload)
        if not email_of(claims):
            claims.update(super().get_userinfo(access_token, id_token, payload))
        return claims

    def verify_claims(self, claims):
        """Any verified ID token; who it is, is decided by ``filter_users_by_claims``."""
        return True

    def _refuse(self, message: str):
        self.request.session[REFUSED] = message
        return self.UserModel.objects.none()

    def filter_users_by_claims(self, claims):
        tenant = settings.OIDC_TENANT_ID
        if tenant and claims.get("tid") and claims["tid"] != tenant:
            return self._refuse(OTHER_TENANT)
        email = email_of(claims)
        if not email:
            return self._refuse(NO_EMAIL)
        users = User.objects.filter(email__iexact=email)
        user = users.first()
        if user is None:
            return self._refuse(NO_ACCOUNT.format(email=email))
        if not user.is_active:
            return self._refuse(CLOSED.format(email=email))
        return users

    def create_user(self, claims):  # never: OIDC_CREATE_USER is False; and to be sure
        return None

    def update_user(self, user, claims):
        mapping = role_groups()
        if mapping:
            groups = claims.get("groups")
            if not isinstance(groups, list) or "groups" in (claims.get("_claim_names") or {}):
                # Entra leaves the groups out when a person is in too many ("overage"):
                # their roles stay as they are rather than being taken away.
                logger.warning("sign-in without a list of groups: roles left unchanged")
                return user
            given = {mapping[group] for group in groups if group in mapping}
            user_roles_from_groups(
                person=user, managed=set(mapping.values()), given=given, source=GROUPS_SOURCE
            )
        return user


class SSOOff:
    """A page that exists only when single sign-on is configured."""

    def dispatch(self, request, *args, **kwargs):
        if not settings.SSO_ENABLED:
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class SSOStart(SSOOff, OIDCAuthenticationRequestView):
    """Sends the person to the provider's sign-in."""


class SSOCallback(SSOOff, OIDCAuthenticationCallbackView):
    """The provider sends the person back here."""

    def login_success(self):
        response = super().login_success()
        self.request.session["signed_in_with_sso"] = True
        return response
