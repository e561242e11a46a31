"""The section forms: a domain or general section of the template, then the overall
grade, who took part, the findings and the proposed actions."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from common.forms import date_from_parts, date_messages

from ...models import Grade, Involvement, QuestionKind, RIBand
from ...services.audit import CHILD_SPEAKING_AGE, answer_max_length, child_age_at_audit
from .base import (
    BLANK_ACTION_ROWS,
    COMMENT_LABEL,
    FINDINGS_LABELS,
    GRADE_OPTIONS,
    INVOLVEMENT_OPTIONS,
    MAX_ACTION_ROWS,
    OVERALL_LABELS,
    PARTICIPATION_LABELS,
    REASON_OPTIONS,
    AuditData,
    Field,
    NumberAnswerField,
    Section,
    SectionForm,
    _choice,
    _text,
)


class TemplateSectionForm(SectionForm):
    """A section of the template: its questions and, for a domain, the grade."""

    def add_fields(self):
        ts = self.section.template_section
        self.questions = list(ts.questions.all())
        for q in self.questions:
            name = f"q-{q.pk}"
            if q.kind in (QuestionKind.YES_NO, QuestionKind.SINGLE_CHOICE):
                self.fields[name] = _choice(q.options, q.text)
            elif q.kind == QuestionKind.MULTIPLE_CHOICE:
                self.fields[name] = _choice(q.options, q.text, multiple=True)
            elif q.kind == QuestionKind.NUMBER:
                self.fields[name] = NumberAnswerField(label=q.text)
            else:
                self.fields[name] = _text(f"the answer to ‘{q.text}’", answer_max_length(q))
            if self._asks_comment(q):
                self.fields[f"{name}-comment"] = _text(f"The evidence for ‘{q.text}’")
        self.domain = self.section.domain
        if self.domain is not None:
            d = self.domain.pk
            grades = [*GRADE_OPTIONS, (Grade.NOT_GRADED, Grade.NOT_GRADED.label)]
            self.fields[f"grade-{d}"] = _choice(grades, f"the grade for {self.domain.name}")
            self.fields[f"ri-band-{d}"] = _choice(RIBand.choices, "the Requires Improvement band")
            self.fields[f"evidence-{d}"] = _text(f"The evidence for {self.domain.name}")

    @staticmethod
    def _asks_comment(question) -> bool:
        return question.kind == QuestionKind.YES_NO and question.needs_comment

    def initial_values(self):
        initial = {}
        answers = self.audit_data.answers
        for q in self.questions:
            answer = answers.get(q.pk)
            value = answer.value if answer else None
            if q.kind == QuestionKind.MULTIPLE_CHOICE:
                value = value if isinstance(value, list) else []
            initial[f"q-{q.pk}"] = "" if value is None else value
            if self._asks_comment(q):
                initial[f"q-{q.pk}-comment"] = answer.comment if answer else ""
        if self.domain is not None:
            grading = self.audit_data.gradings.get(self.domain.pk)
            d = self.domain.pk
            initial[f"grade-{d}"] = grading.grade if grading else ""
            initial[f"ri-band-{d}"] = grading.ri_band if grading else ""
            initial[f"evidence-{d}"] = grading.evidence if grading else ""
        return initial

    def draft_data(self):
        data = self.cleaned_data
        answers = {}
        for q in self.questions:
            entry = {"value": data[f"q-{q.pk}"]}
            if self._asks_comment(q):
                entry["comment"] = data[f"q-{q.pk}-comment"]
            answers[q.pk] = entry
        result = {"answers": answers}
        if self.domain is not None:
            d = self.domain.pk
            grade = data[f"grade-{d}"]
            result["gradings"] = {
                d: {
                    "grade": grade,
                    "ri_band": data[f"ri-band-{d}"] if grade == Grade.REQUIRES_IMPROVEMENT else "",
                    "evidence": data[f"evidence-{d}"],
                }
            }
        return result

    def layout(self):
        fields = []
        for q in self.questions:
            name = f"q-{q.pk}"
            label = q.text if q.required else f"{q.text} (optional)"
            if q.kind in (
                QuestionKind.YES_NO,
                QuestionKind.SINGLE_CHOICE,
                QuestionKind.MULTIPLE_CHOICE,
            ):
                hint = q.help_text
                if q.kind == QuestionKind.MULTIPLE_CHOICE:
                    hint = f"{hint} Select all that apply.".strip()
                fields.append(self.choices_field(name, label, q.options, hint=hint, size="m"))
            else:
                kind = {
                    QuestionKind.NUMBER: "number",
                    QuestionKind.SHORT_TEXT: "input",
                }.get(q.kind, "textarea")
                fields.append(self.text_field(name, label, kind=kind, hint=q.help_text, size="m"))
            if self._asks_comment(q):
                fields.append(
                    self.text_field(
                        f"{name}-comment",
                        COMMENT_LABEL,
                        hint="What on the file shows this? Not needed if the answer is "
                        "‘Not applicable’.",
                        rows=3,
                    )
                )
        if self.domain is not None:
            d = self.domain
            descriptors = {g.grade: g.text for g in d.descriptors.all()}
            fields.append(
                self.grade_field(
                    f"grade-{d.pk}",
                    f"Grade for {d.name}",
                    f"ri-band-{d.pk}",
                    descriptors=descriptors,
                    hint="Choose the grade whose description best matches the practice you found.",
                )
            )
            minimum = self.audit_data.settings.evidence_min_length
            fields.append(
                self.text_field(
                    f"evidence-{d.pk}",
                    f"Evidence for the {d.name} grade",
                    hint=f"Say what you found on the file that supports the grade. Write at "
                    f"least {minimum} characters.",
                    size="m",
                    rows=8,
                )
            )
        return fields


class OverallForm(SectionForm):
    def add_fields(self):
        self.fields["overall_grade"] = _choice(GRADE_OPTIONS, "the overall grade")
        self.fields["overall_ri_band"] = _choice(RIBand.choices, "the Requires Improvement band")
        self.fields["overall_rationale"] = _text("The reasons for the overall grade")

    def initial_values(self):
        return {name: getattr(self.audit, name) for name in OVERALL_LABELS}

    def draft_data(self):
        data = self.cleaned_data
        grade = data["overall_grade"]
        band = data["overall_ri_band"] if grade == Grade.REQUIRES_IMPROVEMENT else ""
        return {
            "fields": {
                "overall_grade": grade,
                "overall_ri_band": band,
                "overall_rationale": data["overall_rationale"],
            }
        }

    def layout(self):
        minimum = self.audit_data.settings.evidence_min_length
        return [
            self.grade_field(
                "overall_grade",
                OVERALL_LABELS["overall_grade"],
                "overall_ri_band",
                hint="The grade for the child's experience and progress overall, weighing up "
                "the domain grades.",
            ),
            self.text_field(
                "overall_rationale",
                OVERALL_LABELS["overall_rationale"],
                hint=f"Explain how you reached the overall grade. Write at least {minimum} "
                "characters.",
                size="m",
                rows=8,
            ),
        ]


class ParticipationForm(SectionForm):
    REASON_FOR = {
        "child_spoken_to": "child_not_spoken_reason",
        "parent_carer_spoken_to": "parent_not_spoken_reason",
    }

    def add_fields(self):
        for name, label in PARTICIPATION_LABELS.items():
            options = REASON_OPTIONS if name.endswith("_reason") else INVOLVEMENT_OPTIONS
            self.fields[name] = _choice(options, label[0].lower() + label[1:])

    def initial_values(self):
        return {name: getattr(self.audit, name) for name in PARTICIPATION_LABELS}

    def draft_data(self):
        data = dict(self.cleaned_data)
        for answer, reason in self.REASON_FOR.items():
            if data[answer] != Involvement.NO:
                data[reason] = ""
        return {"fields": data}

    def layout(self):
        fields = [
            self.choices_field(name, PARTICIPATION_LABELS[name], INVOLVEMENT_OPTIONS, size="m")
            for name in ("social_worker_involved", "team_manager_involved", "iro_involved")
        ]
        age = child_age_at_audit(self.audit)
        if age is None:
            child_hint = "The child's date of birth is not recorded."
        elif age >= CHILD_SPEAKING_AGE:
            child_hint = (
                f"The child was {age} in the month of the audit, so select yes or no. "
                "If no, say why."
            )
        else:
            child_hint = f"The child was {age} in the month of the audit."
        for answer, hint in (
            ("child_spoken_to", child_hint),
            ("parent_carer_spoken_to", "If no, say why."),
        ):
            reason = self.REASON_FOR[answer]
            reveal = self.choices_field(reason, PARTICIPATION_LABELS[reason], REASON_OPTIONS)
            fields.append(
                self.choices_field(
                    answer,
                    PARTICIPATION_LABELS[answer],
                    INVOLVEMENT_OPTIONS,
                    hint=hint,
                    size="m",
                    conditionals={Involvement.NO: [reveal]},
                )
            )
        return fields


class FindingsForm(SectionForm):
    def add_fields(self):
        for name, label in FINDINGS_LABELS.items():
            self.fields[name] = _text(label)

    def initial_values(self):
        return {name: getattr(self.audit, name) for name in FINDINGS_LABELS}

    def draft_data(self):
        return {"fields": {name: self.cleaned_data[name] for name in FINDINGS_LABELS}}

    def layout(self):
        return [
            self.text_field(
                "strengths",
                FINDINGS_LABELS["strengths"],
                hint="What is working well for the child, in the practice you saw.",
                size="m",
                rows=6,
            ),
            self.text_field(
                "areas_for_development",
                FINDINGS_LABELS["areas_for_development"],
                hint="What would make the most difference to the child if it improved.",
                size="m",
                rows=6,
            ),
        ]


class ActionsForm(SectionForm):
    """Proposed actions: the saved ones, then blank rows. Clearing a row removes it."""

    def add_fields(self):
        people, self.manager_id = self.audit_data.owners()
        self.owner_choices = [("", "Not decided yet")] + [
            (str(p.pk), self._person(p)) for p in people
        ]
        known = {p.pk for p in people}
        for action in self.audit_data.actions:
            owner = action.suggested_owner
            if owner is not None and owner.pk not in known:
                self.owner_choices.append((str(owner.pk), self._person(owner)))
                known.add(owner.pk)
        if self.is_bound:
            try:
                rows = int(self.data.get("action_rows", 0))
            except (TypeError, ValueError):
                rows = 0
        else:
            rows = len(self.audit_data.actions) + BLANK_ACTION_ROWS
        self.rows = max(0, min(rows, MAX_ACTION_ROWS))
        for n in range(self.rows):
            number = n + 1
            self.fields[f"action-{n}-text"] = _text(
                f"What must happen for proposed action {number}"
            )
            self.fields[f"action-{n}-plan"] = forms.BooleanField(required=False)
            self.fields[f"action-{n}-owner"] = forms.ChoiceField(
                choices=self.owner_choices,
                required=False,
                error_messages={
                    "invalid_choice": "Choose a suggested owner from the list for proposed "
                    f"action {number}"
                },
            )
            not_real = date_messages(self._due_name(n))["invalid"]
            for part in ("day", "month", "year"):
                # long enough for any year typed: the range is checked with the date
                self.fields[f"action-{n}-due-{part}"] = forms.CharField(
                    required=False,
                    max_length=40,
                    strip=True,
                    error_messages={"max_length": not_real},
                )

    @staticmethod
    def _due_name(n: int) -> str:
        return f"the suggested date for proposed action {n + 1}"

    @staticmethod
    def _person(person) -> str:
        title = person.get_job_title_display()
        return f"{person.get_full_name()}, {title}" if title else person.get_full_name()

    def initial_values(self):
        initial = {}
        for n in range(self.rows):
            action = self.audit_data.actions[n] if n < len(self.audit_data.actions) else None
            due = action.suggested_due if action else None
            owner = action.suggested_owner_id if action else self.manager_id
            initial.update(
                {
                    f"action-{n}-text": action.text if action else "",
                    f"action-{n}-plan": action.for_child_plan if action else False,
                    f"action-{n}-owner": str(owner) if owner else "",
                    f"action-{n}-due-day": str(due.day) if due else "",
                    f"action-{n}-due-month": str(due.month) if due else "",
                    f"action-{n}-due-year": str(due.year) if due else "",
                }
            )
        return initial

    def clean(self):
        data = super().clean()
        for n in range(self.rows):
            parts = [data.get(f"action-{n}-due-{p}") or "" for p in ("day", "month", "year")]
            data[f"action-{n}-due"] = None
            if not any(parts):
                continue
            try:
                data[f"action-{n}-due"] = date_from_parts(*parts, name=self._due_name(n))
            except ValidationError as error:
                self.add_error(f"action-{n}-due-day", error)
        return data

    def draft_data(self):
        data = self.cleaned_data
        actions = []
        for n in range(self.rows):
            text, due = data[f"action-{n}-text"], data[f"action-{n}-due"]
            if not (text or due):
                continue
            owner = data[f"action-{n}-owner"]
            actions.append(
                {
                    "text": text,
                    "for_child_plan": data[f"action-{n}-plan"],
                    "suggested_owner_id": int(owner) if owner else None,
                    "suggested_due": due,
                }
            )
        return {"actions": actions}

    def layout(self):
        fields = []
        for n in range(self.rows):
            owner = self.choices_field(f"action-{n}-owner", "Suggested owner", self.owner_choices)
            owner.kind = "select"
            owner.value = str(self._value(f"action-{n}-owner"))
            owner.hint = "Someone in the child's team, or its manager."
            plan = Field(
                kind="checkbox",
                id=f"action-{n}-plan",
                name=f"action-{n}-plan",
                label="This action belongs in the child's plan",
                hint="A care-planning action, to be added to the child's plan.",
                value=bool(self._value(f"action-{n}-plan")),
            )
            due = Field(
                kind="date",
                id=f"action-{n}-due",
                label="Suggested date (optional)",
                hint="For example, 27 3 2026",
                error=self._error(f"action-{n}-due-day"),
                children=[
                    Field(
                        kind="input",
                        id=f"action-{n}-due-{part}",
                        name=f"action-{n}-due-{part}",
                        label=part.capitalize(),
                        value=self._value(f"action-{n}-due-{part}"),
                        width=4 if part == "year" else 2,
                    )
                    for part in ("day", "month", "year")
                ],
            )
            fields.append(
                Field(
                    kind="group",
                    id=f"action-{n}",
                    label=f"Proposed action {n + 1}",
                    size="m",
                    children=[
                        self.text_field(f"action-{n}-text", "What must happen", rows=3),
                        plan,
                        owner,
                        due,
                    ],
                )
            )
        return fields


FORMS = {
    "overall": OverallForm,
    "participation": ParticipationForm,
    "findings": FindingsForm,
    "actions": ActionsForm,
}


def section_form(audit_data: AuditData, section: Section, data=None) -> SectionForm:
    if section.extension is not None:
        form_class = section.extension.form_class()
    elif section.template_section:
        form_class = TemplateSectionForm
    else:
        form_class = FORMS[section.key]
    return form_class(data, audit_data=audit_data, section=section)
