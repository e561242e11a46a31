"""Forms of the staff pages: feedback on its own, a family's link, quotes and themes.
They turn input into values with specific messages; the rules are in the services."""

from __future__ import annotations

from crispy_forms_gds.layout import Button, Field, Size
from django import forms

from common.forms import TextField, gds_helper

from ..models import Audience, QuoteTheme, Tone
from ..services import links as link_services
from ..services import quotes as quote_services
from ..services.records import row_problems
from .rows import FeedbackRowsMixin


class RecordForm(FeedbackRowsMixin, forms.Form):
    """One record of feedback, complete, for an audit (a QA officer's call, a survey)."""

    def __init__(self, data=None):
        super().__init__(data, auto_id="%s")
        self.add_row_fields(0, 1)

    def clean(self):
        data = super().clean()
        self.values = self.row_values(0, 1)
        if not self.errors:
            for problem in row_problems(self.values, 1):
                name = {"date": "fb-0-date-day", "reason": "fb-0-reason"}.get(
                    problem.field, f"fb-0-{problem.field}"
                )
                self.add_error(name, problem.message)
        return data

    def error_list(self) -> dict[str, str]:
        errors = self.errors
        return {name: errors[name][0] for name in self.fields if name in errors}

    def layout(self):
        return [self.row_layout(0, 1, legend="The feedback")]


class LinkForm(forms.Form):
    audience = forms.ChoiceField(
        label="Who is the link for?",
        choices=Audience.choices,
        widget=forms.RadioSelect,
        help_text="A child or young person gets a page written for them.",
        error_messages={
            "required": link_services.CHOOSE_AUDIENCE,
            "invalid_choice": link_services.CHOOSE_AUDIENCE,
        },
    )
    email = forms.CharField(
        label="Email address (optional)",
        required=False,
        max_length=254,
        help_text="We email the link to this address and then forget it. Leave it empty to "
        "send the link by text message yourself.",
        error_messages={"max_length": link_services.EMAIL_INVALID},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].widget.attrs.update(
            {"autocomplete": "off", "spellcheck": "false", "inputmode": "email"}
        )
        self.helper = gds_helper(
            Field.radios("audience", legend_size=Size.MEDIUM),
            Field.text("email"),
            Button("submit", "Make the link"),
        )


class QuoteForm(forms.Form):
    text = TextField(
        name="the quote",
        label="The quote",
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        help_text="Edit out names and places: the child's, their family's, workers', "
        "schools, streets and towns.",
    )
    attribution = forms.CharField(
        label="Who said it",
        required=False,
        max_length=40,
        help_text="As the report shows it: “Mum”, “Child, 12”, “School”.",
    )
    tone = forms.ChoiceField(
        label="Tone",
        choices=Tone.choices,
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": quote_services.QUOTE_NEEDS_TONE},
    )
    theme = forms.ModelChoiceField(
        label="Theme",
        queryset=QuoteTheme.objects.none(),
        required=False,
        empty_label="Select a theme",
        error_messages={"invalid_choice": quote_services.THEME_UNKNOWN},
    )
    lock_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, quote, **kwargs):
        super().__init__(*args, **kwargs)
        themes = QuoteTheme.objects.filter(is_active=True)
        if quote.theme_id:
            themes = QuoteTheme.objects.filter(pk=quote.theme_id) | themes
        self.fields["theme"].queryset = themes.order_by("name")
        self.helper = gds_helper(
            Field.textarea("text", rows=6),
            Field.text("attribution"),
            Field.radios("tone", legend_size=Size.SMALL, inline=True),
            Field.select("theme"),
            "lock_version",
        )


class ThemeForm(forms.Form):
    name = forms.CharField(
        label="New theme",
        max_length=80,
        error_messages={
            "required": quote_services.THEME_NEEDS_NAME,
            "max_length": "The name of the theme must be 80 characters or fewer",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(Field.text("name"), Button("submit", "Add the theme"))
