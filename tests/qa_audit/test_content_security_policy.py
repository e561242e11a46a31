"""The content security policy on pages other libraries make: only the browsable API's
HTML loosens it (inline style attributes, a nonce for its one <style>), and nothing runs
inline script. tests/browser/test_content_security_policy.py checks the same pages in a
real browser."""

import importlib.util
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse

from accounts.models import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ROOT = Path(settings.BASE_DIR)


def policy(response) -> dict[str, list[str]]:
    directives = {}
    for part in response["Content-Security-Policy"].split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def scripts_run_inline(html: str) -> list[str]:
    """<script> elements that would run their own text (not src=, not JSON data)."""
    tags = re.findall(r"<script\b[^>]*>", html)
    return [tag for tag in tags if "src=" not in tag and 'type="application/json"' not in tag]


def test_browsable_api_allows_inline_style_attributes_and_its_own_style(client, org):
    client.force_login(org.users["auditor"])
    response = client.get(reverse("api-root"), HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    csp = policy(response)
    html = response.content.decode()
    nonces = re.findall(r'<style nonce="([^"]+)">', html)
    assert len(nonces) == 1
    assert csp["style-src"] == ["'self'", f"'nonce-{nonces[0]}'"]
    assert csp["style-src-attr"] == ["'unsafe-inline'"]
    assert csp["script-src"] == ["'self'"]
    assert scripts_run_inline(html) == []


def test_api_answers_in_json_keep_the_strict_policy(client, org):
    client.force_login(org.users["auditor"])
    response = client.get(reverse("api-root"), HTTP_ACCEPT="application/json")
    assert response["Content-Type"] == "application/json"
    csp = policy(response)
    assert csp["style-src"] == ["'self'"]
    assert "style-src-attr" not in csp


def test_other_pages_keep_the_strict_policy(client, org):
    client.force_login(org.users["auditor"])
    csp = policy(client.get(reverse("home")))
    assert csp["style-src"] == ["'self'"]
    assert csp["script-src"] == ["'self'"]
    assert "style-src-attr" not in csp


def test_admin_periodic_task_page_runs_no_inline_script(client, db):
    administrator = UserFactory(roles=[Role.ADMINISTRATOR])
    client.force_login(administrator)
    response = client.get(reverse("admin:django_celery_beat_periodictask_add"))
    assert response.status_code == 200
    html = response.content.decode()
    assert scripts_run_inline(html) == []
    assert "js/admin/periodic-task-form.js" in html
    assert 'id="readable-crontabs"' in html
    assert policy(response)["script-src"] == ["'self'"]


def test_api_documentation_uses_our_copy_of_redoc(client, org):
    client.force_login(org.users["auditor"])
    html = client.get(reverse("api-docs")).content.decode()
    assert f'<script src="{static("vendor/redoc/redoc.standalone.js")}">' in html
    assert scripts_run_inline(html) == []


def test_our_copy_of_redoc_is_the_installed_one_without_the_remote_logo():
    """Fails after drf-spectacular-sidecar is upgraded until `make redoc` is run."""
    spec = importlib.util.spec_from_file_location("vendor_redoc", ROOT / "frontend/vendor_redoc.py")
    vendor = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(vendor)
    installed = (vendor.SIDECAR / "bundles/redoc.standalone.js").read_text(encoding="utf-8")
    ours = (ROOT / "static/vendor/redoc/redoc.standalone.js").read_text(encoding="utf-8")
    assert ours == vendor.patched(installed)
    assert "cdn.redoc.ly" in installed
    assert "cdn.redoc.ly" not in ours
    assert not re.search(r"(?m)^//# sourceMappingURL=", ours)  # no map is copied
