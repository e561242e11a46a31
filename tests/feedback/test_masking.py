"""The masking module finds the names the product holds for a case, and patterns."""

import pytest

from feedback import masking
from feedback.masking import Kind, KnownName, find_identifiers, mask, names_for_audit

from .conftest import make_audit

pytestmark = pytest.mark.django_db


def kinds(text, names=(), **kwargs):
    return [(f.text, f.kind) for f in find_identifiers(text, names, **kwargs)]


def test_names_for_audit_holds_workers_team_and_service_area(org, auditor):
    audit = make_audit(org.team_a, auditor)
    worker = org.users["no_role"]
    audit.child.social_worker = worker
    audit.child.save()
    names = {(n.text, n.kind) for n in names_for_audit(masking.audit_for_masking(audit.pk))}
    manager = org.users["team_manager"]
    assert (worker.get_full_name(), Kind.PERSON) in names
    assert (worker.first_name, Kind.PERSON) in names
    assert (worker.last_name, Kind.PERSON) in names
    assert (manager.get_full_name(), Kind.PERSON) in names
    assert (auditor.get_full_name(), Kind.PERSON) in names
    assert ("Family Support North", Kind.PLACE) in names
    assert ("Safeguarding", Kind.PLACE) in names
    # The outsider team's people and names are not this case's.
    assert not any(n[0] == org.users["outside_manager"].get_full_name() for n in names)
    assert ("Children in Care 1", Kind.PLACE) not in names


def test_names_match_whole_words_in_any_case():
    names = masking.person("Sam", "O'Neill")
    assert kinds("sam said it was fine", names) == [("sam", Kind.PERSON)]
    assert kinds("Sam's worker", names) == [("Sam", Kind.PERSON)]
    assert kinds("Samples were taken", names) == []
    assert kinds("Mrs O’Neill came", names) == [("O’Neill", Kind.PERSON)]
    assert kinds("Sam O'Neill helped", names) == [("Sam O'Neill", Kind.PERSON)]


def test_a_place_is_matched_whole_and_wins_over_its_parts():
    names = [*masking.place("Family Support North"), KnownName("North", Kind.PLACE)]
    assert kinds("the family support north team", names) == [("family support north", Kind.PLACE)]


@pytest.mark.parametrize(
    "text, found, kind",
    [
        ("we live at NE1 4ST now", "NE1 4ST", Kind.POSTCODE),
        ("postcode sw1a1aa", "sw1a1aa", Kind.POSTCODE),
        ("ring 07700 900123 please", "07700 900123", Kind.PHONE),
        ("ring +44 7700 900123", "+44 7700 900123", Kind.PHONE),
        ("call (01632) 960001", "(01632) 960001", Kind.PHONE),
        ("call 020 7946 0000", "020 7946 0000", Kind.PHONE),
        ("email mum.smith@example.com any time", "mum.smith@example.com", Kind.EMAIL),
    ],
)
def test_patterns_find_postcodes_phones_and_emails(text, found, kind):
    assert kinds(text) == [(found, kind)]


@pytest.mark.parametrize(
    "text", ["I waited 10 weeks", "score 8 out of 10", "in 2024 things changed", "A1 service"]
)
def test_ordinary_numbers_are_not_patterns(text):
    assert kinds(text) == []


def test_dates_are_found_only_when_asked():
    text = "We met on 3 March 2025 and 12/04/2025"
    assert kinds(text) == []
    assert kinds(text, patterns=masking.ALL_PATTERNS) == [
        ("3 March 2025", Kind.DATE),
        ("12/04/2025", Kind.DATE),
    ]


def test_mask_replaces_every_finding():
    names = masking.person("Jordan", "Price")
    text = "Jordan Price rang 07700 900123 from NE1 4ST; jordan is kind."
    assert mask(text, names) == "[name] rang [phone number] from [postcode]; [name] is kind."


def test_names_listed_to_hide_for_an_ambassador_join_the_childs_names(org, auditor):
    import datetime

    from feedback.models import AmbassadorReview, AmbassadorSample

    audit = make_audit(org.team_a, auditor)
    month = datetime.date(2026, 4, 1)
    sample = AmbassadorSample.objects.create(month=month, how_chosen="number", amount=1)
    AmbassadorReview.objects.create(
        sample=sample,
        audit=audit,
        child=audit.child,
        month=month,
        ambassador=org.users["ambassador"],
        hidden_names="Kayden Marsh",
        hidden_places="Oakfield Primary",
    )
    names = {(n.text, n.kind) for n in names_for_audit(masking.audit_for_masking(audit.pk))}
    assert {("Kayden Marsh", Kind.PERSON), ("Kayden", Kind.PERSON), ("Marsh", Kind.PERSON)} <= names
    assert ("Oakfield Primary", Kind.PLACE) in names
    assert (audit.child.case_reference, Kind.REFERENCE) in names
    # Another child's lists are not this child's.
    other = make_audit(org.team_a, auditor)
    other_names = {n.text for n in names_for_audit(masking.audit_for_masking(other.pk))}
    assert "Kayden" not in other_names


def test_a_case_reference_is_masked_whole():
    names = masking.reference("NC-4471")
    assert mask("ref NC-4471, not NC-44710", names) == "ref [reference], not NC-44710"


@pytest.mark.parametrize("text", ["born March 2014", "since Sept 2025", "on 14th of March"])
def test_a_month_and_year_is_a_date_when_masking(text):
    assert "[date]" in mask(text)
    assert kinds(text) == []  # quotes are not checked for dates
