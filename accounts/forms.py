from crispy_forms_gds.layout import Button, Field, Fluid
from django import forms
from django.contrib.auth import forms as auth_forms

from common.forms import GovDateField, date_messages, gds_helper

from .selectors import people_with_access_changes

SIGN_IN_FAILED = "Enter a correct email address and password"
ENTER_EMAIL = "Enter your email address"
ENTER_VALID_EMAIL = "Enter an email address in the correct format, like name@example.gov.uk"
ENTER_PASSWORD = "Enter your password"
ACCOUNT_INACTIVE = SIGN_IN_FAILED  # never reveal whether an account exists or is disabled


class SignInForm(auth_forms.AuthenticationForm):
    username = forms.EmailField(
        label="Email address",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "username", "spellcheck": "false"}),
        error_messages={"required": ENTER_EMAIL, "invalid": ENTER_VALID_EMAIL},
    )
    password = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": ENTER_PASSWORD},
    )

    error_messages = {"invalid_login": SIGN_IN_FAILED, "inactive": ACCOUNT_INACTIVE}

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].widget.attrs.pop("autofocus", None)
        self.helper = gds_helper(
            Field.text("username", field_width=Fluid.TWO_THIRDS),
            Field.text("password", field_width=Fluid.TWO_THIRDS),
            Button("submit", "Sign in"),
        )

    def clean_username(self):
        return self.cleaned_data["username"].strip().lower()


class PasswordResetRequestForm(auth_forms.PasswordResetForm):
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={"required": ENTER_EMAIL, "invalid": ENTER_VALID_EMAIL},
        help_text=(
            "If this address belongs to an account, we will email a link to reset the password."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(
            Field.text("email", field_width=Fluid.TWO_THIRDS), Button("submit", "Send link")
        )


NEW_PASSWORD_REQUIRED = "Enter a new password"
CONFIRM_PASSWORD_REQUIRED = "Enter the new password again"
PASSWORDS_DIFFER = "The two passwords do not match: enter the same password twice"


class NewPasswordForm(auth_forms.SetPasswordForm):
    error_messages = {"password_mismatch": PASSWORDS_DIFFER}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].error_messages["required"] = NEW_PASSWORD_REQUIRED
        self.fields["new_password2"].error_messages["required"] = CONFIRM_PASSWORD_REQUIRED
        self.fields["new_password1"].help_text = (
            "At least 12 characters. Not a common password, not only numbers, "
            "and not like your name or email address."
        )
        self.helper = gds_helper(
            Field.text("new_password1", field_width=Fluid.TWO_THIRDS),
            Field.text("new_password2", field_width=Fluid.TWO_THIRDS),
            Button("submit", "Save new password"),
        )


PERSON_NOT_FOUND = "Choose a person from the list"
SINCE_MESSAGES = date_messages("the 'from' date", example="2026-04-01")
UNTIL_MESSAGES = date_messages("the 'to' date", example="2026-04-30")
SINCE_NOT_A_DATE = SINCE_MESSAGES["invalid"]
UNTIL_NOT_A_DATE = UNTIL_MESSAGES["invalid"]
UNTIL_BEFORE_SINCE = "The 'to' date must be the same as or after the 'from' date"


class AccessChangeFilterForm(forms.Form):
    person = forms.ModelChoiceField(
        label="Person",
        queryset=None,
        required=False,
        empty_label="Everyone",
        error_messages={"invalid_choice": PERSON_NOT_FOUND},
    )
    since = GovDateField(
        name="the 'from' date",
        example="2026-04-01",
        compact=True,
        label="From",
        required=False,
        help_text="For example, 2026-04-01",
    )
    until = GovDateField(
        name="the 'to' date",
        example="2026-04-30",
        compact=True,
        label="To",
        required=False,
        help_text="For example, 2026-04-30",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people_with_access_changes()
        self.helper = gds_helper(
            Field.select("person"),
            Field.text("since"),
            Field.text("until"),
            Button.secondary("apply", "Apply filters"),
        )
        self.helper.disable_csrf = True  # a search (GET): no token in the address

    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and until < since:
            self.add_error("until", UNTIL_BEFORE_SINCE)
        return cleaned


class ApiTokenForm(forms.Form):
    """A new personal API token: what it is for and how long it lasts. The service
    (accounts.tokens) checks the same and is the rule; the form gives the page its
    fields and messages."""

    name = forms.CharField(
        label="What is the token for?",
        help_text="For example, Power BI quarterly dashboard. You will see this name in "
        "the list of your tokens.",
        max_length=100,
        error_messages={"required": "", "max_length": ""},
    )
    days = forms.TypedChoiceField(
        label="How long should it last?",
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "", "invalid_choice": ""},
    )

    def __init__(self, *args, **kwargs):
        from . import tokens

        super().__init__(*args, **kwargs)
        self.fields["name"].error_messages.update(
            required=tokens.NAME_MISSING, max_length=tokens.NAME_TOO_LONG
        )
        self.fields["days"].error_messages.update(
            required=tokens.LIFETIME_UNKNOWN, invalid_choice=tokens.LIFETIME_UNKNOWN
        )
        self.fields["days"].choices = [(days, f"{days} days") for days in tokens.LIFETIMES]
        self.fields["days"].initial = tokens.DEFAULT_LIFETIME
        self.helper = gds_helper(
            Field.text("name", field_width=Fluid.TWO_THIRDS),
            Field.radios("days", legend_size="s"),
            Button("submit", "Create the token"),
        )
