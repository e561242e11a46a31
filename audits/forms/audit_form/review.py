"""The QA Lead's return of an audit, the social worker's reply, and a senior manager's
reason for opening an audit outside their own teams."""

from django import forms

from common.forms import TextField, gds_helper

from ...models import ReplyStance
from ...services.audit import REPLY_NEEDS_STANCE, REPLY_NEEDS_TEXT, RETURN_NEEDS_COMMENTS
from ...services.viewing import REASON_MAX_LENGTH, REASON_NEEDED, REASON_TOO_LONG


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


class ReasonForm(forms.Form):
    reason = TextField(
        name="the reason",
        max_length=REASON_MAX_LENGTH,
        label="Why do you need to open this child's audit?",
        help_text="For example: the child's case is coming to the Director's case review. "
        "Your reason is kept with your name and the time; the QA Lead and the Data "
        "Protection Officer can see it.",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": REASON_NEEDED, "max_length": REASON_TOO_LONG},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = gds_helper("reason")
        self.helper.disable_csrf = True  # the page's form carries the token
