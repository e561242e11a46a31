import logging

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_each_request_is_logged_with_user_and_path_but_not_the_query(client, org, caplog):
    user = org.users["qa_lead"]
    client.force_login(user)
    with caplog.at_level(logging.INFO, logger="qa_audit.requests"):
        client.get(reverse("organisation:index") + "?child=NC123456")
    records = [r for r in caplog.records if r.name == "qa_audit.requests"]
    assert records
    line = records[-1]
    assert line.getMessage().startswith("GET /organisation/ 200")
    assert "NC123456" not in line.getMessage()
    assert line.user_id == str(user.pk)
    assert line.request_path == "/organisation/"


def test_anonymous_requests_are_logged_without_a_user(client, caplog):
    with caplog.at_level(logging.INFO, logger="qa_audit.requests"):
        client.get(reverse("accounts:login"))
    record = [r for r in caplog.records if r.name == "qa_audit.requests"][-1]
    assert record.user_id == "-"
