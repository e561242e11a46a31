import pytest
from django.core.management import call_command

from accounts.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, demo_email
from accounts.models import Role, ServiceArea, Team, User
from audits.models import Child, LegalStatus

pytestmark = pytest.mark.django_db


def snapshot():
    return (
        list(User.objects.order_by("email").values_list("email", "job_title", "team__name")),
        list(
            Child.objects.order_by("case_reference").values_list(
                "case_reference", "legal_status", "team__name", "date_of_birth"
            )
        ),
    )


def test_demo_council_has_the_promised_size_and_every_role(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("seed_demo")
    assert ServiceArea.objects.count() == 6
    assert Team.objects.count() == 40
    assert User.objects.count() == 300
    assert Child.objects.count() == 2000
    assert set(Child.objects.values_list("legal_status", flat=True)) == set(LegalStatus.values)
    for role in Role.values:
        assert User.objects.filter(role_assignments__role=role).exists(), role
    assert not Team.objects.filter(manager__isnull=True).exists()
    assert not ServiceArea.objects.filter(head_of_service__isnull=True).exists()


def test_each_demo_sign_in_works_with_its_roles():
    call_command("seed_demo")
    for local, *_, roles in DEMO_ACCOUNTS:
        user = User.objects.get(email=demo_email(local))
        assert user.check_password(DEMO_PASSWORD)
        assert user.role_codes == frozenset(roles)


def test_demo_is_deterministic_and_safe_to_run_again():
    call_command("seed_demo")
    first = snapshot()
    call_command("seed_demo")  # already there: changes nothing
    assert snapshot() == first
    call_command("seed_demo", "--reset")
    assert snapshot() == first
