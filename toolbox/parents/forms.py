from __future__ import annotations

from django import forms


class LinkChildForm(forms.Form):
    code = forms.CharField(
        label="Invite code",
        max_length=20,
        help_text="The code on the letter or e-mail from your child’s school, such as PX4-9KQ2.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
    )


class DigestSettingsForm(forms.Form):
    digest_opt_in = forms.BooleanField(
        label="Send me the weekly digest e-mail",
        required=False,
        help_text="Once a week: each child’s scores, work coming up and anything missing.",
    )
