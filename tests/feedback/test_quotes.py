"""Quotes: only from feedback given with consent (the database refuses anything else),
edited clear of names and places before they are ready, tagged, and attributed as a
report shows them."""

import datetime
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from audits.models import AuditEvent
from feedback.models import Feedback, Quote, QuoteStatus, QuoteTheme, Respondent, Tone
from feedback.services import quotes as services
from feedback.services.records import feedback_withdraw_consent

from .conftest import give, make_audit

pytestmark = pytest.mark.django_db


@pytest.fixture
def worker(org):
    return org.users["no_role"]


@pytest.fixture
def said(audit, worker):
    audit.child.social_worker = worker
    audit.child.save()
    return give(
        audit,
        comments=f"{worker.first_name} always rang back. Call me on 07700 900123.",
        consent_to_quote=True,
    )


@pytest.fixture
def theme(db):
    return QuoteTheme.objects.get(name="Being listened to")


@pytest.fixture
def qa(org):
    return org.users["qa_lead"]


def raw(sql, params):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)
        connection.check_constraints()


def update(quote, qa, **changes):
    values = {
        "text": quote.text,
        "attribution": quote.attribution,
        "tone": quote.tone,
        "theme_id": quote.theme_id,
        "ready": False,
        "expected_version": quote.lock_version,
    }
    values.update(changes)
    return services.quote_update(quote=quote, user=qa, **values)


# The database's own guard ---------------------------------------------------------


def test_the_database_refuses_a_quote_of_feedback_without_consent(audit):
    without = give(audit, comments="Fine")
    with pytest.raises(IntegrityError), transaction.atomic():
        Quote.objects.create(feedback_id=uuid.uuid4(), text="Fine", attribution="Mum")
        connection.check_constraints()
    table = Quote._meta.db_table
    with pytest.raises(IntegrityError):
        raw(
            f"INSERT INTO {table} (feedback_id, text, attribution, tone, status, picked_at, "
            "updated_at, lock_version) VALUES (%s, 'Fine', 'Mum', '', 'draft', %s, %s, 0)",
            [
                uuid.uuid4().hex if connection.vendor == "sqlite" else str(uuid.uuid4()),
                "2026-01-01",
                "2026-01-01",
            ],
        )
    assert without.quote_key is None
    assert not Quote.objects.exists()


def test_the_database_refuses_consent_without_a_key_and_a_key_without_consent(audit):
    said = give(audit, comments="Fine", consent_to_quote=True)
    table = Feedback._meta.db_table
    with pytest.raises(IntegrityError):
        raw(f"UPDATE {table} SET consent_to_quote = %s WHERE id = %s", [False, said.pk])
    with pytest.raises(IntegrityError):
        raw(f"UPDATE {table} SET quote_key = NULL WHERE id = %s", [said.pk])
    said.refresh_from_db()
    assert said.consent_to_quote and said.quote_key


def test_the_database_refuses_withdrawing_consent_under_a_quote(said, qa):
    services.quote_pick(feedback=said, user=qa)
    table = Feedback._meta.db_table
    with pytest.raises(IntegrityError):
        raw(
            f"UPDATE {table} SET consent_to_quote = %s, quote_key = NULL WHERE id = %s",
            [False, said.pk],
        )
    assert Quote.objects.count() == 1


def test_the_database_refuses_a_ready_quote_without_tags(said, qa):
    quote = services.quote_pick(feedback=said, user=qa)
    with pytest.raises(IntegrityError):
        raw(
            f"UPDATE {Quote._meta.db_table} SET status = 'ready', ready_at = %s WHERE id = %s",
            ["2026-01-01", quote.pk],
        )


# Picking and editing ----------------------------------------------------------------


def test_feedback_without_consent_can_never_be_picked(audit, qa):
    without = give(audit, comments="Fine")
    with pytest.raises(ValidationError) as error:
        services.quote_pick(feedback=without, user=qa)
    assert error.value.messages == [services.NO_CONSENT]
    assert not Quote.objects.exists()


def test_only_the_qa_lead_picks_quotes(said, org):
    with pytest.raises(PermissionDenied):
        services.quote_pick(feedback=said, user=org.users["leader"])


def test_a_picked_quote_starts_with_their_words_and_who_said_it(said, qa):
    quote = services.quote_pick(feedback=said, user=qa)
    assert quote.text == said.comments
    assert quote.attribution == "Mum"
    assert quote.status == QuoteStatus.DRAFT


