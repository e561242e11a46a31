"""The sections of an audit's form, the data its pages read, and the base form.

Each page is a plain Django form whose field names are the HTML ids that
``audits.services.audit.MissingItem`` links to (``grade-<domain>``, ``q-<question>``,
``overall_grade``…), so every error, on the page or on the check page, lands on its
input. The pages are drawn from the ``Field`` view models below with hand-written
GOV.UK markup (``audits/form_field.html``), because crispy-forms-gds numbers radio ids
itself. A form checks types only; completeness is the service's business.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from django import forms
from django.db.models import Q

from accounts.models import User
from common.forms import TEXT_MAX_LENGTH, TextField

from ...extensions import FormSection, form_sections
from ...models import (
    GRADED,
    Audit,
    Grade,
    Involvement,
    NotSpokenReason,
    ProgrammeSettings,
    RIBand,
    TemplateSection,
)
from ...services.audit import MAX_PROPOSED_ACTIONS

CHECK = "check"
FIXED_SECTIONS = [
    ("overall", "Overall grade"),
    ("participation", "Who took part"),
    ("findings", "Strengths and areas for development"),
    ("actions", "Proposed actions"),
]
BLANK_ACTION_ROWS = 3
MAX_ACTION_ROWS = MAX_PROPOSED_ACTIONS

PARTICIPATION_LABELS = {
    "social_worker_involved": "Was the child's social worker involved in the audit?",
    "team_manager_involved": "Was the team manager involved in the audit?",
    "iro_involved": "Was the IRO or child protection chair involved in the audit?",
    "child_spoken_to": "Did you speak to the child?",
    "child_not_spoken_reason": "Why was the child not spoken to?",
    "parent_carer_spoken_to": "Did you speak to a parent or carer?",
    "parent_not_spoken_reason": "Why was no parent or carer spoken to?",
}
FINDINGS_LABELS = {
    "strengths": "Strengths",
    "areas_for_development": "Areas for development",
}
OVERALL_LABELS = {
    "overall_grade": "Overall grade",
    "overall_ri_band": "Requires Improvement band (optional)",
    "overall_rationale": "Reasons for the overall grade",
}
COMMENT_LABEL = "Evidence for your answer"
RI_BAND_HINT = "Lower means closer to Inadequate."


def choice_error(label: str) -> dict:
    return {"invalid_choice": f"Choose one of the options for: {label}"}


# Sections ---------------------------------------------------------------------------


#: The statuses drawn as tags (or, for "Completed", as plain text) in the list of sections.
STATUS_CLASSES = {
    "Completed": "",
    "Optional": "govuk-task-list__status--cannot-start-yet",
    "Incomplete": "govuk-tag govuk-tag--light-blue",
    "Not started": "govuk-tag govuk-tag--blue",
    "Ready to submit": "govuk-tag govuk-tag--green",
}


@dataclass
class Section:
    key: str
    title: str
    template_section: TemplateSection | None = None
    status: str = ""
    url: str = ""
    #: for a section another app adds (audits.extensions)
    extension: FormSection | None = None

    @property
    def status_class(self) -> str:
        """How the list of sections draws the status: a GOV.UK tag's classes, the
        "cannot start yet" text's class, or "" for plain text."""
        return STATUS_CLASSES.get(self.status, "govuk-task-list__status--cannot-start-yet")

    def status_json(self) -> dict:
        return {"key": self.key, "status": self.status, "class": self.status_class}

    @property
    def domain(self):
        ts = self.template_section
        return ts.domain if ts is not None and ts.domain_id else None


def audit_sections(structure) -> list[Section]:
    """Every page of the form, in order: template sections, the fixed ones (each followed
    by the sections other apps add after it), the check."""
    sections = [Section(f"s{s.order}", s.title, s) for s in structure.sections.all()]
    extensions = form_sections()
    for key, title in FIXED_SECTIONS:
        sections.append(Section(key, title))
        sections += [Section(e.key, e.title, extension=e) for e in extensions if e.after == key]
    sections.append(Section(CHECK, "Check and submit"))
    return sections


