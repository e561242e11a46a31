"""Quotes for reports: the QA Lead picks words from feedback given with consent, edits
out names and places, tags them, and marks them ready."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import User

from .. import masking
from ..models import Feedback, Quote, QuoteStatus, QuoteTheme, Respondent, Tone

NO_CONSENT = "This feedback was given without consent to be quoted, so it cannot be quoted."
NOTHING_TO_QUOTE = "This feedback has no comments to quote."
QUOTE_NEEDS_TEXT = "Enter the words of the quote"
QUOTE_TOO_LONG = "The quote must be 2000 characters or fewer"
QUOTE_NEEDS_ATTRIBUTION = "Enter who said it, as the report should show it, like “Mum”"
ATTRIBUTION_TOO_LONG = "Who said it must be 40 characters or fewer"
QUOTE_NEEDS_TONE = "Select whether the quote is positive, mixed or negative"
QUOTE_NEEDS_THEME = "Select a theme for the quote"
THEME_UNKNOWN = "Select a theme from the list"
QUOTE_HAS_IDENTIFIER = "Edit out “{text}” ({label}) before marking the quote ready"
ATTRIBUTION_HAS_IDENTIFIER = "Who said it must not include “{text}” ({label})"
QUOTE_CHANGED = (
    "Someone else changed this quote since you opened it. Reload the page to see their "
    "changes; yours were not saved."
)
THEME_NEEDS_NAME = "Enter the name of the theme"
THEME_EXISTS = "There is already a theme called “{name}”"

ATTRIBUTIONS = {
    Respondent.MOTHER: "Mum",
    Respondent.FATHER: "Dad",
    Respondent.PARENT: "Parent",
    Respondent.CARER: "Carer",
    Respondent.FAMILY_MEMBER: "Family member",
    Respondent.SCHOOL: "School",
    Respondent.POLICE: "Police",
    Respondent.HEALTH: "Health",
    Respondent.PROFESSIONAL: "Professional",
}


def attribution_for(feedback: Feedback) -> str:
    """Who said it, in a report's words: “Mum”, “Child, 12”, “Young person, 17”,
    “School”. A child's age is their age on the day, from the case's date of birth,
    else the age band."""
    if feedback.respondent != Respondent.CHILD:
        return ATTRIBUTIONS.get(feedback.respondent, "Family member")
    child = feedback.audit.child if feedback.audit_id else None
    age = child.age_on(feedback.given_on) if child and feedback.given_on else None
    if age is None:
        band = feedback.get_age_band_display() if feedback.age_band else ""
        return f"Child, {band.lower()}" if band else "Child"
    return f"Young person, {age}" if age >= 16 else f"Child, {age}"


def _require(user: User) -> None:
    if not user.has_perm("feedback.manage_quotes"):
        raise PermissionDenied


@transaction.atomic
def quote_pick(*, feedback: Feedback, user: User) -> Quote:
    """Start a quote from a family's comments, if they agreed to be quoted."""
    _require(user)
    feedback = (
        Feedback.objects.select_for_update(of=("self",))
        .select_related("audit__child")
        .get(pk=feedback.pk)
    )
    if not feedback.consent_to_quote:
        raise ValidationError(NO_CONSENT)
    if not feedback.comments.strip():
        raise ValidationError(NOTHING_TO_QUOTE)
    return Quote.objects.create(
        feedback=feedback,
        text=feedback.comments.strip()[:2000],
        attribution=attribution_for(feedback),
        picked_by=user,
        updated_by=user,
    )


def identifier_problems(quote_text: str, attribution: str, feedback: Feedback) -> dict:
    """The names and places the product holds for the case, and postcodes, phone
    numbers and emails, found in the quote or its attribution: {field: [messages]}."""
    names = (
        masking.names_for_audit(masking.audit_for_masking(feedback.audit_id))
        if feedback.audit_id
        else []
    )
    errors: dict[str, list[str]] = {}
    for finding in masking.find_identifiers(quote_text, names):
        errors.setdefault("text", []).append(
            QUOTE_HAS_IDENTIFIER.format(text=finding.text, label=finding.label)
        )
    for finding in masking.find_identifiers(attribution, names):
        errors.setdefault("attribution", []).append(
            ATTRIBUTION_HAS_IDENTIFIER.format(text=finding.text, label=finding.label)
        )
    return errors


@transaction.atomic
def quote_update(
    *,
    quote: Quote,
    user: User,
    text: str,
    attribution: str,
    tone: str,
    theme_id: int | None,
    ready: bool,
    expected_version: int,
) -> Quote:
    """Save the QA Lead's edit. ``ready`` marks it ready for reports, which needs a tone,
    a theme, and no name, place, postcode, phone number or email left in it; otherwise
    it is saved as being edited. Raises ValidationError {field: messages} and saves
    nothing if anything is wrong."""
    _require(user)
    locked = Quote.objects.select_for_update().select_related("feedback").get(pk=quote.pk)
    if locked.lock_version != expected_version:
        raise ValidationError(QUOTE_CHANGED)
    text, attribution = (text or "").strip(), (attribution or "").strip()
    errors: dict[str, list[str]] = {}
    if not text:
        errors["text"] = [QUOTE_NEEDS_TEXT]
    elif len(text) > 2000:
        errors["text"] = [QUOTE_TOO_LONG]
    if not attribution:
        errors["attribution"] = [QUOTE_NEEDS_ATTRIBUTION]
    elif len(attribution) > 40:
        errors["attribution"] = [ATTRIBUTION_TOO_LONG]
    if tone and tone not in Tone.values:
        errors["tone"] = [QUOTE_NEEDS_TONE]
    theme = None
    if theme_id is not None:
        theme = QuoteTheme.objects.filter(pk=theme_id).first()
        if theme is None or (not theme.is_active and theme.pk != locked.theme_id):
            errors["theme"] = [THEME_UNKNOWN]
    if ready:
        if not tone:
            errors.setdefault("tone", [QUOTE_NEEDS_TONE])
        if theme is None:
            errors.setdefault("theme", [QUOTE_NEEDS_THEME])
        if not errors:
            errors.update(identifier_problems(text, attribution, locked.feedback))
    if errors:
        raise ValidationError(errors)
    locked.text, locked.attribution, locked.tone, locked.theme = text, attribution, tone, theme
    locked.status = QuoteStatus.READY if ready else QuoteStatus.DRAFT
    locked.ready_at = timezone.now() if ready else None
    locked.updated_by = user
    locked.lock_version = F("lock_version") + 1
    locked.save()
    locked.refresh_from_db()
    return locked


@transaction.atomic
def quote_remove(*, quote: Quote, user: User) -> None:
    _require(user)
    Quote.objects.filter(pk=quote.pk).delete()


def theme_add(*, user: User, name: str) -> QuoteTheme:
    _require(user)
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError({"name": THEME_NEEDS_NAME})
    if len(name) > 80:
        raise ValidationError({"name": "The name of the theme must be 80 characters or fewer"})
    try:
        with transaction.atomic():
            return QuoteTheme.objects.create(name=name)
    except IntegrityError:
        raise ValidationError({"name": THEME_EXISTS.format(name=name)}) from None


def theme_set_active(*, user: User, theme: QuoteTheme, active: bool) -> QuoteTheme:
    _require(user)
    QuoteTheme.objects.filter(pk=theme.pk).update(is_active=active)
    theme.refresh_from_db()
    return theme
