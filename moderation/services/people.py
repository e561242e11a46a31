"""Endorsed auditors and auditor-moderator pairings."""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Window
from django.db.models.functions import RowNumber

from accounts.models import Role, User
from common.dates import add_months

from ..models import (
    EndorsementOverride,
    ModerationReview,
    ModerationSettings,
    Outcome,
    Pairing,
    ReviewStatus,
)
from .common import OVERRIDE_REASON_NEEDED

# Endorsement ---------------------------------------------------------------------------


def last_outcomes(auditor_ids=None, *, run: int | None = None) -> dict[int, list[str]]:
    """Each auditor's last N final review outcomes (N: the endorsement run), newest
    first. The database ranks each auditor's reviews and returns only the last N, so
    the cost follows the auditors asked about, not every review ever finalised."""
    if run is None:
        run = ModerationSettings.load().endorsement_run
    reviews = ModerationReview.objects.filter(status=ReviewStatus.FINAL).exclude(
        audit__auditor__isnull=True
    )
    if auditor_ids is not None:
        reviews = reviews.filter(audit__auditor__in=auditor_ids)
    ranked = reviews.annotate(
        rank=Window(
            RowNumber(),
            partition_by=[F("audit__auditor")],
            order_by=[F("finalised_at").desc(nulls_last=True), F("pk").desc()],
        )
    ).filter(rank__lte=run)
    history: dict[int, list[str]] = defaultdict(list)
    for auditor_id, outcome in ranked.order_by("audit__auditor", "rank").values_list(
        "audit__auditor", "outcome"
    ):
        history[auditor_id].append(outcome)
    return history


def endorsed_auditor_ids(auditor_ids=None) -> set[int]:
    """Auditors whose last N final reviews were all agreed, or whom the QA Lead endorsed;
    minus those the QA Lead said are not endorsed."""
    run = ModerationSettings.load().endorsement_run
    history = last_outcomes(auditor_ids, run=run)
    endorsed = {
        auditor_id
        for auditor_id, outcomes in history.items()
        if len(outcomes) == run and all(o == Outcome.AGREED for o in outcomes)
    }
    overrides = EndorsementOverride.objects.all()
    if auditor_ids is not None:
        overrides = overrides.filter(auditor__in=auditor_ids)
    for auditor_id, is_endorsed in overrides.values_list("auditor", "endorsed"):
        (endorsed.add if is_endorsed else endorsed.discard)(auditor_id)
    return endorsed


@transaction.atomic
def endorsement_override_set(*, auditor: User, endorsed: bool, reason: str, user: User):
    if not (reason or "").strip():
        raise ValidationError({"reason": OVERRIDE_REASON_NEEDED})
    override, _ = EndorsementOverride.objects.update_or_create(
        auditor=auditor,
        defaults={"endorsed": endorsed, "reason": reason.strip(), "set_by": user},
    )
    return override


@transaction.atomic
def endorsement_override_clear(*, auditor: User, user: User) -> None:
    EndorsementOverride.objects.filter(auditor=auditor).delete()


# Pairings ------------------------------------------------------------------------------


def current_pairings(day: datetime.date) -> dict[int, int]:
    """auditor id -> moderator id for the pairing period containing ``day``."""
    return dict(
        Pairing.objects.filter(starts_on__lte=day, ends_on__gte=day).values_list(
            "auditor_id", "moderator_id"
        )
    )


@transaction.atomic
def pairings_generate(*, starts_on: datetime.date, user: User | None = None) -> list[Pairing]:
    """Pair every active auditor with a moderator for the next period.

    Nobody is paired with themselves; nobody repeats a pairing from the previous two
    periods where another moderator is available; moderators share auditors evenly;
    a moderator from the auditor's own team is used only when no other is free.
    Running it again for the same start date replaces that period's pairings.
    """
    months = ModerationSettings.load().pairing_months
    ends_on = add_months(starts_on, months) - datetime.timedelta(days=1)
    Pairing.objects.filter(starts_on=starts_on).delete()
    moderators = list(
        User.objects.filter(is_active=True, role_assignments__role=Role.MODERATOR)
        .distinct()
        .order_by("pk")
    )
    auditors = list(
        User.objects.filter(is_active=True, role_assignments__role=Role.AUDITOR)
        .distinct()
        .order_by("pk")
    )
    if not moderators:
        return []
    recent_start = add_months(starts_on, -2 * months)
    recent = set(
        Pairing.objects.filter(starts_on__gte=recent_start, starts_on__lt=starts_on).values_list(
            "auditor_id", "moderator_id"
        )
    )
    load: Counter = Counter()
    created = []
    for auditor in auditors:
        candidates = [m for m in moderators if m.pk != auditor.pk]
        if not candidates:
            continue

        def cost(moderator, auditor=auditor):
            return (
                (auditor.pk, moderator.pk) in recent,
                moderator.team_id is not None and moderator.team_id == auditor.team_id,
                load[moderator.pk],
                moderator.pk,
            )

        chosen = min(candidates, key=cost)
        load[chosen.pk] += 1
        created.append(
            Pairing(auditor=auditor, moderator=chosen, starts_on=starts_on, ends_on=ends_on)
        )
    return Pairing.objects.bulk_create(created)
