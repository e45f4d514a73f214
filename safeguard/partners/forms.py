"""The lookup form: input checks only."""

from django import forms
from django.core.exceptions import ValidationError

from safeguard.core.forms import GovukDateField, GovukForm
from safeguard.partners.models import Setting
from safeguard.partners.selectors import Search
from safeguard.people import identifiers


class LookupForm(GovukForm):
    setting = forms.ChoiceField(
        label="Where are you seeing the child?",
        choices=Setting.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select where you are seeing the child"},
    )
    nhs_number = forms.CharField(
        label="NHS number",
        required=False,
        max_length=20,
        help_text=(
            "10 digits, like 943 476 5919; or leave it empty and give the name and date of birth"
        ),
    )
    given_name = forms.CharField(label="First name", required=False, max_length=100)
    family_name = forms.CharField(label="Last name", required=False, max_length=100)
    birth_date = GovukDateField(label="Date of birth", required=False)

    def clean_nhs_number(self):
        raw = (self.cleaned_data["nhs_number"] or "").strip()
        return identifiers.clean_nhs_number(raw) if raw else ""

    def clean(self):
        data = super().clean()
        if self.errors or data.get("nhs_number"):
            return data
        missing = [
            label
            for key, label in (
                ("given_name", "first name"),
                ("family_name", "last name"),
                ("birth_date", "date of birth"),
            )
            if not (data.get(key) and str(data[key]).strip())
        ]
        if missing:
            raise ValidationError(
                "Enter the NHS number, or the first name, last name and date of birth "
                f"(missing: {', '.join(missing)})"
            )
        return data

    def search(self) -> Search:
        data = self.cleaned_data
        if data["nhs_number"]:
            return Search(nhs_number=data["nhs_number"])
        return Search(
            given_name=data["given_name"],
            family_name=data["family_name"],
            birth_date=data["birth_date"],
        )
