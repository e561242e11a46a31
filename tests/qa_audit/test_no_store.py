"""Nothing shown to a signed-in person may be kept by a browser or proxy: every response
to an authenticated request says ``Cache-Control: no-store``. Checked on every URL
pattern of the product (admin and API included), each opened with real objects."""

import base64

import pytest
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.test import override_settings
from django.urls import reverse

from actions.services.tracker import action_link_token
from tests.factories import PASSWORD

from .urlwalk import address, admin_model, walk

pytestmark = pytest.mark.django_db

#: Patterns that answer 404 by design when opened with the walk's values.
NOT_FOUND_BY_DESIGN = {
    "admin/(?P<url>.*)$",  # the admin's catch-all, opened with an unknown address
    "admin/r/<path:content_type_id>/<path:object_id>/",  # teams have no page of their own
    "your-say/<str:token>/",  # a family's page, opened with a link that does not exist
    "audits/<int:pk>/reason/",  # only for an audit outside one's teams; Walker sees all
}


def values_for(kind, org):
    """The value of each URL parameter, by the pattern's name and the parameter's."""
    by_name = {
        "organisation:team_detail": {"pk": org.team_a.pk},
        "organisation:service_area_detail": {"pk": org.area_a.pk},
        "imports:job": {"pk": kind.job.pk},
        "imports:job_status": {"pk": kind.job.pk},
        "programme:round_detail": {"pk": kind.round.pk},
        "programme:round_publish": {"pk": kind.round.pk},
        "programme:round_audit_change": {"pk": kind.round.pk, "audit_pk": kind.proposed.pk},
        "programme:exemption_decide": {"pk": kind.exemption.pk},
        "programme:exemption_end": {"pk": kind.exemption.pk},
        "other_audits:sample_detail": {"pk": kind.sample.pk},
        "other_audits:multi_agency_detail": {"pk": kind.multi.pk},
        "other_audits:observation_detail": {"pk": kind.observation.pk},
        "actions:link": {"token": action_link_token(kind.action.pk)},
        "moderation:panel_remove": {"pk": kind.panel.pk, "review_pk": kind.review.pk},
        "moderation:panel_reassign": {"pk": kind.panel.pk, "review_pk": kind.review.pk},
        "moderation:loop_outcome": {"pk": kind.panel.pk, "loop_pk": kind.loop.pk},
        "moderation:loop_detail": {"pk": kind.loop.pk},
        "moderation:endorsement": {"auditor_pk": org.users["auditor"].pk},
        "accounts:password_reset_confirm": {"uidb64": "MQ", "token": "set-password"},
        "admin:auth_user_password_change": {"id": kind.walker.pk},
        "admin:app_list": {"app_label": "audits"},
        "family_feedback": {"token": kind.family_link.token},
        "feedback:quote_pick": {"pk": kind.feedback.pk},
        "feedback:withdraw_consent": {"pk": kind.feedback.pk},
        "feedback:quote_edit": {"pk": kind.quote.pk},
        "feedback:quote_remove": {"pk": kind.quote.pk},
        "feedback:ambassador_sample": {"pk": kind.ambassador_sample.pk},
        "feedback:ambassador_hide": {"pk": kind.ambassador_review.pk},
        "feedback:ambassador_review": {"pk": kind.ambassador_review.pk},
        "reporting:run": {"pk": kind.report_run.pk},
        "reporting:run_status": {"pk": kind.report_run.pk},
    }
    by_prefix = [
        ("audits:audit_detail", kind.accepted),
        ("audits:audit_decide", kind.accepted),
        ("audits:audit_reply", kind.accepted),
        ("audits:", kind.draft),  # the form's pages: Walker's own audit in progress
        ("actions:action_", kind.action),
        ("actions:case_", kind.case),
        ("actions:reaudit_", kind.reaudit),
        ("actions:improvement_", kind.improvement),
        ("emails:", kind.email),
        ("moderation:panel_", kind.panel),
        ("moderation:review", kind.review),
        ("moderation:feedback", kind.review),
        ("feedback:", kind.accepted),  # the audit's feedback pages
        ("audit-", kind.accepted),
        ("action-", kind.action),
        ("moderation-review-", kind.review),
        ("reporting:report", kind.report),
        ("report-", kind.report),
    ]

    def value_for(pattern):
        def value(parameter):
            if parameter in by_name.get(pattern.name, {}):
                return by_name[pattern.name][parameter]
            if parameter == "format":
                return ".json" if "drf_format_suffix" in pattern.route else "json"
            if parameter == "token":
                return "not-a-real-link"
            if parameter == "section":
                return "s1"
            if parameter == "number":
                return kind.report_version.number
            if parameter == "fmt":
                return "xlsx"
            if parameter == "url":
                return "no-such-page/"
            if pattern.route.startswith("admin/r/"):
                return {
                    "content_type_id": ContentType.objects.get_for_model(org.team_a).pk,
                    "object_id": org.team_a.pk,
                }[parameter]
            if parameter in ("object_id", "_1", "_2"):
                model = admin_model(pattern)
                obj = model._default_manager.order_by("pk").first()
                assert obj is not None, f"every_kind has no {model._meta.label}"
                if parameter == "_2":  # django-simple-history: a version of the object
                    return model.history.filter(id=obj.pk).first().history_id
                return obj.pk
            for prefix, obj in by_prefix:
                if pattern.name and pattern.name.startswith(prefix):
                    return obj.pk
            raise AssertionError(f"No value for {parameter} in {pattern.route} ({pattern.name})")

        return value

    return value_for


def test_every_model_in_the_admin_has_an_object_to_open(every_kind):
    empty = [
        model._meta.label for model in admin.site._registry if not model._default_manager.exists()
    ]
    assert empty == []


def test_every_page_for_a_signed_in_person_says_no_store(client, org, every_kind, settings):
    settings.SHOW_SENT_EMAILS = True
    client.force_login(every_kind.walker)
    value_for = values_for(every_kind, org)
    opened, missing, not_found = [], [], []
    for pattern in walk():
        path = address(pattern, value_for(pattern))
        response = client.get(path)
        opened.append((path, response.status_code))
        if "no-store" not in response.get("Cache-Control", ""):
            missing.append(f"{path} ({response.status_code})")
        if response.status_code == 404 and pattern.route not in NOT_FOUND_BY_DESIGN:
            not_found.append(path)
    assert missing == []
    # Each page was opened with objects it knows, so the walk saw the pages themselves.
    assert not_found == []
    assert len(opened) > 300
    assert sum(status == 200 for _, status in opened) > 200


def test_api_answers_to_basic_sign_in_say_no_store(client, org, every_kind):
    token = base64.b64encode(f"{org.users['qa_lead'].email}:{PASSWORD}".encode()).decode()
    for path in (
        reverse("audit-list"),
        reverse("audit-detail", args=[every_kind.accepted.pk]),
        reverse("moderation-review-detail", args=[every_kind.review.pk]),
    ):
        response = client.get(path, HTTP_AUTHORIZATION=f"Basic {token}")
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("name", ["accessibility", "privacy"])
def test_public_pages_for_visitors_may_be_cached(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


def test_the_same_public_page_is_not_stored_for_a_signed_in_person(client, org):
    client.force_login(org.users["auditor"])
    assert "no-store" in client.get(reverse("accessibility"))["Cache-Control"]


@override_settings(WHITENOISE_USE_FINDERS=True, WHITENOISE_AUTOREFRESH=True)
def test_static_files_may_be_cached_for_signed_in_people(client, org):
    client.force_login(org.users["auditor"])
    response = client.get("/static/css/app.css")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