@pytest.mark.parametrize(
    "respondent, dob, expected",
    [
        (Respondent.MOTHER, None, "Mum"),
        (Respondent.FATHER, None, "Dad"),
        (Respondent.SCHOOL, None, "School"),
        (Respondent.CARER, None, "Carer"),
        (Respondent.CHILD, datetime.date(2014, 5, 12), "Child, 12"),
        (Respondent.CHILD, datetime.date(2014, 5, 13), "Child, 11"),
        (Respondent.CHILD, datetime.date(2010, 5, 12), "Young person, 16"),
    ],
)
def test_attribution_is_in_the_reports_words(org, auditor, respondent, dob, expected):
    audit = make_audit(org.team_a, auditor, date_of_birth=dob or datetime.date(2014, 1, 1))
    feedback = give(audit, respondent=respondent, given_on=datetime.date(2026, 5, 12))
    assert services.attribution_for(feedback) == expected


def test_a_quote_with_a_name_left_in_cannot_be_marked_ready(said, qa, theme, worker):
    quote = services.quote_pick(feedback=said, user=qa)
    with pytest.raises(ValidationError) as error:
        update(quote, qa, tone=Tone.POSITIVE, theme_id=theme.pk, ready=True)
    assert error.value.message_dict == {
        "text": [
            services.QUOTE_HAS_IDENTIFIER.format(text=worker.first_name, label="a name"),
            services.QUOTE_HAS_IDENTIFIER.format(text="07700 900123", label="a phone number"),
        ]
    }
    quote.refresh_from_db()
    assert quote.status == QuoteStatus.DRAFT and quote.lock_version == 0


@pytest.mark.parametrize(
    "who",
    ["auditor", "team_manager"],
)
def test_every_name_the_product_holds_for_the_case_is_caught(said, qa, theme, org, who):
    quote = services.quote_pick(feedback=said, user=qa)
    person = org.users[who]
    with pytest.raises(ValidationError):
        update(
            quote,
            qa,
            text=f"Thanks to {person.last_name.upper()} for everything",
            tone=Tone.POSITIVE,
            theme_id=theme.pk,
            ready=True,
        )
    with pytest.raises(ValidationError):
        update(
            quote,
            qa,
            text="The family support north team were great",
            tone=Tone.POSITIVE,
            theme_id=theme.pk,
            ready=True,
        )


def test_a_name_in_the_attribution_is_caught_too(said, qa, theme, worker):
    quote = services.quote_pick(feedback=said, user=qa)
    with pytest.raises(ValidationError) as error:
        update(
            quote,
            qa,
            text="They always rang back.",
            attribution=f"{worker.first_name}'s mum",
            tone=Tone.POSITIVE,
            theme_id=theme.pk,
            ready=True,
        )
    assert list(error.value.message_dict) == ["attribution"]


def test_an_edited_tagged_quote_is_ready(said, qa, theme):
    quote = services.quote_pick(feedback=said, user=qa)
    quote = update(
        quote,
        qa,
        text="[Name] always rang back.",
        tone=Tone.POSITIVE,
        theme_id=theme.pk,
        ready=True,
    )
    assert quote.status == QuoteStatus.READY and quote.ready_at is not None
    assert quote.lock_version == 1


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"tone": ""}, "tone", services.QUOTE_NEEDS_TONE),
        ({"theme_id": None}, "theme", services.QUOTE_NEEDS_THEME),
        ({"text": "  "}, "text", services.QUOTE_NEEDS_TEXT),
        ({"text": "x" * 2001}, "text", services.QUOTE_TOO_LONG),
        ({"attribution": ""}, "attribution", services.QUOTE_NEEDS_ATTRIBUTION),
        ({"attribution": "x" * 41}, "attribution", services.ATTRIBUTION_TOO_LONG),
    ],
)
def test_a_ready_quote_needs_each_part(said, qa, theme, changes, field, message):
    quote = services.quote_pick(feedback=said, user=qa)
    values = {"text": "Always rang back.", "tone": Tone.MIXED, "theme_id": theme.pk, "ready": True}
    values.update(changes)
    with pytest.raises(ValidationError) as error:
        update(quote, qa, **values)
    assert error.value.message_dict[field] == [message]


def test_a_retired_theme_cannot_be_chosen_for_a_new_tag(said, qa, theme):
    theme.is_active = False
    theme.save()
    quote = services.quote_pick(feedback=said, user=qa)
    with pytest.raises(ValidationError) as error:
        update(quote, qa, theme_id=theme.pk)
    assert error.value.message_dict == {"theme": [services.THEME_UNKNOWN]}


def test_a_stale_edit_is_refused(said, qa):
    quote = services.quote_pick(feedback=said, user=qa)
    update(quote, qa, text="First")
    with pytest.raises(ValidationError) as error:
        update(quote, qa, text="Second", expected_version=0)
    assert error.value.messages == [services.QUOTE_CHANGED]
    quote.refresh_from_db()
    assert quote.text == "First"


def test_withdrawn_consent_removes_the_quotes_and_stops_picking(said, qa):
    services.quote_pick(feedback=said, user=qa)
    feedback_withdraw_consent(feedback=said, user=qa)
    said.refresh_from_db()
    assert not said.consent_to_quote and said.quote_key is None
    assert not Quote.objects.exists()
    with pytest.raises(ValidationError):
        services.quote_pick(feedback=said, user=qa)


