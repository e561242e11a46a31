from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from common.forms import apply_errors

from . import oidc, selectors, tokens
from .forms import (
    AccessChangeFilterForm,
    ApiTokenForm,
    NewPasswordForm,
    PasswordResetRequestForm,
    SignInForm,
)
from .models import ApiToken, ServiceArea

SESSION_EXPIRED = (
    "You were signed out because you did not do anything for {minutes} minutes. "
    "Sign in again to continue. Your drafts were saved."
)


PASSWORD_SIGN_IN_OFF = "Sign in with {provider}: signing in with a password is switched off"


class PasswordsOnly:
    """A page for password sign-in and reset: gone when passwords are switched off."""

    def dispatch(self, request, *args, **kwargs):
        if not oidc.password_sign_in():
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class SignInView(auth_views.LoginView):
    form_class = SignInForm
    template_name = "accounts/sign_in.html"
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        if not oidc.password_sign_in():
            form = self.get_form()
            form.errors.clear()
            form.add_error(None, PASSWORD_SIGN_IN_OFF.format(provider=settings.SSO_PROVIDER_NAME))
            return self.render_to_response(self.get_context_data(form=form), status=400)
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["sso"] = settings.SSO_ENABLED
        context["sso_provider"] = settings.SSO_PROVIDER_NAME
        context["password_sign_in"] = oidc.password_sign_in()
        if self.request.method == "GET" and getattr(self.request, "session_expired", False):
            context["session_expired_message"] = SESSION_EXPIRED.format(
                minutes=settings.SESSION_IDLE_MINUTES
            )
            self.request.clear_signed_in_marker = True
        return context


class SignOutView(auth_views.LogoutView):
    template_name = "accounts/signed_out.html"
    next_page = None

    def post(self, request, *args, **kwargs):
        request.clear_signed_in_marker = True
        with_sso = request.session.get("signed_in_with_sso", False)
        response = super().post(request, *args, **kwargs)
        if with_sso and settings.OIDC_OP_LOGOUT_ENDPOINT:
            # Signed out of the organisation's sign-in too, then back to our page.
            back = request.build_absolute_uri(reverse("accounts:signed_out"))
            query = urlencode({"post_logout_redirect_uri": back})
            return redirect(f"{settings.OIDC_OP_LOGOUT_ENDPOINT}?{query}")
        return response


@require_GET
def signed_out(request):
    """Where the organisation's sign-in sends people back after signing them out."""
    return render(request, "accounts/signed_out.html")


@require_GET
def sso_refused(request):
    """Where single sign-on sends someone it could not sign in: why, and what to do."""
    if not settings.SSO_ENABLED:
        raise Http404
    message = request.session.pop(oidc.REFUSED, None) or (
        "Signing in did not finish. Try again; if it fails again, tell your administrator."
    )
    return render(
        request,
        "accounts/sso_refused.html",
        {"message": message, "sso_provider": settings.SSO_PROVIDER_NAME},
        status=403,
    )


class PasswordResetView(PasswordsOnly, auth_views.PasswordResetView):
    form_class = PasswordResetRequestForm
    template_name = "accounts/password_reset.html"
    email_template_name = "emails/password-reset-body-text.html"
    html_email_template_name = "emails/password-reset-body-html.html"
    subject_template_name = "emails/password-reset-subject.html"
    success_url = reverse_lazy("accounts:password_reset_done")
    extra_email_context = {"service_name": settings.SERVICE_NAME, "site_url": settings.SITE_URL}


