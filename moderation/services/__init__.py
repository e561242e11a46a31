"""Moderation workflows: panels, reviews, looped audits, pairings and endorsement.

Each public function is one transaction and is what views, the API, tasks and commands
call. Messages are constants the tests assert on.
"""

from .common import (  # noqa: F401
    AUDIT_ALREADY_MODERATED,
    AUDIT_NOT_ACCEPTED,
    CHOOSE_DOMAIN,
    CHOOSE_OVERALL,
    COMPLETED,
    LOOP_NOT_READY,
    LOOP_SAME_AUDITOR,
    OUTCOME_NEEDED,
    OVERRIDE_REASON_NEEDED,
    OWN_AUDIT,
    PANEL_EXISTS,
    RATIONALE_NEEDED,
    REASON_NEEDED,
    REVIEW_EDITED_ELSEWHERE,
    REVIEW_FINAL,
    REVIEW_STARTED,
    UNLOCK_REASON_NEEDED,
    ReviewConflictError,
    review_outcome,
)
from .imports import (  # noqa: F401
    review_import,
    reviews_import,
)
from .loops import (  # noqa: F401
    loop_both_submitted,
    loop_check,
    loop_create,
    loop_differences,
    loop_for_audit,
    loop_record_outcome,
)
from .panels import (  # noqa: F401
    panel_add_audit,
    panel_candidate_audits,
    panel_create,
    panel_progress,
    panel_remove_audit,
    review_reassign,
)
from .people import (  # noqa: F401
    current_pairings,
    endorsed_auditor_ids,
    endorsement_override_clear,
    endorsement_override_set,
    last_outcomes,
    pairings_generate,
)
from .reviews import (  # noqa: F401
    review_finalise,
    review_problems,
    review_save,
    review_unlock,
    review_went_down,
)
