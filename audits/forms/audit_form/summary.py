"""An audit's answers, read-only, in form order: the check page and the audit page."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.utils.dateformat import format as date_format

from ...models import GRADED, Grade, Involvement, QuestionKind, RIBand
from .base import (
    COMMENT_LABEL,
    FINDINGS_LABELS,
    OVERALL_LABELS,
    PARTICIPATION_LABELS,
    AuditData,
    Section,
)

# The answers, read-only (check page and audit page) -----------------------------


@dataclass
class Row:
    key: str
    value: str = ""
    field: str = ""  # the HTML id of the input that changes it
    grade: str = ""  # a grade code: the value is drawn as a grade tag
    #: What a "Change" link changes, for screen readers ("Change <this>"); unique on a
    #: page. Defaults to the key with a lower-case first letter.
    change_text: str = ""

    def __post_init__(self):
        if not self.change_text:
            self.change_text = _lower_first(self.key)

    @property
    def grade_class(self) -> str:
        if self.grade in GRADED:
            return "app-grade-tag--" + self.grade.replace("_", "-")
        return "govuk-tag--grey"


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _make_change_texts_unique(result: list[tuple[Section, list[Row]]]) -> None:
    """Name the section after a change text that more than one row shares (the same
    question in two domains), and number any that still repeat."""
    rows = [(section, row) for section, section_rows in result for row in section_rows]
    counts = Counter(row.change_text for _, row in rows)
    for section, row in rows:
        if counts[row.change_text] > 1:
            row.change_text = f"{row.change_text} in {section.title}"
    seen: Counter = Counter()
    counts = Counter(row.change_text for _, row in rows)
    for _, row in rows:
        if counts[row.change_text] > 1:
            seen[row.change_text] += 1
            row.change_text = f"{row.change_text} ({seen[row.change_text]})"


def _display(question, value) -> str:
    if value in (None, "", []):
        return ""
    labels = dict(question.options)
    if isinstance(value, list):
        return "\n".join(labels.get(v, str(v)) for v in value)
    return labels.get(value, str(value))


def _grade_text(grade: str, band: str) -> str:
    if not grade:
        return ""
    label = Grade(grade).label
    return f"{label} ({RIBand(band).label.lower()})" if band else label


def audit_summary(audit_data: AuditData) -> list[tuple[Section, list[Row]]]:
    """Every answer of the audit, section by section, in form order."""
    audit = audit_data.audit
    result = []
    for section in audit_data.sections:
        rows: list[Row] = []
        ts = section.template_section
        if section.extension is not None:
            rows += section.extension.summary_rows(audit_data)
        elif ts is not None:
            for q in ts.questions.all():
                answer = audit_data.answers.get(q.pk)
                rows.append(Row(q.text, _display(q, answer.value if answer else None), f"q-{q.pk}"))
                if q.kind == QuestionKind.YES_NO and q.needs_comment:
                    rows.append(
                        Row(
                            COMMENT_LABEL,
                            answer.comment if answer else "",
                            f"q-{q.pk}-comment",
                            change_text=f"{_lower_first(COMMENT_LABEL)} to “{q.text}”",
                        )
                    )
            if ts.domain_id:
                grading = audit_data.gradings.get(ts.domain_id)
                grade = grading.grade if grading else ""
                band = grading.ri_band if grading else ""
                rows.append(
                    Row(
                        f"Grade for {ts.domain.name}",
                        _grade_text(grade, band),
                        f"grade-{ts.domain_id}",
                        grade,
                    )
                )
                rows.append(
                    Row(
                        "Evidence",
                        grading.evidence if grading else "",
                        f"evidence-{ts.domain_id}",
                        change_text=f"evidence for the {ts.domain.name} grade",
                    )
                )
        elif section.key == "overall":
            rows.append(
                Row(
                    OVERALL_LABELS["overall_grade"],
                    _grade_text(audit.overall_grade, audit.overall_ri_band),
                    "overall_grade",
                    audit.overall_grade,
                )
            )
            rows.append(
                Row(
                    OVERALL_LABELS["overall_rationale"],
                    audit.overall_rationale,
                    "overall_rationale",
                )
            )
        elif section.key == "participation":
            for name, label in PARTICIPATION_LABELS.items():
                if name == "child_not_spoken_reason" and audit.child_spoken_to != Involvement.NO:
                    continue
                if (
                    name == "parent_not_spoken_reason"
                    and audit.parent_carer_spoken_to != Involvement.NO
                ):
                    continue
                rows.append(Row(label, getattr(audit, f"get_{name}_display")(), name))
        elif section.key == "findings":
            rows += [
                Row(label, getattr(audit, name), name) for name, label in FINDINGS_LABELS.items()
            ]
        elif section.key == "actions":
            for n, action in enumerate(audit_data.actions):
                lines = [action.text or "(what must happen is not written yet)"]
                lines.append("In the child's plan: " + ("yes" if action.for_child_plan else "no"))
                if action.suggested_owner:
                    lines.append(f"Suggested owner: {action.suggested_owner.get_full_name()}")
                if action.suggested_due:
                    lines.append(f"Suggested date: {date_format(action.suggested_due, 'j F Y')}")
                rows.append(Row(f"Proposed action {n + 1}", "\n".join(lines), f"action-{n}-text"))
        else:
            continue
        result.append((section, rows))
    _make_change_texts_unique(result)
    return result
