"""Messages and helpers shared by the moderation services."""

from __future__ import annotations

from audits.models import (
    AuditStatus,
    grade_rank,
)

from ..models import (
    Outcome,
    ReviewEvent,
)

REVIEW_FINAL = "This review is final. The QA Lead can unlock it, giving a reason."
REVIEW_EDITED_ELSEWHERE = (
    "Someone else saved this review since you opened it. Their changes are shown below; "
    "your changes were not saved and are kept in the form so you can reapply them."
)
CHOOSE_OVERALL = "Choose the overall grade after moderation"
CHOOSE_DOMAIN = "Choose the grade after moderation for {domain}"
RATIONALE_NEEDED = "Explain why you changed the grade for {what}"
REASON_NEEDED = "Select at least one reason why the grade went down"
UNLOCK_REASON_NEEDED = "Enter the reason for unlocking this review"
PANEL_EXISTS = "There is already a panel for {month}."
AUDIT_NOT_ACCEPTED = "Only an accepted audit can be moderated."
AUDIT_ALREADY_MODERATED = "This audit already has a moderation review."
REVIEW_STARTED = "This review has been started, so it cannot be removed from the panel."
LOOP_SAME_AUDITOR = "Choose two different auditors for a looped audit"
OWN_AUDIT = "Choose a moderator other than the audit's auditor"
LOOP_NOT_READY = "Both audits must be submitted before the grades can be compared."
OUTCOME_NEEDED = "Enter what the panel concluded"
OVERRIDE_REASON_NEEDED = "Enter the reason for this decision"

COMPLETED = (AuditStatus.SUBMITTED, AuditStatus.ACCEPTED)


class ReviewConflictError(Exception):
    message = REVIEW_EDITED_ELSEWHERE


def review_outcome(original: str, moderated: str) -> str:
    """Agreed, upgraded or downgraded: follows from the two overall grades."""
    before, after = grade_rank(original), grade_rank(moderated)
    if before is None or after is None or before == after:
        return Outcome.AGREED
    return Outcome.UPGRADED if after > before else Outcome.DOWNGRADED


def _event(review, user, kind, reason=""):
    ReviewEvent.objects.create(review=review, user=user, kind=kind, reason=reason)