class AuditData:
    """An audit with everything its form pages read, loaded once per request.

    ``audit`` should come with ``gradings``, ``answers`` and ``proposed_actions``
    prefetched and ``child__team`` selected; ``user`` is the person reading or editing.
    """

    def __init__(self, audit: Audit, structure, user: User | None = None):
        self.audit = audit
        #: the person reading or editing, for sections that show less to some people
        self.user = user
        self.structure = structure
        self.gradings = {g.domain_id: g for g in audit.gradings.all()}
        self.answers = {a.question_id: a for a in audit.answers.all()}
        self.actions = list(audit.proposed_actions.all())
        self.settings = ProgrammeSettings.load()
        self.sections = audit_sections(structure)
        #: what each added section loaded, by key
        self.extra = {s.key: s.extension.load(audit) for s in self.sections if s.extension}
        self._owners = None

    def section(self, key: str) -> Section | None:
        return next((s for s in self.sections if s.key == key), None)

    def owners(self) -> tuple[list[User], int | None]:
        """People who may own a proposed action: the child's team and its manager."""
        if self._owners is None:
            team = self.audit.child.team
            people = list(
                User.objects.filter(Q(team_id=team.pk) | Q(pk=team.manager_id), is_active=True)
                .only("id", "first_name", "last_name", "email", "job_title")
                .order_by("last_name", "first_name")
            )
            self._owners = (people, team.manager_id)
        return self._owners

    def is_filled(self, section: Section) -> bool:
        audit = self.audit
        if section.extension is not None:
            return section.extension.is_filled(self)
        if section.template_section is not None:
            ts = section.template_section
            grading = self.gradings.get(ts.domain_id)
            if grading and (grading.grade or grading.evidence.strip()):
                return True
            for question in ts.questions.all():
                answer = self.answers.get(question.pk)
                if answer and (answer.value not in (None, "", []) or answer.comment.strip()):
                    return True
            return False
        names = {
            "overall": ("overall_grade", "overall_rationale"),
            "participation": tuple(PARTICIPATION_LABELS),
            "findings": tuple(FINDINGS_LABELS),
        }.get(section.key)
        if names:
            return any((getattr(audit, name) or "").strip() for name in names)
        return bool(self.actions) if section.key == "actions" else False

    def set_statuses(self, missing, url_for) -> None:
        keys_missing = {item.section for item in missing}
        for section in self.sections:
            section.url = url_for(section.key)
            if section.key == CHECK:
                section.status = "Cannot submit yet" if missing else "Ready to submit"
            elif section.key in keys_missing:
                section.status = "Incomplete" if self.is_filled(section) else "Not started"
            else:
                section.status = "Completed" if self.is_filled(section) else "Optional"


# View models for the templates ------------------------------------------------------


@dataclass
class Option:
    value: str
    label: str
    id: str
    checked: bool = False
    hint: str = ""
    conditional: list[Field] = field(default_factory=list)
    divider: str = ""


@dataclass
class Field:
    """One GOV.UK form component, as ``audits/form_field.html`` draws it."""

    kind: str  # radios, checkboxes, checkbox, textarea, input, number, select, date, group
    id: str
    name: str = ""
    label: str = ""
    hint: str = ""
    error: str = ""
    value: object = ""
    options: list[Option] = field(default_factory=list)
    children: list[Field] = field(default_factory=list)
    size: str = "s"  # the legend or label size: s, m or l
    small: bool = False
    rows: int = 5
    width: int = 0  # the width of a short input, in characters

    @property
    def reveals(self) -> bool:
        """Whether an option reveals more questions when chosen."""
        return any(option.conditional for option in self.options)

    @property
    def input_type(self) -> str:
        return "radio" if self.kind == "radios" else "checkbox"

    @property
    def described_by(self) -> str:
        ids = [f"{self.id}-hint"] if self.hint else []
        if self.error:
            ids.append(f"{self.id}-error")
        return " ".join(ids)


# Form fields ------------------------------------------------------------------------


class NumberAnswerField(forms.CharField):
    """A number typed as text; the answer is stored as an int or a float."""

    def __init__(self, *, label: str, **kwargs):
        self.message = f"Enter a number for: {label}"
        super().__init__(required=False, max_length=100, **kwargs)
        self.error_messages["max_length"] = self.message

    def clean(self, value):
        text = (super().clean(value) or "").replace(",", "").strip()
        if not text:
            return None
        try:
            number = float(text)
        except ValueError:
            raise forms.ValidationError(self.message, code="invalid") from None
        if not math.isfinite(number):
            raise forms.ValidationError(self.message, code="invalid")
        return int(number) if number.is_integer() and "." not in text else number


def _text(name: str, max_length: int = TEXT_MAX_LENGTH) -> forms.CharField:
    """Optional free text; ``name`` is how its message speaks of it ("The evidence…")."""
    return TextField(name=name, max_length=max_length, required=False)


