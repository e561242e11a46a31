"""The audit form's "Family feedback" section (registered in FeedbackConfig.ready()).

Rows of feedback are keyed by their position on the page, so that an autosave and the
page's own buttons save the same rows however often they run. A row cleared on the page
is deleted. Answers from the family's own link and feedback recorded on its own are
shown above the rows and are not changed here.
"""

from __future__ import annotations

from django import forms
from django.urls import reverse
from django.utils.dateformat import format as date_format

from audits.extensions import FormSection
from audits.forms.audit_form import Row, SectionForm
from audits.services.audit import MissingItem
from common.forms import is_digits

from ..models import Answer, Feedback, Outcome, Source
from ..questions import QUESTIONS
from ..services.records import MAX_ROWS, feedback_save_audit_rows, row_problems
from .rows import FeedbackRowsMixin

KEY = "feedback"
TITLE = "Family feedback"
PROBLEM_INPUT = {"date": "date-day"}
HIDDEN = "Families' feedback is shown to the auditor, the QA Lead and the Head of Service."


def _positions(text: str) -> list[int]:
    result = []
    for part in (text or "").split(","):
        part = part.strip()
        if is_digits(part) and len(part) < 4 and int(part) < MAX_ROWS and int(part) not in result:
            result.append(int(part))
    return result[:MAX_ROWS]


class FeedbackSectionForm(FeedbackRowsMixin, SectionForm):
    intro_template = "feedback/audit_section_intro.html"
    add_more_label = "Save and add more feedback"

    def add_fields(self):
        saved = self.audit_data.extra[KEY]["rows"]
        self.saved = {f.position: f for f in saved}
        if self.is_bound:
            self.positions = _positions(self.data.get("feedback_positions", ""))
        else:
            self.positions = sorted(self.saved)
            free = next((p for p in range(MAX_ROWS) if p not in self.saved), None)
            if free is not None:
                self.positions.append(free)
        for number, n in enumerate(self.positions, start=1):
            self.add_row_fields(n, number)

    def initial_values(self):
        initial = {}
        for n in self.positions:
            initial.update(self.row_initial(n, self.saved.get(n)))
        return initial

    def hidden_values(self):
        return {"feedback_positions": ",".join(str(n) for n in self.positions)}

    def intro(self):
        extra = self.audit_data.extra[KEY]
        return {
            "others": extra["others"],
            "links": extra["links"],
            "link_url": reverse("feedback:link_create", args=[self.audit.pk]),
            "audit_url": reverse("feedback:audit_feedback", args=[self.audit.pk]),
        }

    def clean(self):
        data = super().clean()
        self.row_data = {}
        for number, n in enumerate(self.positions, start=1):
            self.row_data[n] = None if self.row_is_empty(n) else self.row_values(n, number)
        return data

    def draft_data(self):
        return {"sections": {KEY: {"rows": self.row_data}}}

    def layout(self):
        return [self.row_layout(n, number) for number, n in enumerate(self.positions, start=1)]


# The section, as the audit form asks for it -----------------------------------------


def _describe(feedback: Feedback) -> str:
    who = feedback.get_respondent_display() or "Who is not recorded"
    if feedback.age_band:
        who += f" ({feedback.get_age_band_display().lower()})"
    parts = [who]
    if feedback.channel:
        parts.append(f"by {feedback.get_channel_display().lower()}")
    if feedback.given_on:
        parts.append(date_format(feedback.given_on, "j F Y"))
    lines = [", ".join(parts)]
    if feedback.outcome == Outcome.NOT_OBTAINED:
        reason = feedback.get_not_obtained_reason_display() or "reason not recorded"
        if feedback.attempts:
            reason += f" ({feedback.attempts})"
        if feedback.reason_other:
            reason += f": {feedback.reason_other}"
        lines.append(f"No feedback obtained: {reason.lower()}")
    elif feedback.outcome == Outcome.GIVEN:
        for q in QUESTIONS:
            answer = getattr(feedback, q.field)
            if answer != Answer.NOT_ANSWERED:
                lines.append(f"{q.staff}: {Answer(answer).label}")
        if feedback.score is not None:
            lines.append(f"Score: {feedback.score} out of 10")
        if feedback.comments:
            lines.append(f"Comments: {feedback.comments}")
        lines.append("Agreed to be quoted: " + ("yes" if feedback.consent_to_quote else "no"))
    else:
        lines.append("Whether they gave feedback is not recorded yet")
    return "\n".join(lines)


class FeedbackFormSection(FormSection):
    key = KEY
    title = TITLE
    after = "participation"

    def form_class(self):
        return FeedbackSectionForm

    def load(self, audit):
        from ..models import FamilyLink

        feedback = list(Feedback.objects.filter(audit=audit).order_by("position", "pk"))
        links = list(FamilyLink.objects.filter(audit=audit).only("used_at", "expires_at"))
        return {
            "rows": [f for f in feedback if f.source == Source.AUDIT_FORM],
            "others": [f for f in feedback if f.source != Source.AUDIT_FORM],
            "links": {
                "sent": len(links),
                "answered": sum(1 for link in links if link.used_at is not None),
            },
        }

    def is_filled(self, audit_data):
        extra = audit_data.extra[KEY]
        return bool(extra["rows"] or extra["others"])

    def missing_items(self, audit):
        items = []
        rows = audit.feedback.filter(source=Source.AUDIT_FORM).order_by("position")
        for number, row in enumerate(rows, start=1):
            values = {f.attname: getattr(row, f.attname) for f in Feedback._meta.concrete_fields}
            for problem in row_problems(values, number):
                suffix = PROBLEM_INPUT.get(problem.field, problem.field)
                items.append(MissingItem(KEY, f"fb-{row.position}-{suffix}", problem.message))
        return items

    def save_draft(self, *, audit, user, data):
        rows = data.get("rows") if isinstance(data, dict) else None
        if not isinstance(rows, dict):
            raise forms.ValidationError("The feedback rows are missing.")
        feedback_save_audit_rows(audit=audit, user=user, rows=rows)

    def summary_rows(self, audit_data):
        user = audit_data.user
        if user is not None and not user.has_perm("feedback.view_audit_feedback", audit_data.audit):
            return [Row("Feedback", HIDDEN, "")]
        extra = audit_data.extra[KEY]
        rows = [
            Row(f"Feedback {number}", _describe(f), f"fb-{f.position}-respondent")
            for number, f in enumerate(extra["rows"], start=1)
        ]
        for f in extra["others"]:
            source = (
                "From the family's own link"
                if f.source == Source.FAMILY_LINK
                else "Recorded on its own"
            )
            rows.append(Row(source, _describe(f), ""))
        if not rows:
            rows.append(Row("Feedback", "None recorded", ""))
        return rows

    def audit_page_links(self, audit, user):
        if user.has_perm("feedback.view_audit_feedback", audit):
            return [
                (
                    "Family feedback for this audit",
                    reverse("feedback:audit_feedback", args=[audit.pk]),
                )
            ]
        return []
