"""Allocating audits: the monthly round (propose, adjust, publish) and ad hoc allocation.

Every function that writes is one transaction. Emails go after the commit, one to each
auditor listing all the audits just allocated to them.

Split by sub-domain: ``proposal`` (which children and auditors), ``draft`` (adjusting
a draft), ``publishing`` (allocating and emailing), ``adhoc`` (named children now);
``messages`` holds every message the tests assert on.
"""

from .adhoc import (
    ADHOC_MONTHS_AHEAD,
    ADHOC_REASON_MAX_LENGTH,
    adhoc_allocate,
    parse_references,
)
from .common import COUNTED_STATUSES, due_date_for, find_children
from .draft import (
    round_audit_add,
    round_audit_change_auditor,
    round_audit_remove,
    round_audit_swap_child,
)
from .messages import *  # noqa: F403
from .proposal import ProposalResult, round_propose, round_propose_next_month
from .publishing import allocation_notify, round_publish

__all__ = [
    "ADHOC_MONTHS_AHEAD",
    "ADHOC_REASON_MAX_LENGTH",
    "COUNTED_STATUSES",
    "ProposalResult",
    "adhoc_allocate",
    "allocation_notify",
    "due_date_for",
    "find_children",
    "parse_references",
    "round_audit_add",
    "round_audit_change_auditor",
    "round_audit_remove",
    "round_audit_swap_child",
    "round_propose",
    "round_propose_next_month",
    "round_publish",
]
