from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.password_validation import password_validators_help_text_html


class LoginForm(AuthenticationForm):
    error_messages = {
        # One message whatever went wrong, so that the form never reveals which accounts exist.
        "invalid_login": "That username and password do not match an active account. Check both and try again.",
        "inactive": "That username and password do not match an active account. Check both and try again.",
    }

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["username"].widget.attrs.update({"autocomplete": "username", "autofocus": True})
        self.fields["password"].widget = forms.PasswordInput(attrs={"autocomplete": "current-password"})


class ChoosePasswordForm(forms.Form):
    """A new password typed twice. The rules themselves are checked by the service that
    sets it, through Django's validators; the help text tells people what they are."""

    password1 = forms.CharField(
        label="New password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password", "autofocus": True}),
        help_text=password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label="New password again",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean_password2(self) -> str:
        first = self.cleaned_data.get("password1")
        second = self.cleaned_data["password2"]
        if first and first != second:
            raise forms.ValidationError("The two passwords differ. Type the same password twice.")
        return second
