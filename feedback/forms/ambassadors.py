"""Forms of the Ambassadors' reviews: the QA Lead's draw and lists of names to hide,
and the Ambassador's answers. The rules are in services/ambassadors.py."""

from __future__ import annotations

import datetime

from crispy_forms_gds.layout import Button, Field, Size
from django import forms
from django.utils import timezone

from common.forms import TextField, gds_helper, month_choices, parse_id

from ..models import AMBASSADOR_QUESTIONS, HowChosen, ReviewAnswer
from ..selectors.ambassadors import ambassadors
from ..services import ambassadors as services

MONTH_UNKNOWN = "Select a month from the list"
HOW_MISSING = "Select a number of audits or a share"
AMOUNT_MISSING = "Enter how many audits, or the share as a percentage"


class _IdsFirst:
    """Refuse anything but ids (ASCII digits the database can hold) before the query:
    SQLite raises OverflowError on a number past 64 bits."""

    def clean(self, value):
        values = value if isinstance(value, list | tuple) else [value]
        if any(v not in (None, "") and parse_id(v) is None for v in values):
            raise forms.ValidationError(self.error_messages["invalid_choice"], "invalid_choice")
        return super().clean(value)


class IdChoiceField(_IdsFirst, forms.ModelChoiceField):
    pass


class IdsChoiceField(_IdsFirst, forms.ModelMultipleChoiceField):
    pass


class SampleForm(forms.Form):
    month = forms.ChoiceField(
        label="Month",
        help_text="Audits accepted for this month are drawn.",
        error_messages={"required": MONTH_UNKNOWN, "invalid_choice": MONTH_UNKNOWN},
    )
    how_chosen = forms.ChoiceField(
        label="How many audits?",
        choices=HowChosen.choices,
        widget=forms.RadioSelect,
        error_messages={"required": HOW_MISSING, "invalid_choice": HOW_MISSING},
    )
    amount = forms.IntegerField(
        label="Number, or percentage",
        help_text="For example 4 audits, or 10 (per cent) of the month's accepted audits.",
        min_value=1,
        max_value=100,
        error_messages={
            "required": AMOUNT_MISSING,
            "invalid": AMOUNT_MISSING,
            "min_value": AMOUNT_MISSING,
            "max_value": services.SAMPLE_NUMBER_INVALID,
        },
    )
    ambassadors = IdsChoiceField(
        label="Ambassadors to review them",
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text="The audits are shared among them in turn.",
        error_messages={
            "required": services.SAMPLE_NEEDS_AMBASSADOR,
            "invalid_choice": services.SAMPLE_NEEDS_AMBASSADOR,
            "invalid_pk_value": services.SAMPLE_NEEDS_AMBASSADOR,
            "invalid_list": services.SAMPLE_NEEDS_AMBASSADOR,
        },
    )

    def __init__(self, *args, today: datetime.date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        today = today or timezone.localdate()
        self.fields["month"].choices = month_choices(today, back=12, ahead=0, newest_first=True)
        if not self.is_bound:
            self.initial.setdefault("month", self.fields["month"].choices[1][0])
        self.fields["ambassadors"].queryset = ambassadors().order_by("last_name", "first_name")
        self.fields["ambassadors"].label_from_instance = lambda u: u.get_full_name()
        self.fields["amount"].widget.attrs.update({"inputmode": "numeric"})
        self.helper = gds_helper(
            Field.select("month"),
            Field.radios("how_chosen", legend_size=Size.SMALL),
            Field.text("amount", field_width=4),
            Field.checkboxes("ambassadors", legend_size=Size.SMALL),
            Button("submit", "Draw the sample"),
        )

    def clean_month(self):
        return datetime.date.fromisoformat(self.cleaned_data["month"])


REVIEW_UNKNOWN = "Select a review of this sample that is still open"
AMBASSADOR_UNKNOWN = "Select an Ambassador from the list"


class ReassignForm(forms.Form):
    """Which open review of the sample, and which Ambassador now (ids from the page)."""

    review = IdChoiceField(
        queryset=None,
        error_messages={"required": REVIEW_UNKNOWN, "invalid_choice": REVIEW_UNKNOWN},
    )
    ambassador = IdChoiceField(
        queryset=None,
        error_messages={"required": AMBASSADOR_UNKNOWN, "invalid_choice": AMBASSADOR_UNKNOWN},
    )

    def __init__(self, *args, sample, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["review"].queryset = sample.reviews.filter(status="open")
        self.fields["ambassador"].queryset = ambassadors()


class HiddenNamesForm(forms.Form):
    names = forms.CharField(
        label="People's names to hide",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=services.HIDDEN_MAX,
        help_text="The child's names, their family's and anyone else named on the file, "
        "one a line. Workers' names and the case reference are hidden already.",
        error_messages={"max_length": services.HIDDEN_TOO_LONG},
    )
    places = forms.CharField(
        label="Places to hide",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=services.HIDDEN_MAX,
        help_text="Schools, streets, towns, one a line.",
        error_messages={"max_length": services.HIDDEN_TOO_LONG},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(
            Field.textarea("names", rows=5),
            Field.textarea("places", rows=3),
            Button("submit", "Save the lists"),
        )


TOPICS = {
    "relationship": "the relationship",
    "summary": "the case summary",
    "views": "the child's views",
    "likes": "likes, interests and achievements",
    "language": "the language",
}


class ReviewForm(forms.Form):
    """The five questions, each yes, partly or no, with comments."""

    overall_comments = TextField(
        name="your comments",
        max_length=services.COMMENTS_MAX,
        label="Anything else you want to say about this audit? (optional)",
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        layout = []
        for name, question in AMBASSADOR_QUESTIONS:
            message = services.ANSWER_MISSING.format(question=question)
            self.fields[name] = forms.ChoiceField(
                label=question,
                choices=ReviewAnswer.choices,
                widget=forms.RadioSelect,
                error_messages={"required": message, "invalid_choice": message},
            )
            self.fields[f"{name}_comments"] = TextField(
                name="your comments",
                max_length=services.COMMENTS_MAX,
                label=f"Your comments on {TOPICS[name]} (optional)",
                required=False,
            )
            layout += [
                Field.radios(name, legend_size=Size.SMALL, inline=True),
                Field.textarea(f"{name}_comments", rows=3),
            ]
        self.order_fields(
            [f for name, _ in AMBASSADOR_QUESTIONS for f in (name, f"{name}_comments")]
        )
        self.helper = gds_helper(
            *layout, Field.textarea("overall_comments", rows=4), Button("submit", "Send my review")
        )
