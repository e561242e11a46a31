"""The QA Lead's return of an audit, and the social worker's reply."""

from django import forms

from common.forms import TextField, gds_helper

from ...models import ReplyStance
from ...services.audit import REPLY_NEEDS_STANCE, REPLY_NEEDS_TEXT, RETURN_NEEDS_COMMENTS


class ReturnForm(forms.Form):
    comments = TextField(
        name="the comments for the auditor",
        label="Comments for the auditor",
        help_text="Say what needs to change. The auditor sees this on the audit and by email.",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": RETURN_NEEDS_COMMENTS},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = gds_helper("comments")


class ReplyForm(forms.Form):
    stance = forms.ChoiceField(
        label="Your response to the findings",
        choices=ReplyStance.choices,
        widget=forms.RadioSelect,
        error_messages={"required": REPLY_NEEDS_STANCE, "invalid_choice": REPLY_NEEDS_STANCE},
    )
    text = TextField(
        name="your reply",
        label="Your reply",
        help_text="The auditor, your team manager and the QA Lead can read it.",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": REPLY_NEEDS_TEXT},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = gds_helper("stance", "text")
