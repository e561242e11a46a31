"""Personal API tokens: created and revoked by their owner, checked on each request.

A token is ``qa_`` and 43 random URL-safe characters (256 bits). Only its SHA-256 digest
is stored: a token too long to guess needs no slow hash, and the digest finds it with one
indexed query. A token reads (GET, HEAD, OPTIONS) what its owner may read through the API
and the audit-level CSV download; it signs in no session and changes nothing. It stops
working when it expires, when it is revoked, and when its owner's account is
deactivated. Creating and revoking one is an access change, on the QA Lead's Access
changes page.

The API takes it as ``Authorization: Bearer <token>``; see docs/power-bi.md.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import secrets

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from .models import AccessKind, ApiToken, User
from .services import access_change_record

PREFIX = "qa_"
#: how long a new token may last, in days; the form offers these
LIFETIMES = (30, 90, 180, 365)
DEFAULT_LIFETIME = 90
#: a token's last use is written at most this often
LAST_USED_EVERY = datetime.timedelta(minutes=5)
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")

UNKNOWN = "This API token is not known: check that it was copied whole."
REVOKED = "This API token was revoked on {day}: create a new one on Your API tokens."
EXPIRED = "This API token expired on {day}: create a new one on Your API tokens."
INACTIVE = "The account this API token belongs to is no longer active."
NOT_ALLOWED = "The account this API token belongs to no longer has a role that reads the API."
READ_ONLY = "An API token can only read: sign in to make changes."
NAME_MISSING = "Enter what the token is for, like Power BI quarterly dashboard"
NAME_TOO_LONG = "The name must be 100 characters or fewer"
LIFETIME_UNKNOWN = "Choose how long the token lasts"


class TokenRefused(Exception):
    """The token cannot be used, and why, in words for its owner."""


def digest_of(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def _day(moment: datetime.datetime) -> str:
    return f"{timezone.localtime(moment):%-d %B %Y %H:%M}"


def token_create(*, user: User, name: str, days: int) -> tuple[ApiToken, str]:
    """A new token for ``user``, and the token itself: the only time it is known."""
    if not user.has_perm("accounts.use_api_tokens"):
        raise PermissionDenied
    name = (name or "").strip()
    errors = {}
    if not name:
        errors["name"] = NAME_MISSING
    elif len(name) > 100:
        errors["name"] = NAME_TOO_LONG
    if days not in LIFETIMES:
        errors["days"] = LIFETIME_UNKNOWN
    if errors:
        raise ValidationError(errors)
    raw = PREFIX + secrets.token_urlsafe(32)
    now = timezone.now()
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user,
            name=name,
            prefix=raw[: len(PREFIX) + 5],
            digest=digest_of(raw),
            created_at=now,
            expires_at=now + datetime.timedelta(days=days),
        )
        access_change_record(
            person=user,
            kind=AccessKind.API_TOKEN,
            subject=name,
            before="",
            after=f"Created {token.prefix}…, until {_day(token.expires_at)}",
            by=user,
        )
    return token, raw


def token_revoke(*, token: ApiToken, by: User) -> ApiToken:
    """Stop the token working at once; revoking it again changes nothing."""
    if token.user_id != by.pk:
        raise PermissionDenied
    with transaction.atomic():
        locked = ApiToken.objects.select_for_update().get(pk=token.pk)
        if locked.revoked_at is not None:
            return locked
        locked.revoked_at = timezone.now()
        locked.save(update_fields=["revoked_at"])
        access_change_record(
            person=by,
            kind=AccessKind.API_TOKEN,
            subject=locked.name,
            before=f"{locked.prefix}…",
            after="Revoked",
            by=by,
        )
    return locked


def token_user(raw: str, *, now: datetime.datetime | None = None) -> tuple[User, ApiToken]:
    """The active user a token belongs to, or TokenRefused saying why not. Notes the
    token's use (at most every few minutes)."""
    now = now or timezone.now()
    token = (
        ApiToken.objects.select_related("user").filter(digest=digest_of(raw.strip())).first()
        if raw and raw.strip().startswith(PREFIX)
        else None
    )
    if token is None:
        raise TokenRefused(UNKNOWN)
    if token.revoked_at is not None:
        raise TokenRefused(REVOKED.format(day=_day(token.revoked_at)))
    if now >= token.expires_at:
        raise TokenRefused(EXPIRED.format(day=_day(token.expires_at)))
    if not token.user.is_active:
        raise TokenRefused(INACTIVE)
    if not token.user.has_perm("accounts.use_api_tokens"):
        raise TokenRefused(NOT_ALLOWED)
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user, token


def bearer_of(request) -> str | None:
    """The token in an ``Authorization: Bearer`` header, or None when there is none."""
    header = request.META.get("HTTP_AUTHORIZATION", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "bearer":
        return None
    return value.strip()


class TokenNotAccepted(exceptions.APIException):
    """401 with the reason: DRF would answer 403 to AuthenticationFailed here, since the
    first authentication (the session's) asks for no credentials."""

    status_code = 401
    default_code = "token_not_accepted"
    auth_header = 'Bearer realm="api"'


class ApiTokenAuthentication(authentication.BaseAuthentication):
    """``Authorization: Bearer <token>`` for the API: read-only, as its owner."""

    def authenticate(self, request):
        raw = bearer_of(request)
        if raw is None:
            return None
        try:
            user, token = token_user(raw)
        except TokenRefused as refused:
            raise TokenNotAccepted(str(refused)) from None
        if request.method not in SAFE_METHODS:
            raise exceptions.PermissionDenied(READ_ONLY)
        return user, token

    def authenticate_header(self, request):
        return 'Bearer realm="api"'


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = ApiTokenAuthentication
    name = "apiToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A personal API token from Your API tokens (read-only).",
        }


def token_or_login_required(view):
    """A download that Power BI may fetch with a token: ``Authorization: Bearer`` is
    checked (401 saying why when refused, read-only), otherwise a signed-in session is
    needed as for any page."""
    signed_in = login_required(view)

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        raw = bearer_of(request)
        if raw is None:
            return signed_in(request, *args, **kwargs)
        try:
            request.user, _ = token_user(raw)
        except TokenRefused as refused:
            response = HttpResponse(
                f"{refused}\n", status=401, content_type="text/plain; charset=utf-8"
            )
            response["WWW-Authenticate"] = 'Bearer realm="api"'
            return response
        if request.method not in SAFE_METHODS:
            return HttpResponse(
                f"{READ_ONLY}\n", status=403, content_type="text/plain; charset=utf-8"
            )
        return view(request, *args, **kwargs)

    return wrapped
