"""Limits on what anyone may type or send, checked across the whole product: every form
and API field, every filter of every API. A new form, serializer or filter that forgets
a limit fails here, before it can answer a megabyte with a 200 or a big number with a 500.
"""

import importlib
import inspect
import pkgutil

import pytest
from crispy_forms_gds.fields import DateInputField
from django import forms
from drf_spectacular.generators import SchemaGenerator

from common.forms import TEXT_MAX_LENGTH, GovDateField

APPS = [
    "accounts",
    "actions",
    "audits",
    "common",
    "feedback",
    "moderation",
    "qa_audit",
    "reporting",
]

#: fields that hold a month, not a date (their own field, with its own year check)
MONTH_FIELDS = {("ReauditAllocateForm", "month"), ("SampleAuditForm", "month")}
MONTH_FIELDS |= {("MultiAgencyAuditForm", "month")}


def project_forms() -> list[type[forms.BaseForm]]:
    found = {}
    for app in APPS:
        package = importlib.import_module(app)
        for info in pkgutil.walk_packages(package.__path__, f"{app}."):
            if ".migrations" in info.name or ".management" in info.name:
                continue
            module = importlib.import_module(info.name)
            for obj in vars(module).values():
                if (
                    inspect.isclass(obj)
                    and issubclass(obj, forms.BaseForm)
                    and obj.__module__.split(".")[0] in APPS
                ):
                    found[f"{obj.__module__}.{obj.__qualname__}"] = obj
    return [found[name] for name in sorted(found)]


FORMS = project_forms()


def test_the_walk_finds_the_forms():
    names = {form.__name__ for form in FORMS}
    assert {"ReviewForm", "ReplyForm", "ExemptionRequestForm", "AdhocForm", "PanelForm"} <= names


@pytest.mark.parametrize("form", FORMS, ids=lambda f: f"{f.__module__}.{f.__name__}")
def test_every_text_field_of_every_form_has_a_length_limit(form):
    unlimited = [
        name
        for name, field in form.base_fields.items()
        if isinstance(field, forms.CharField)
        and not isinstance(field.widget, forms.PasswordInput | forms.HiddenInput)
        and (field.max_length is None or field.max_length > TEXT_MAX_LENGTH)
    ]
    assert unlimited == []


#: the admin renders its forms with Django's own date widgets, which refuse an absurd year
#: as "Enter a valid date"; every other form uses the one GOV.UK date field
SITE_FORMS = [form for form in FORMS if not form.__module__.endswith(".admin")]


@pytest.mark.parametrize("form", SITE_FORMS, ids=lambda f: f"{f.__module__}.{f.__name__}")
def test_every_date_field_is_the_one_gov_uk_date_field(form):
    others = [
        name
        for name, field in form.base_fields.items()
        if isinstance(field, forms.DateField | DateInputField)
        and not isinstance(field, GovDateField)
        and (form.__name__, name) not in MONTH_FIELDS
    ]
    assert others == []


# The API ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def _resolve(schema, node):
    while "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].split("/")[-1]]
    return node


def _unbounded(schema, node, path, found):
    node = _resolve(schema, node)
    if node.get("readOnly"):
        return
    for option in node.get("oneOf", []) + node.get("allOf", []):
        _unbounded(schema, option, path, found)
    kind = node.get("type")
    if kind == "string" and "enum" not in node and node.get("format") not in ("date", "binary"):
        if "maxLength" not in node:
            found.append(path)
    elif kind == "integer" and "maximum" not in node:
        found.append(path)
    elif kind == "array":
        if "maxItems" not in node and path.endswith("actions"):
            found.append(path)
        _unbounded(schema, node.get("items", {}), f"{path}[]", found)
    elif kind == "object" or "properties" in node:
        for name, child in node.get("properties", {}).items():
            _unbounded(schema, child, f"{path}.{name}", found)
        extra = node.get("additionalProperties")
        if isinstance(extra, dict):
            _unbounded(schema, extra, f"{path}.*", found)


def test_every_request_body_field_of_the_api_is_bounded(schema):
    found: list[str] = []
    bodies = 0
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            body = operation.get("requestBody", {}).get("content", {}).get("application/json")
            if body:
                bodies += 1
                _unbounded(schema, body["schema"], f"{method.upper()} {path}", found)
    assert bodies >= 3  # allocating, saving a draft, recording an action's update
    assert found == []


ABSURD = [
    "99999999999999999999999",
    "-1.7976931348623157e+308",
    "9223372036854775808",
    "-9223372036854775809",
    "1e400",
    "²",
    "0000-00",
    "9999-12-31",
    "[",
]


def list_filters(schema):
    for path, methods in schema["paths"].items():
        operation = methods.get("get")
        if operation is None or "{" in path:
            continue
        for parameter in operation.get("parameters", []):
            if parameter["in"] == "query":
                yield path, parameter["name"], parameter["schema"].get("type")


@pytest.mark.django_db
def test_every_filter_of_every_api_answers_absurd_numbers_without_a_500(client, org, schema):
    """With the test client a 500 is an exception: any one fails the test. An integer
    filter must refuse each with a 400 and a message; others may find nothing."""
    client.raise_request_exception = True
    client.force_login(org.users["qa_lead"])
    filters = list(list_filters(schema))
    assert {"/api/audits/", "/api/actions/", "/api/moderation/reviews/"} <= {p for p, *_ in filters}
    for path, name, kind in filters:
        for value in ABSURD:
            response = client.get(path, {name: value})
            assert response.status_code in (200, 400, 404), (path, name, value)
            if kind == "integer" and name not in ("page", "page_size"):
                assert response.status_code == 400, (path, name, value)
                assert response.json()[name], (path, name, value)
