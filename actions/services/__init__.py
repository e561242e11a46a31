"""Writes of the actions app: one module per sub-domain, re-exported here."""

from .actions import (
    action_add_note,
    action_complete,
    action_edit,
    action_transfer,
    actions_raise_from_audit,
)
from .concerns import case_resolve, case_update_record, concern_record_final_grade
from .reaudits import (
    compare_grades,
    final_grades_record,
    reaudit_allocate,
    reaudit_dismiss,
    reaudit_record_final_grade,
)
from .service_improvement import (
    service_improvement_add_update,
    service_improvement_complete,
    service_improvement_create,
    service_improvement_edit,
)
from .tracker import concern_send_monthly_requests, tracker_send_weekly

__all__ = [
    "action_add_note",
    "action_complete",
    "action_edit",
    "action_transfer",
    "actions_raise_from_audit",
    "case_resolve",
    "case_update_record",
    "compare_grades",
    "concern_record_final_grade",
    "concern_send_monthly_requests",
    "final_grades_record",
    "reaudit_allocate",
    "reaudit_dismiss",
    "reaudit_record_final_grade",
    "service_improvement_add_update",
    "service_improvement_complete",
    "service_improvement_create",
    "service_improvement_edit",
    "tracker_send_weekly",
]
