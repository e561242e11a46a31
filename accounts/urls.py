from django.urls import path

from . import oidc, views

app_name = "accounts"

urlpatterns = [
    path("sign-in/", views.SignInView.as_view(), name="login"),
    path("sign-out/", views.SignOutView.as_view(), name="logout"),
    path("signed-out/", views.signed_out, name="signed_out"),
    path("sso/start/", oidc.SSOStart.as_view(), name="sso_start"),
    path("sso/callback/", oidc.SSOCallback.as_view(), name="sso_callback"),
    path("sso/refused/", views.sso_refused, name="sso_refused"),
    path("password-reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password-reset/sent/",
        views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/complete/",
        views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("api-tokens/", views.api_tokens, name="api_tokens"),
    path("api-tokens/<int:pk>/revoke/", views.api_token_revoke, name="api_token_revoke"),
]

organisation_urlpatterns = [
    path("", views.organisation, name="index"),
    path("teams/<int:pk>/", views.team_detail, name="team_detail"),
    path("service-areas/<int:pk>/", views.service_area_detail, name="service_area_detail"),
    path("access-changes/", views.access_changes, name="access_changes"),
]
