"""Every URL pattern of the product, made into a real address.

``walk()`` yields each pattern of the root URL configuration (named or not, the admin's
and the API's included) with its full route; ``address()`` fills its parameters with the
ids of real objects (tests/qa_audit/conftest.py ``every_kind``): ``values_for`` says
which object fills each parameter of each pattern.
"""

import re
from dataclasses import dataclass

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RoutePattern

from actions.services.tracker import action_link_token

_ROUTE_PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")
_REGEX_GROUP = re.compile(r"\(\?P<(?P<name>\w+)>[^)]*\)")
_UNNAMED_GROUP = re.compile(r"\((?!\?)[^)]*\)")


@dataclass
class Pattern:
    parts: list  # the RoutePattern/RegexPattern of each level, outermost first
    name: str | None  # "namespace:name"
    view: str

    @property
    def route(self) -> str:
        return "".join(str(part) for part in self.parts)


def walk(patterns=None, parts=(), namespace=None):
    if patterns is None:
        patterns = get_resolver().url_patterns
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from walk(entry.url_patterns, (*parts, entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            name = entry.name
            if name and namespace:
                name = f"{namespace}:{name}"
            yield Pattern([*parts, entry.pattern], name, entry.lookup_str)


def _fill_route(text: str, value) -> str:
    return _ROUTE_PARAMETER.sub(lambda m: str(value(m["name"])), text)


def _fill_regex(text: str, value) -> str:
    """Named groups by their name; unnamed ones (django-simple-history's) as ``_1``, ``_2``."""
    text = text.removeprefix("^").removesuffix("$")
    text = _REGEX_GROUP.sub(lambda m: str(value(m["name"])), text)
    position = iter(range(1, 100))
    text = _UNNAMED_GROUP.sub(lambda m: str(value(f"_{next(position)}")), text)
    return text.replace("/?", "/").replace("\\.", ".")


def address(pattern: Pattern, value) -> str:
    """The pattern's path with each parameter replaced by ``value(name)``."""
    path = ""
    for part in pattern.parts:
        if isinstance(part, RoutePattern):
            path += _fill_route(str(part), value)
        else:
            path += _fill_regex(str(part), value)
    return "/" + path


def admin_model(pattern: Pattern):
    """The model of an admin URL such as admin/audits/child/<path:object_id>/change/."""
    match = re.match(r"admin/(\w+)/(\w+)/", pattern.route)
    if not match:
        return None
    try:
        return apps.get_model(match[1], match[2])
    except LookupError:
        return None


def values_for(kind, org):
    """The value of each URL parameter, by the pattern's name and the parameter's."""
    by_name = {
        "organisation:team_detail": {"pk": org.team_a.pk},
        "accounts:api_token_revoke": {"pk": kind.api_token.pk},
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
        ("audits:audit_reason", kind.accepted),
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
