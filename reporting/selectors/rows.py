"""The audit-level rows behind any figure: one row per audit completed in a slice, with
nothing that names or identifies a child, and no free text."""

from __future__ import annotations

from audits.models import GRADED, Audit, AuditType, Grade, Involvement, LegalStatus

from .audits import PARTICIPANTS, final_domain_gradings
from .slice import Slice, display_reference, final_overall_grade

#: the columns every download starts with, in order (docs/api.md: a public contract)
COLUMNS = [
    "Audit reference",
    "Month",
    "Completed on",
    "Team",
    "Service area",
    "Legal status",
    "Audit type",
    "Auditor's grade",
    "Final grade",
]
#: participation columns, after each domain's grade, by the figures' key
PARTICIPATION_COLUMNS = {
    "social_worker": "Social worker involved",
    "team_manager": "Team manager involved",
    "iro_cp_chair": "IRO/CP chair involved",
    "child": "Child spoken to",
    "family": "Parent or carer spoken to",
}
DOMAIN_COLUMN = "Domain: {name}"
NOT_GRADED = "Not graded"


def _label(choices, value) -> str:
    return dict(choices).get(value, "") if value else ""


def _grade(value) -> str:
    if value in GRADED:
        return Grade(value).label
    return NOT_GRADED if value == Grade.NOT_GRADED else ""


def _final_domain_grades(s: Slice) -> dict[int, dict[str, str]]:
    """Each audit's final domain grades (as ``reporting.selectors.domain_grades``): the
    moderator's grade where a final review gives one, else the auditor's. One query."""
    rows = final_domain_gradings(s).values_list("audit_id", "domain__name", "final").order_by()
    grades: dict[int, dict[str, str]] = {}
    for audit_id, domain, final in rows:
        grades.setdefault(audit_id, {})[domain] = _grade(final)
    return grades


def audit_rows(s: Slice) -> tuple[list[str], list[dict[str, str]]]:
    """The columns, and one row per audit completed in the slice (oldest first): its
    reference, month, team, service area, the child's legal status, audit type, the
    auditor's and the final overall grade, each domain's final grade (a column for
    every domain graded in the slice, by name) and participation. Two queries."""
    audits = (
        Audit.objects.filter(s.completed_q())
        .annotate(
            ref=display_reference(),
            final=final_overall_grade(),
        )
        .values(
            "pk",
            "ref",
            "month",
            "completed_on",
            "team__name",
            "team__service_area__name",
            "child__legal_status",
            "audit_type",
            "overall_grade",
            "final",
            *PARTICIPANTS.values(),
        )
        .order_by("completed_on", "pk")
    )
    audits = list(audits)
    domains = _final_domain_grades(s) if audits else {}
    domain_names = sorted({name for grades in domains.values() for name in grades})
    columns = [
        *COLUMNS,
        *(DOMAIN_COLUMN.format(name=name) for name in domain_names),
        *PARTICIPATION_COLUMNS.values(),
    ]
    rows = []
    for audit in audits:
        row = {
            "Audit reference": audit["ref"],
            "Month": f"{audit['month']:%Y-%m}",
            "Completed on": audit["completed_on"].isoformat(),
            "Team": audit["team__name"],
            "Service area": audit["team__service_area__name"] or "",
            "Legal status": _label(LegalStatus.choices, audit["child__legal_status"]),
            "Audit type": _label(AuditType.choices, audit["audit_type"]),
            "Auditor's grade": _grade(audit["overall_grade"]),
            "Final grade": _grade(audit["final"]),
        }
        graded = domains.get(audit["pk"], {})
        for name in domain_names:
            row[DOMAIN_COLUMN.format(name=name)] = graded.get(name, "")
        for key, field in PARTICIPANTS.items():
            row[PARTICIPATION_COLUMNS[key]] = _label(Involvement.choices, audit[field])
        rows.append(row)
    return columns, rows
