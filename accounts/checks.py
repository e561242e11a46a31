"""Single sign-on set up wrongly is said at start-up (``manage.py check``, ``migrate``,
the web server), not when the first person signs in."""

from django.conf import settings
from django.core.checks import Error, register
from django.core.exceptions import ImproperlyConfigured

NEEDED = {
    "OIDC_RP_CLIENT_SECRET": "OIDC_CLIENT_SECRET",
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "OIDC_AUTHORIZATION_ENDPOINT (or OIDC_TENANT_ID)",
    "OIDC_OP_TOKEN_ENDPOINT": "OIDC_TOKEN_ENDPOINT (or OIDC_TENANT_ID)",
    "OIDC_OP_JWKS_ENDPOINT": "OIDC_JWKS_ENDPOINT (or OIDC_TENANT_ID)",
    "OIDC_OP_USER_ENDPOINT": "OIDC_USERINFO_ENDPOINT (or OIDC_TENANT_ID)",
}


@register()
def single_sign_on(app_configs, **kwargs):
    from .oidc import role_groups

    if not settings.SSO_ENABLED:
        return []
    errors = [
        Error(
            f"Single sign-on is on (OIDC_CLIENT_ID) but {variable} is not set.", id="accounts.E001"
        )
        for name, variable in NEEDED.items()
        if not getattr(settings, name, "")
    ]
    try:
        role_groups()
    except ImproperlyConfigured as error:
        errors.append(Error(str(error), id="accounts.E002"))
    return errors
