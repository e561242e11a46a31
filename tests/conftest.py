import os
import shutil
from dataclasses import dataclass

import pytest

from accounts.models import Role

from .factories import ServiceAreaFactory, TeamFactory, UserFactory
from .live_celery import live_celery  # noqa: F401 (a fixture for every test module)

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_configure(config):
    from django.conf import settings

    # Each test builds the data it needs: the test database starts without the default
    # schedules and standard templates that `migrate` installs (tests/qa_audit/
    # test_fresh_install.py proves that installation with a real `migrate`).
    settings.INSTALL_DEFAULTS_ON_MIGRATE = False


@pytest.fixture(autouse=True)
def _fast_and_quiet(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path / "mail")  # where the demo writes its emails
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.MEDIA_ROOT = str(tmp_path / "media")


@dataclass
class Org:
    """Two service areas, one team in each, and a person in every role.

    Alice heads service area A; Tom manages team A1; Sam works in team A1; the
    outsider team B1 is in service area B, headed by Bea and managed by Tim.
    """

    area_a: object
    area_b: object
    team_a: object
    team_b: object
    users: dict


@pytest.fixture
def org(db):
    area_a = ServiceAreaFactory(name="Safeguarding")
    area_b = ServiceAreaFactory(name="Children in Care")
    team_a = TeamFactory(name="Family Support North", service_area=area_a)
    team_b = TeamFactory(name="Children in Care 1", service_area=area_b)
    users = {
        "auditor": UserFactory(email="auditor@council.example", team=team_a, roles=[Role.AUDITOR]),
        "moderator": UserFactory(
            email="moderator@council.example", team=team_b, roles=[Role.MODERATOR, Role.AUDITOR]
        ),
        "team_manager": UserFactory(
            email="tom@council.example", team=team_a, roles=[Role.TEAM_MANAGER]
        ),
        "head_of_service": UserFactory(email="alice@council.example", roles=[Role.HEAD_OF_SERVICE]),
        "qa_lead": UserFactory(email="qa@council.example", roles=[Role.QA_LEAD]),
        "leader": UserFactory(email="leader@council.example", roles=[Role.LEADER]),
        "ambassador": UserFactory(email="amb@council.example", roles=[Role.AMBASSADOR]),
        "administrator": UserFactory(email="admin@council.example", roles=[Role.ADMINISTRATOR]),
        "no_role": UserFactory(email="sam@council.example", team=team_a),
        "outside_manager": UserFactory(
            email="tim@council.example", team=team_b, roles=[Role.TEAM_MANAGER]
        ),
        "outside_head": UserFactory(email="bea@council.example", roles=[Role.HEAD_OF_SERVICE]),
    }
    team_a.manager = users["team_manager"]
    team_a.save()
    team_b.manager = users["outside_manager"]
    team_b.save()
    area_a.head_of_service = users["head_of_service"]
    area_a.save()
    area_b.head_of_service = users["outside_head"]
    area_b.save()
    return Org(area_a, area_b, team_a, team_b, users)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": shutil.which("chromium"),
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }
