from crispy_forms_gds.layout import Button, Field, Fluid
from django import forms
from django.contrib.auth import forms as auth_forms

from common.forms import gds_helper

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