def _choice(options, label: str, multiple: bool = False):
    if multiple:
        return forms.MultipleChoiceField(
            choices=options,
            required=False,
            widget=forms.CheckboxSelectMultiple,
            error_messages=choice_error(label),
        )
    return forms.ChoiceField(
        choices=options,
        required=False,
        widget=forms.RadioSelect,
        error_messages=choice_error(label),
    )


GRADE_OPTIONS = [(g.value, g.label) for g in GRADED]
INVOLVEMENT_OPTIONS = Involvement.choices
REASON_OPTIONS = NotSpokenReason.choices


class SectionForm(forms.Form):
    """A page of the audit form. Each subclass defines ``add_fields()`` (its inputs),
    ``initial_values()`` (from the saved audit), ``draft_data()`` (the cleaned data as
    ``audit_save_draft`` takes it) and ``layout()`` (the ``Field`` list to draw).

    A page may also set ``intro_template`` (drawn above its questions, with ``intro()``
    as ``intro``), ``hidden_values()`` (more hidden inputs) and ``add_more_label`` (a
    button that saves and comes back to the page)."""

    intro_template = ""
    add_more_label = ""

    def __init__(self, data=None, *, audit_data: AuditData, section: Section):
        super().__init__(data, auto_id="%s")
        self.audit_data = audit_data
        self.audit = audit_data.audit
        self.section = section
        self.add_fields()
        if data is None:
            self.initial = self.initial_values()

    def intro(self) -> dict:
        return {}

    def hidden_values(self) -> dict[str, str]:
        return {}

    @property
    def lock_version(self) -> int:
        """The version the page was loaded at; -1 (always stale) if it is missing."""
        if not self.is_bound:
            return self.audit.lock_version
        try:
            return int(self.data.get("lock_version", ""))
        except (TypeError, ValueError):
            return -1

    def error_list(self) -> dict[str, str]:
        """The first error of each field, keyed by the HTML id it links to, in page order."""
        errors = self.errors
        return {name: errors[name][0] for name in self.fields if name in errors}

    def _error(self, name: str) -> str:
        errors = self.errors.get(name) if self.is_bound else None
        return errors[0] if errors else ""

    def _value(self, name: str):
        value = self[name].value()
        return "" if value is None else value

    def choices_field(
        self, name, label, options, *, hint="", size="s", small=False, conditionals=None
    ) -> Field:
        kind = (
            "checkboxes" if isinstance(self.fields[name], forms.MultipleChoiceField) else "radios"
        )
        value = self._value(name)
        selected = {str(v) for v in value} if isinstance(value, (list, tuple)) else {str(value)}
        conditionals = conditionals or {}
        built = []
        for position, choice in enumerate(options, start=1):
            value_, text = choice[0], choice[1]
            built.append(
                Option(
                    value=value_,
                    label=text,
                    id=name if position == 1 else f"{name}-{position}",
                    checked=str(value_) in selected,
                    hint=choice[2] if len(choice) > 2 else "",
                    conditional=conditionals.get(value_, []),
                    divider=choice[3] if len(choice) > 3 else "",
                )
            )
        return Field(
            kind=kind,
            id=name,
            name=name,
            label=label,
            hint=hint,
            error=self._error(name),
            options=built,
            size=size,
            small=small,
        )

    def text_field(self, name, label, *, kind="textarea", hint="", size="s", rows=5) -> Field:
        return Field(
            kind=kind,
            id=name,
            name=name,
            label=label,
            hint=hint,
            error=self._error(name),
            value=self._value(name),
            size=size,
            rows=rows,
        )

    def grade_field(self, name: str, label: str, band_name: str, *, descriptors=None, hint=""):
        """Grade radios with each grade's descriptor under it, and the RI band revealed
        when Requires Improvement is chosen."""
        descriptors = descriptors or {}
        options = [(value, text, descriptors.get(value, "")) for value, text in GRADE_OPTIONS]
        if name in self.fields and any(v == Grade.NOT_GRADED for v, _ in self.fields[name].choices):
            options.append((Grade.NOT_GRADED, Grade.NOT_GRADED.label, "", "or"))
        band = self.choices_field(
            band_name, OVERALL_LABELS["overall_ri_band"], RIBand.choices, hint=RI_BAND_HINT
        )
        band.small = True
        return self.choices_field(
            name,
            label,
            options,
            hint=hint,
            size="m",
            conditionals={Grade.REQUIRES_IMPROVEMENT: [band]},
        )
