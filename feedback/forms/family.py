"""The family's page: the same questions in plain words, or in a child's words. It asks
for nothing that identifies anyone."""

from __future__ import annotations

from crispy_forms_gds.layout import Button, Field, Size
from django import forms

from common.forms import gds_helper

from ..models import Answer, Audience
from ..questions import QUESTIONS
from ..services.links import ADULT_RESPONDENTS

FAMILY_ANSWERS = [
    (Answer.YES, "Yes"),
    (Answer.PARTLY, "A bit"),
    (Answer.NO, "No"),
    (Answer.NOT_ANSWERED, "I don't want to say"),
]
SCORES = [(str(n), str(n)) for n in range(0, 11)]


class FamilyForm(forms.Form):
    def __init__(self, *args, audience: str, **kwargs):
        super().__init__(*args, **kwargs)
        child = audience == Audience.CHILD
        self.child = child
        names = []
        if not child:
            self.fields["respondent"] = forms.ChoiceField(
                label="Who is filling this in?",
                choices=ADULT_RESPONDENTS,
                required=False,
                widget=forms.RadioSelect,
                error_messages={"invalid_choice": "Choose one of the answers"},
            )
            names.append(Field.radios("respondent", legend_size=Size.MEDIUM))
        for q in QUESTIONS:
            self.fields[q.field] = forms.ChoiceField(
                label=q.child if child else q.family,
                choices=FAMILY_ANSWERS,
                required=False,
                widget=forms.RadioSelect,
                error_messages={"invalid_choice": "Choose one of the answers"},
            )
            names.append(Field.radios(q.field, legend_size=Size.MEDIUM))
        self.fields["score"] = forms.TypedChoiceField(
            label="Out of 10, how good was your social worker?"
            if child
            else "Out of 10, how would you score the help you had from the social worker?",
            help_text="0 is very bad. 10 is brilliant.",
            choices=SCORES,
            coerce=int,
            empty_value=None,
            required=False,
            widget=forms.RadioSelect,
            error_messages={"invalid_choice": "Choose a number from 0 to 10"},
        )
        names.append(Field.radios("score", legend_size=Size.MEDIUM, inline=True))
        self.fields["comments"] = forms.CharField(
            label="Is there anything else you want to tell us?"
            if child
            else "Is there anything else you would like to tell us?",
            help_text="Please do not write anyone's name or where you live.",
            required=False,
            max_length=5000,
            widget=forms.Textarea(attrs={"rows": 5}),
            error_messages={"max_length": "Please write 5000 characters or fewer"},
        )
        names.append(Field.textarea("comments", rows=5))
        self.fields["consent"] = forms.ChoiceField(
            label="Can we use your words in our reports? We will not say who you are."
            if not child
            else "Can we use what you wrote in our reports? We will not say who you are.",
            choices=[("yes", "Yes"), ("no", "No")],
            required=False,
            widget=forms.RadioSelect,
            error_messages={"invalid_choice": "Choose yes or no"},
        )
        names.append(Field.radios("consent", legend_size=Size.MEDIUM, inline=True))
        names.append(Button("submit", "Send my answers"))
        self.helper = gds_helper(*names)
        # The page is exempt from CSRF (the link's secret proves who sent it) and sets
        # no cookie.
        self.helper.disable_csrf = True

    def values(self) -> dict:
        data = self.cleaned_data
        values = {q.field: data.get(q.field) or Answer.NOT_ANSWERED for q in QUESTIONS}
        values.update(
            respondent=data.get("respondent") or "",
            score=data.get("score"),
            comments=data.get("comments") or "",
            consent_to_quote=data.get("consent") == "yes",
        )
        return values
