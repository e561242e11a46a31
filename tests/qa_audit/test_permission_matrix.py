"""The permission matrix: every URL pattern of the product (pages, downloads, the API and
the admin) and every operation of the API's OpenAPI schema, opened by a visitor and by a
person in each role, with objects inside one team's scope (``every_kind``: team A's
accepted audit, its action, Case of Concern, review, feedback and report) and people
outside it (team B's manager, area B's Head of Service). Each answer must be the one in
``permission_matrix.py``, kept beside this file; a pattern or operation without a row
fails the suite, as does a row without one.

Write operations are sent with an empty body inside a transaction rolled back at once,
so nothing one request does changes what the next sees.

To see what every person gets now (after adding a page, say), run this file with
``PERMISSION_MATRIX_WRITE=<folder>``: it writes each person's answers to
``<folder>/<person>.tsv``; read each one before putting it in the table.
"""

import os

import pytest
from django.db import transaction
from drf_spectacular.generators import SchemaGenerator

from accounts.models import Role
from tests.factories import UserFactory

from .permission_matrix import OPERATIONS, PEOPLE, URLS
from .urlwalk import address, values_for, walk

pytestmark = pytest.mark.django_db

METHODS = ("get", "post", "put", "patch", "delete")


def patterns():
    return {pattern.route: pattern for pattern in walk()}


def operations():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return {
        f"{method.upper()} {path}": (method, path)
        for path, item in schema["paths"].items()
        for method in item
        if method in METHODS
    }


def test_every_url_pattern_has_a_row_and_every_row_a_pattern():
    assert set(patterns()) ^ set(URLS) == set()


def test_every_api_operation_has_a_row_and_every_row_an_operation():
    assert set(operations()) ^ set(OPERATIONS) == set()


def test_each_row_gives_an_answer_for_each_person():
    for key, row in {**URLS, **OPERATIONS}.items():
        assert len(row.split()) == len(PEOPLE), key


def person(org, name):
    if name == "anonymous":
        return None
    if name == "dpo":
        return UserFactory(email="dpo@council.example", roles=[Role.DATA_PROTECTION_OFFICER])
    return org.users[name]


def _operation_path(path: str, kind) -> str:
    objects = {
        "/api/actions/": kind.action,
        "/api/audits/": kind.accepted,
        "/api/moderation/reviews/": kind.review,
        "/api/v1/reports/": kind.report,
    }
    for prefix, obj in objects.items():
        if path.startswith(prefix):
            return path.replace("{id}", str(obj.pk))
    assert "{" not in path, path
    return path


def _answer(client, method: str, path: str) -> int:
    with transaction.atomic():
        if method == "get":
            response = client.get(path)
        else:
            response = getattr(client, method)(path, {}, content_type="application/json")
        transaction.set_rollback(True)
    return response.status_code


def answers(client, org, every_kind, who):
    user = person(org, who)
    if user is not None:
        client.force_login(user)
    value_for = values_for(every_kind, org)
    urls = {
        route: _answer(client, "get", address(pattern, value_for(pattern)))
        for route, pattern in patterns().items()
    }
    ops = {
        key: _answer(client, method, _operation_path(path, every_kind))
        for key, (method, path) in operations().items()
    }
    return urls, ops


@pytest.mark.parametrize("who", PEOPLE)
def test_each_person_gets_the_answer_in_the_table(client, org, every_kind, who, settings):
    settings.SHOW_SENT_EMAILS = True
    column = PEOPLE.index(who)
    urls, ops = answers(client, org, every_kind, who)
    if folder := os.environ.get("PERMISSION_MATRIX_WRITE"):
        with open(os.path.join(folder, f"{who}.tsv"), "w") as out:
            for key, status in {**urls, **ops}.items():
                out.write(f"{key}\t{status}\n")
    wrong = [
        f"{key}: {status}, the table says {table[key].split()[column]}"
        for answered, table in ((urls, URLS), (ops, OPERATIONS))
        for key, status in answered.items()
        if key in table and str(status) != table[key].split()[column]
    ]
    assert wrong == []
