"""The audits API: /api/audits/.

Reading is scoped exactly like the pages (audits.selectors.audits_visible_to: anything
outside the user's scope is 404). Integrations may allocate an ad hoc audit (QA Lead),
save a draft (the audit's auditor, with ``lock_version`` for concurrency) and submit it.
All writes go through the services the pages use, with the pages' rules: the
serializers (``serializers``) only turn JSON into values; the viewset is ``views``.
"""

from .serializers import (
    ANSWER_NOT_JSON,
    AUDIT_INCOMPLETE,
    CONFIRM_RECENT_NEEDED,
    KEY_NOT_ID,
    MONTH_FORMAT,
    NO_SUCH_AUDITOR,
    NOT_THE_AUDITOR,
    ONLY_QA_LEAD,
    UNKNOWN_FIELD,
    choice,
)
from .views import AuditViewSet

__all__ = [
    "ANSWER_NOT_JSON",
    "AUDIT_INCOMPLETE",
    "CONFIRM_RECENT_NEEDED",
    "KEY_NOT_ID",
    "MONTH_FORMAT",
    "NO_SUCH_AUDITOR",
    "NOT_THE_AUDITOR",
    "ONLY_QA_LEAD",
    "UNKNOWN_FIELD",
    "AuditViewSet",
    "choice",
]
