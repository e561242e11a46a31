"""A family's own link: made by the auditor or the QA Lead, answered once, without an
account, before it expires.

A token is ``<selector>.<secret>``, both random. The selector finds the link; only a
SHA-256 hash of the secret is stored, compared in constant time, so neither the
database nor its backups can rebuild a working link. The address a link is emailed to
is used once and never stored.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from audits.models import Audit
from common.history import record_rows

from .. import notify
from ..models import (
    Answer,
    Audience,
    Channel,
    FamilyLink,
    Feedback,
    FeedbackSettings,
    LinkThrottle,
    Outcome,
    Respondent,
    Source,
    age_band_for,
)
from ..questions import QUESTION_FIELDS
from .records import _apply

CANNOT_SEND = "You cannot send a link for this audit."
CHOOSE_AUDIENCE = "Select who the link is for"
EMAIL_INVALID = "Enter an email address in the correct format, like name@example.com"
NOTHING_ANSWERED = "Answer at least one question, or write something in the box"

#: who may answer a grown-up's link, as the page offers them
ADULT_RESPONDENTS = [
    (Respondent.MOTHER, "Mum"),
    (Respondent.FATHER, "Dad"),
    (Respondent.CARER, "Carer"),
    (Respondent.FAMILY_MEMBER, "Another family member"),
    (Respondent.PARENT, "I'd rather not say"),
]

# Failed look-ups (unknown or altered links) allowed from one address per window.
THROTTLE_WINDOW = datetime.timedelta(minutes=15)


def _failure_limit() -> int:
    return settings.FEEDBACK_LINK_FAILURES_PER_WINDOW


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def link_url(token: str) -> str:
    return settings.SITE_URL + reverse("family_feedback", args=[token])


@dataclass(frozen=True)
class NewLink:
    link: FamilyLink
    token: str

    @property
    def url(self) -> str:
        return link_url(self.token)


@transaction.atomic
def link_create(*, audit: Audit, user: User, audience: str, email: str = "") -> NewLink:
    """Make a one-use link for the audit's family; email it if an address is given.
    The token is returned once, to be shown; it cannot be read back later."""
    if not user.has_perm("feedback.send_family_link", audit):
        raise PermissionDenied(CANNOT_SEND)
    errors = {}
    if audience not in Audience.values:
        errors["audience"] = CHOOSE_AUDIENCE
    email = (email or "").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = EMAIL_INVALID
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    days = FeedbackSettings.load().link_expiry_days
    selector, secret = secrets.token_urlsafe(12), secrets.token_urlsafe(32)
    link = FamilyLink.objects.create(
        audit=audit,
        audience=audience,
        selector=selector,
        verifier_hash=_hash(secret),
        created_by=user,
        created_at=now,
        expires_at=now + datetime.timedelta(days=days),
        emailed=bool(email),
    )
    new = NewLink(link, f"{selector}.{secret}")
    if email:
        notify.send_after_commit(
            "family-link",
            [email],
            {
                "url": new.url,
                "expires_on": timezone.localdate(link.expires_at),
                "for_child": audience == Audience.CHILD,
            },
            keep_body=False,
        )
    return new


# Opening a link ---------------------------------------------------------------------


class LinkState:
    OPEN = "open"
    USED = "used"
    EXPIRED = "expired"
    UNKNOWN = "unknown"  # never made, or altered
    THROTTLED = "throttled"


def _client_key(address: str) -> str:
    return hashlib.sha256(f"{settings.SECRET_KEY}:{address}".encode()).hexdigest()


def _window(now) -> datetime.datetime:
    seconds = int(THROTTLE_WINDOW.total_seconds())
    return datetime.datetime.fromtimestamp(
        int(now.timestamp()) // seconds * seconds, tz=datetime.UTC
    )


def throttled(address: str, now=None) -> bool:
    now = now or timezone.now()
    row = LinkThrottle.objects.filter(key=_client_key(address), window_start=_window(now)).first()
    return row is not None and row.failures >= _failure_limit()


def record_failure(address: str, now=None) -> None:
    """Count a failed look-up from this address (across processes: in the database)."""
    now = now or timezone.now()
    key, window = _client_key(address), _window(now)
    if LinkThrottle.objects.filter(key=key, window_start=window).update(failures=F("failures") + 1):
        return
    try:
        with transaction.atomic():
            LinkThrottle.objects.create(key=key, window_start=window, failures=1)
    except IntegrityError:
        LinkThrottle.objects.filter(key=key, window_start=window).update(failures=F("failures") + 1)
    LinkThrottle.objects.filter(window_start__lt=now - datetime.timedelta(days=1)).delete()


def link_open(token: str, *, address: str, now=None) -> tuple[str, FamilyLink | None]:
    """The link a token opens and its state. Changes nothing but the failure count."""
    now = now or timezone.now()
    if throttled(address, now):
        return LinkState.THROTTLED, None
    selector, _, secret = (token or "").partition(".")
    link = None
    if selector and secret and len(token) <= 128:
        link = FamilyLink.objects.select_related("audit__child").filter(selector=selector).first()
    # Compared even when no link was found, so the time taken says nothing.
    stored = link.verifier_hash if link is not None else _hash("")
    if not hmac.compare_digest(stored, _hash(secret)) or link is None:
        record_failure(address, now)
        return LinkState.UNKNOWN, None
    if link.used_at is not None:
        return LinkState.USED, link
    if link.expires_at <= now:
        return LinkState.EXPIRED, link
    return LinkState.OPEN, link


def link_answer(*, link: FamilyLink, values: dict, now=None) -> Feedback | None:
    """Store a family's answers and use up the link, once: the link is claimed with a
    conditional update, so of two submissions at once only one is stored. Returns None
    (storing nothing) if the link was used or expired in the meantime."""
    now = now or timezone.now()
    answered = any(values.get(f) not in (None, "", Answer.NOT_ANSWERED) for f in QUESTION_FIELDS)
    if not (answered or values.get("score") is not None or (values.get("comments") or "").strip()):
        raise ValidationError(NOTHING_ANSWERED)
    with transaction.atomic():
        claimed = FamilyLink.objects.filter(
            pk=link.pk, used_at__isnull=True, expires_at__gt=now
        ).update(used_at=now)
        if not claimed:
            return None
        audit = Audit.objects.select_related("child", "team", "auditor").get(pk=link.audit_id)
        if link.audience == Audience.CHILD:
            respondent = Respondent.CHILD
        else:
            allowed = {r for r, _ in ADULT_RESPONDENTS}
            respondent = values.get("respondent") if values.get("respondent") in allowed else ""
            respondent = respondent or Respondent.PARENT
        today = timezone.localdate(now)
        feedback = Feedback(
            source=Source.FAMILY_LINK,
            audit=audit,
            team_id=audit.team_id,
            respondent=respondent,
            age_band=age_band_for(audit.child.age_on(today))
            if respondent == Respondent.CHILD
            else "",
            channel=Channel.FAMILY_LINK,
            given_on=today,
            outcome=Outcome.GIVEN,
        )
        clean = {f: values.get(f) or Answer.NOT_ANSWERED for f in QUESTION_FIELDS}
        for value in clean.values():
            if value not in Answer.values:
                raise ValidationError(f"'{value}' is not an answer.")
        score = values.get("score")
        if score is not None and not (isinstance(score, int) and 0 <= score <= 10):
            raise ValidationError("A score is a whole number from 0 to 10.")
        clean.update(
            score=score,
            comments=(values.get("comments") or "").strip()[:5000],
            consent_to_quote=bool(values.get("consent_to_quote")),
        )
        _apply(feedback, clean)
        feedback.save()
        FamilyLink.objects.filter(pk=link.pk).update(feedback=feedback)
        record_rows(FamilyLink.objects.filter(pk=link.pk), change="~")
        _tell_auditor(audit, link)
    return feedback


def _tell_auditor(audit: Audit, link: FamilyLink) -> None:
    """The auditor (or, with none, whoever made the link) hears that the family
    answered; the email holds no answer and nothing about the child."""
    person = audit.auditor or link.created_by
    if person is None or not person.email or not person.is_active:
        return
    notify.send_after_commit(
        "family-answered",
        [person.email],
        {
            "person": person,
            "audit_reference": audit.display_reference,
            "path": reverse("feedback:audit_feedback", args=[audit.pk]),
        },
    )