class PasswordResetDoneView(PasswordsOnly, auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(PasswordsOnly, auth_views.PasswordResetConfirmView):
    form_class = NewPasswordForm
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


class PasswordResetCompleteView(PasswordsOnly, auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


@login_required
@require_GET
def organisation(request):
    if not request.user.has_perm("accounts.view_organisation"):
        raise PermissionDenied
    return render(
        request,
        "accounts/organisation.html",
        {"service_areas": selectors.organisation_overview(request.user)},
    )


def _get_team_for_user(user, pk):
    """The team, if this user may see it; 404 otherwise, so its existence is not revealed."""
    team = get_object_or_404(selectors.teams_visible_to(user), pk=pk)
    if not user.has_perm("accounts.view_team_detail", team):
        raise PermissionDenied
    return team


@login_required
@require_GET
def team_detail(request, pk):
    team = _get_team_for_user(request.user, pk)
    return render(
        request,
        "accounts/team_detail.html",
        {"team": team, "members": selectors.team_members(team)},
    )


@login_required
@require_GET
def service_area_detail(request, pk):
    area = get_object_or_404(selectors.service_areas_visible_to(request.user), pk=pk)
    if not request.user.has_perm("accounts.view_service_area_detail", area):
        raise PermissionDenied
    teams = (
        selectors.teams_visible_to(request.user)
        .filter(service_area=area, is_active=True)
        .order_by("name")
    )
    return render(
        request, "accounts/service_area_detail.html", {"service_area": area, "teams": teams}
    )


ACCESS_CHANGES_PAGE_SIZE = 50


@login_required
@require_GET
def access_changes(request):
    """Who was given or lost which roles and links to cases, by whom and when."""
    if not request.user.has_perm("accounts.view_access_changes"):
        raise PermissionDenied
    filtering = any(request.GET.get(name) for name in ("person", "since", "until"))
    form = AccessChangeFilterForm(request.GET if filtering else None)
    if form.is_bound and not form.is_valid():
        changes = selectors.access_changes().none()
    else:
        filters = form.cleaned_data if form.is_bound else {}
        changes = selectors.access_changes(
            person=filters.get("person"), since=filters.get("since"), until=filters.get("until")
        )
    page = Paginator(changes, ACCESS_CHANGES_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "accounts/access_changes.html",
        {"form": form, "page": page, "filtering": filtering, "query": query.urlencode()},
    )


# Personal API tokens ----------------------------------------------------------------

#: the session key holding a token just created, until the page shows it once
NEW_TOKEN = "new_api_token"


def _tokens_page(request, form, created=None, raw=None, status=200):
    now = timezone.now()
    return render(
        request,
        "accounts/api_tokens.html",
        {
            "form": form,
            "tokens": [(token, token.state(now)) for token in request.user.api_tokens.all()],
            "created": created,
            "raw_token": raw,
        },
        status=status,
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def api_tokens(request):
    """The person's own tokens: create one (shown once, on this answer only), see when
    each was last used, revoke one."""
    may_create = request.user.has_perm("accounts.use_api_tokens")
    if not may_create and not request.user.api_tokens.exists():
        raise PermissionDenied
    if request.method == "GET":
        new = request.session.pop(NEW_TOKEN, None)
        created = request.user.api_tokens.filter(pk=new["id"]).first() if new else None
        return _tokens_page(
            request,
            ApiTokenForm() if may_create else None,
            created=created,
            raw=new["raw"] if created else None,
        )
    if not may_create:
        raise PermissionDenied
    form = ApiTokenForm(request.POST)
    if form.is_valid():
        try:
            token, raw = tokens.token_create(
                user=request.user, name=form.cleaned_data["name"], days=form.cleaned_data["days"]
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            # Shown once, on the page this redirects to: a reload makes no second token.
            request.session[NEW_TOKEN] = {"id": token.pk, "raw": raw}
            return redirect("accounts:api_tokens")
    return _tokens_page(request, form, status=400)


@login_required
@require_POST
def api_token_revoke(request, pk: int):
    """The owner revokes their token, whatever their roles now."""
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    tokens.token_revoke(token=token, by=request.user)
    messages.success(request, f"The token {token.name} was revoked: it no longer works.")
    return redirect("accounts:api_tokens")


__all__ = ["ServiceArea"]
