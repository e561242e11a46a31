import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_schema_and_documentation_need_sign_in(client):
    assert client.get(reverse("api-schema")).status_code in (401, 403)
    assert client.get(reverse("api-docs")).status_code in (401, 403)


@pytest.mark.parametrize("name", ["api-docs", "api-swagger"])
def test_documentation_pages_load_nothing_from_elsewhere(client, org, name):
    client.force_login(org.users["auditor"])
    response = client.get(reverse(name))
    assert response.status_code == 200
    html = response.content.decode()
    assert "https://" not in html
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_openapi_schema_is_served(client, org):
    client.force_login(org.users["auditor"])
    response = client.get(reverse("api-schema"), HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert response.json()["info"]["title"].startswith("Children's Services")
