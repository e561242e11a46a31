import pytest
from django.test import override_settings
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_unknown_page_gets_the_service_404(client, org):
    client.force_login(org.users["auditor"])
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_forbidden_page_gets_the_service_403(client, org):
    client.force_login(org.users["auditor"])
    response = client.get(reverse("organisation:index"))
    assert response.status_code == 403
    assert "You do not have access to this page" in response.content.decode()


def test_server_error_page_renders_without_a_request_context(rf):
    from qa_audit.errors import server_error

    response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.content.decode()


@pytest.mark.parametrize("name", ["accessibility", "privacy"])
def test_public_information_pages(client, name):
    assert client.get(reverse(name)).status_code == 200


def test_the_accessibility_statement_has_the_model_statements_parts(client, settings):
    """The parts of the GOV.UK model accessibility statement, each with its heading."""
    page = client.get(reverse("accessibility")).content.decode()
    for heading in [
        "How accessible this service is",
        "Feedback and contact information",
        "Reporting accessibility problems with this service",
        "Enforcement procedure",
        "Compliance status",
        "Non-accessible content",
        "Preparation of this accessibility statement",
    ]:
        assert f">{heading}</h" in page, heading
    assert "partially compliant with the Web Content Accessibility Guidelines version 2.2" in page
    assert "Equality Advisory and Support Service" in page
    assert "mailto:" not in page  # no address configured: ask the QA Lead
    settings.ACCESSIBILITY_CONTACT_EMAIL = "access@council.example"
    page = client.get(reverse("accessibility")).content.decode()
    assert page.count('href="mailto:access@council.example"') == 2


def test_pages_carry_security_headers(client):
    response = client.get(reverse("accounts:login"))
    assert response["X-Frame-Options"] == "DENY"
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_every_page_has_a_skip_link_and_one_main(client, org):
    client.force_login(org.users["qa_lead"])
    for url in [reverse("home"), reverse("organisation:index"), reverse("accessibility")]:
        html = client.get(url).content.decode()
        assert 'href="#main-content"' in html
        assert html.count('id="main-content"') == 1


@override_settings(DEBUG=False)
def test_no_inline_scripts_on_pages(client, org):
    client.force_login(org.users["qa_lead"])
    html = client.get(reverse("home")).content.decode()
    for chunk in html.split("<script")[1:]:
        assert "src=" in chunk.split(">", 1)[0]
