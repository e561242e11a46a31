"""Pausing sign-in after repeated wrong passwords, the same for the sign-in page and the API.

django-axes counts failures per account and client address (AXES_LOCKOUT_PARAMETERS).
The sign-in form hands axes the email address as ``username``; Django REST framework's
HTTP Basic authentication hands it as ``email`` (the user model's USERNAME_FIELD), which
axes does not read by itself: every Basic failure was counted against an empty username,
so five of them locked out every Basic client on that address. ``lockout_username``
reads either, so a wrong password counts toward the same account's lockout whichever
way it was typed, and only that account is paused.

While an account is paused, the API answers 429 with a JSON ``detail`` (ACCOUNT_LOCKED)
and a ``Retry-After`` header instead of the usual 401.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from drf_spectacular.authentication import BasicScheme
from rest_framework import authentication, exceptions, status

ACCOUNT_LOCKED = (
    "Too many wrong passwords for this account from your address: signing in is paused. "
    "Try again in {minutes} minutes, or reset your password."
)


def lockout_username(request, credentials=None) -> str | None:
    """The email address axes counts a sign-in attempt against, in lower case (sign-in
    ignores case)."""
    credentials = credentials or {}
    value = credentials.get("username") or credentials.get(get_user_model().USERNAME_FIELD)
    if value is None and request is not None:
        value = request.POST.get(settings.AXES_USERNAME_FORM_FIELD)
    if not isinstance(value, str):
        return value
    return value.strip().lower()


def no_password_given(request, credentials=None) -> bool:
    """Attempts without a password (single sign-on's callback) are not wrong passwords:
    axes neither counts nor pauses them, or a few refused sign-ins from one council
    office would pause single sign-on for everyone there."""
    return not (credentials or {}).get("password")


def cool_off_minutes() -> int:
    return int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)


class AccountLockedOut(exceptions.APIException):
    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_code = "account_locked"

    def __init__(self):
        super().__init__(ACCOUNT_LOCKED.format(minutes=cool_off_minutes()))
        # DRF's exception handler turns ``wait`` into a Retry-After header.
        self.wait = int(settings.AXES_COOLOFF_TIME.total_seconds())


class PasswordBackend(ModelBackend):
    """Django's email and password sign-in, while passwords are allowed
    (``accounts.oidc.password_sign_in``): the one place the sign-in page, the admin's
    sign-in and HTTP Basic for the API are all refused when single sign-on is the only
    way in."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        from .oidc import password_sign_in

        if not password_sign_in():
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


class BasicAuthentication(authentication.BasicAuthentication):
    """HTTP Basic authentication that says so when the account is paused; none when
    password sign-in is switched off (single sign-on only)."""

    def authenticate(self, request):
        from .oidc import password_sign_in

        if not password_sign_in():
            return None
        return super().authenticate(request)

    def authenticate_credentials(self, userid, password, request=None):
        try:
            return super().authenticate_credentials(userid, password, request)
        except exceptions.AuthenticationFailed:
            # axes flags the request it was given (DRF's) when the account is paused.
            if request is not None and getattr(request, "axes_locked_out", False):
                raise AccountLockedOut() from None
            raise


class LockoutBasicScheme(BasicScheme):
    """The OpenAPI schema describes it as plain HTTP Basic."""

    target_class = BasicAuthentication
