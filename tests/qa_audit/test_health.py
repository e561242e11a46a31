import json
from pathlib import Path
from unittest import mock

import pytest
from django.db.utils import OperationalError
from django.urls import reverse

from qa_audit.health import NO_BROKER
from tests.live_celery import TEST_REDIS_URL, redis_available, skip_or_fail

pytestmark = pytest.mark.django_db


def documented_in_readme(body):
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    return f"`{json.dumps(body)}`" in readme


def readme_section(heading):
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    start = readme.index(f"\n## {heading}\n")
    end = readme.find("\n## ", start + 1)
    return readme[start : end if end != -1 else None]


def test_health_without_a_broker_says_tasks_run_in_the_web_process(client):
    response = client.get(reverse("health"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": NO_BROKER}
    assert documented_in_readme(response.json())


def test_the_quick_start_shows_what_health_answers_there(client):
    """`make run` has no broker: the quick start shows that answer, not production's."""
    body = client.get(reverse("health")).json()
    quick_start = readme_section("Quick start")
    assert f"`{json.dumps(body)}`" in quick_start


def test_health_needs_no_sign_in_and_is_never_cached(client):
    response = client.get(reverse("health"))
    assert "no-cache" in response["Cache-Control"]


def test_health_fails_when_the_database_does_not_answer(client):
    with mock.patch("qa_audit.health._check_database", side_effect=OperationalError("down")):
        response = client.get(reverse("health"))
    assert response.status_code == 503
    assert response.json()["database"] == "error: OperationalError"


def test_health_fails_when_the_broker_does_not_answer(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    response = client.get(reverse("health"))
    assert response.status_code == 503
    assert response.json()["broker"].startswith("error:")


def test_health_checks_a_real_redis_broker(client, settings):
    if not redis_available():
        skip_or_fail(f"no Redis server at {TEST_REDIS_URL}")
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = TEST_REDIS_URL
    response = client.get(reverse("health"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}
    assert documented_in_readme(response.json())


def test_health_refuses_post(client):
    assert client.post(reverse("health")).status_code == 405


def test_health_answers_load_balancers_by_ip_over_plain_http(client, settings):
    settings.ALLOWED_HOSTS = ["qa.council.example"]
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/health/", HTTP_HOST="10.0.0.5:8000")
    assert response.status_code == 200