def test_themes_are_added_once_whatever_the_case(qa):
    services.theme_add(user=qa, name="  Moving   home ")
    assert QuoteTheme.objects.filter(name="Moving home").exists()
    with pytest.raises(ValidationError) as error:
        services.theme_add(user=qa, name="moving HOME")
    assert error.value.message_dict == {"name": [services.THEME_EXISTS.format(name="moving HOME")]}


# Pages ------------------------------------------------------------------------------


def test_a_period_without_comments_to_quote_says_to_choose_another(client, qa):
    client.force_login(qa)
    html = client.get(
        reverse("feedback:quotes"), {"start": "2026-04-01", "end": "2026-06-30"}
    ).content.decode()
    assert "No comments with consent to quote in this period. Choose another period above." in html
    assert "Pick one from the comments below." not in html


def test_the_qa_lead_picks_edits_and_marks_a_quote_ready(client, said, qa, theme):
    client.force_login(qa)
    listing = client.get(reverse("feedback:quotes"), {"start": "2026-04-01", "end": "2026-06-30"})
    assert listing.status_code == 200
    assert said.comments in listing.content.decode()
    assert "No quotes picked for this period yet." in listing.content.decode()
    assert "Pick one from the comments below." in listing.content.decode()
    # Reading families' words is logged against their audits, like any audit view.
    assert AuditEvent.objects.filter(audit=said.audit, user=qa, note="Quotes").exists()
    response = client.post(reverse("feedback:quote_pick", args=[said.pk]))
    quote = Quote.objects.get()
    assert response["Location"] == reverse("feedback:quote_edit", args=[quote.pk])
    page = client.get(response["Location"])
    assert "a phone number" in page.content.decode()
    response = client.post(
        reverse("feedback:quote_edit", args=[quote.pk]),
        {
            "text": quote.text,
            "attribution": "Mum",
            "tone": "positive",
            "theme": theme.pk,
            "lock_version": "0",
            "then": "ready",
        },
    )
    assert response.status_code == 400
    assert "before marking the quote ready" in response.content.decode()
    response = client.post(
        reverse("feedback:quote_edit", args=[quote.pk]),
        {
            "text": "[Name] always rang back.",
            "attribution": "Mum",
            "tone": "positive",
            "theme": theme.pk,
            "lock_version": "0",
            "then": "ready",
        },
    )
    assert response.status_code == 302
    quote.refresh_from_db()
    assert quote.status == QuoteStatus.READY


def test_a_quote_is_removed_from_its_page(client, said, qa):
    quote = services.quote_pick(feedback=said, user=qa)
    client.force_login(qa)
    response = client.post(reverse("feedback:quote_remove", args=[quote.pk]))
    assert response.status_code == 302
    assert not Quote.objects.exists()


def test_the_themes_page_adds_and_retires_themes(client, qa, theme):
    client.force_login(qa)
    assert client.get(reverse("feedback:themes")).status_code == 200
    client.post(reverse("feedback:themes"), {"name": "School"})
    assert QuoteTheme.objects.filter(name="School", is_active=True).exists()
    client.post(reverse("feedback:themes"), {"theme": theme.pk, "active": "0"})
    theme.refresh_from_db()
    assert theme.is_active is False
    response = client.post(reverse("feedback:themes"), {"name": ""})
    assert response.status_code == 400
    assert services.THEME_NEEDS_NAME in response.content.decode()


@pytest.mark.parametrize(
    "person", ["auditor", "team_manager", "head_of_service", "leader", "ambassador", "no_role"]
)
def test_quote_pages_are_the_qa_leads_only(client, said, qa, org, person):
    quote = services.quote_pick(feedback=said, user=qa)
    client.force_login(org.users[person])
    for name, args in (
        ("feedback:quotes", []),
        ("feedback:themes", []),
        ("feedback:quote_edit", [quote.pk]),
    ):
        refused = 404 if person == "ambassador" else 403
        assert client.get(reverse(name, args=args)).status_code == refused, name
    for name, args in (
        ("feedback:quote_pick", [said.pk]),
        ("feedback:quote_remove", [quote.pk]),
        ("feedback:withdraw_consent", [said.pk]),
        ("feedback:themes", []),
    ):
        assert client.post(reverse(name, args=args), {"name": "X"}).status_code == refused, name
    assert Quote.objects.count() == 1
    assert not QuoteTheme.objects.filter(name="X").exists()


def test_quote_actions_refuse_get(client, said, qa):
    quote = services.quote_pick(feedback=said, user=qa)
    client.force_login(qa)
    assert client.get(reverse("feedback:quote_pick", args=[said.pk])).status_code == 405
    assert client.get(reverse("feedback:quote_remove", args=[quote.pk])).status_code == 405
