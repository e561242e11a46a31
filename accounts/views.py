from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render
from django.urls import reverse_lazy
from django.views.decorators.http import require_GET

from . import selectors
from .forms import NewPasswordForm, PasswordResetRequestForm, SignInForm
from .models import ServiceArea

SESSION_EXPIRED = (
    "You were signed out because you did not do anything for {minutes} minutes. "
    "Sign in again to continue. Your drafts were saved."
)


class SignInView(auth_views.LoginView):
    form_class = SignInForm
    template_name = "accounts/sign_in.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
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
        return super().post(request, *args, **kwargs)


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetRequestForm
    template_name = "accounts/password_reset.html"
    email_template_name = "emails/password-reset-body-text.html"
    html_email_template_name = "emails/password-reset-body-html.html"
    subject_template_name = "emails/password-reset-subject.html"
    success_url = reverse_lazy("accounts:password_reset_done")
    extra_email_context = {"service_name": settings.SERVICE_NAME, "site_url": settings.SITE_URL}


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = NewPasswordForm
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
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


__all__ = ["ServiceArea"]
