"""The directory's forms: the search, an entry, ending an entry, appointing an editor and
uploading an Open Referral UK file. Input only: the rules are the services'."""

from __future__ import annotations

from django import forms

from safeguard.core.forms import GovukDateField, GovukForm
from safeguard.directory.codes import Need, ServiceKind

CURRENCY_CHOICES = [
    ("", "Any"),
    ("current", "Checked in the last 12 months"),
    ("lapsed", "Out of date or ended"),
]


class SearchForm(GovukForm):
    text = forms.CharField(
        label="Search by name, organisation or what it offers", required=False, max_length=100
    )
    kind = forms.ChoiceField(
        label="Kind of service", choices=[("", "Any kind")] + list(ServiceKind.choices),
        required=False,
    )  # fmt: skip
    age = forms.IntegerField(
        label="Child's age (years)", required=False, min_value=0, max_value=25,
        error_messages={
            "invalid": "Enter the child's age as a whole number of years",
            "min_value": "The child's age must be 0 or more",
            "max_value": "The child's age must be 25 or less",
        },
    )  # fmt: skip
    district = forms.RegexField(
        label="Postcode district", required=False, max_length=4,
        regex=r"^\s*[A-Za-z]{1,2}[0-9][0-9A-Za-z]?\s*$",
        help_text="The first part of the postcode, like KM3",
        error_messages={"invalid": "Enter a postcode district like KM3"},
    )  # fmt: skip
    level = forms.TypedChoiceField(
        label="Threshold level", required=False, coerce=int, empty_value=None, choices=[]
    )
    need = forms.ChoiceField(
        label="Need", choices=[("", "Any need")] + list(Need.choices), required=False
    )
    currency = forms.ChoiceField(label="How current", choices=CURRENCY_CHOICES, required=False)

    def __init__(self, *args, levels: dict[int, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["level"].choices = [("", "Any level")] + list(levels.items())

    def clean_district(self):
        return self.cleaned_data["district"].strip().upper()


def _split(text: str) -> list[str]:
    return [part for part in text.replace(",", " ").split() if part]


class ServiceForm(GovukForm):
    name = forms.CharField(
        label="Name of the service",
        max_length=200,
        error_messages={"required": "Enter the service's name"},
    )
    organisation = forms.CharField(
        label="Provided by", max_length=200, error_messages={"required": "Enter who provides it"}
    )
    kind = forms.ChoiceField(
        label="Kind of service",
        choices=ServiceKind.choices,
        error_messages={"required": "Choose a kind of service"},
    )
    description = forms.CharField(
        label="What it offers",
        widget=forms.Textarea,
        error_messages={"required": "Enter what it offers"},
    )
    min_age = forms.IntegerField(
        label="Youngest age (years)",
        required=False,
        min_value=0,
        max_value=25,
        help_text="Leave empty for no lower limit",
    )
    max_age = forms.IntegerField(
        label="Oldest age (years)",
        required=False,
        min_value=0,
        max_value=25,
        help_text="Leave empty for no upper limit",
    )
    areas = forms.CharField(
        label="Postcode districts",
        required=False,
        max_length=300,
        help_text="Separated by spaces or commas, like KM1 KM3. Leave empty for the whole "
        "authority.",
    )
    levels = forms.TypedMultipleChoiceField(
        label="Threshold levels it serves (none ticked: any level)",
        required=False,
        coerce=int,
        choices=[],
        widget=forms.CheckboxSelectMultiple,
    )
    needs = forms.MultipleChoiceField(
        label="Needs it meets (none ticked: any need)",
        required=False,
        choices=Need.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    eligibility_notes = forms.CharField(
        label="Other eligibility", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    how_to_refer = forms.CharField(
        label="How to refer",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter how to refer"},
    )
    referral_email = forms.EmailField(label="Email for referrals", required=False)
    accepting_referrals = forms.BooleanField(label="Taking referrals now", required=False)
    waiting_weeks = forms.IntegerField(
        label="Usual wait (weeks)", required=False, min_value=0, max_value=104
    )
    capacity_notes = forms.CharField(label="Capacity", required=False, max_length=300)
    phone = forms.CharField(label="Phone", required=False, max_length=30)
    email = forms.EmailField(label="Email", required=False)
    website = forms.URLField(label="Website", required=False, assume_scheme="https")
    address = forms.CharField(label="Address", required=False, max_length=300)
    postcode = forms.CharField(label="Postcode", required=False, max_length=8)
    # fmt: skip

    def __init__(self, *args, levels: dict[int, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["levels"].choices = list(levels.items())

    def clean_areas(self):
        return [part.upper() for part in _split(self.cleaned_data["areas"])]

    def clean(self):
        data = super().clean()
        low, high = data.get("min_age"), data.get("max_age")
        if low is not None and high is not None and low > high:
            self.add_error("max_age", "The oldest age must be the same as or above the youngest")
        return data

    @staticmethod
    def initial_for(service) -> dict:
        from safeguard.directory.services import FIELDS

        initial = {name: getattr(service, name) for name in FIELDS}
        initial["areas"] = " ".join(service.areas)
        return initial


class CheckForm(GovukForm):
    """The one button: mark as checked today (with the version shown)."""


class EndForm(GovukForm):
    ended_on = GovukDateField(label="Date it ended", error_label="Date it ended")
    reason = forms.CharField(label="Why it ended", max_length=300,
                             error_messages={"required": "Say why the service ended"})  # fmt: skip


class AppointForm(GovukForm):
    user = forms.ModelChoiceField(
        label="Member of staff", queryset=None,
        error_messages={"required": "Choose a member of staff",
                        "invalid_choice": "Choose a member of staff from the list"},
    )  # fmt: skip

    def __init__(self, *args, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = staff
        self.fields["user"].label_from_instance = lambda u: (
            f"{u.get_full_name() or u.username}, {u.get_role_display()}, {u.agency.name}"
        )


class ImportForm(GovukForm):
    """Upload a file (a preview follows), or confirm the previewed file, sent back whole in a
    hidden field so that what is imported is exactly what was previewed."""

    file = forms.FileField(label="Open Referral UK file (JSON)", required=False)
    text = forms.CharField(widget=forms.HiddenInput, required=False, strip=False)

    MAX_BYTES = 5 * 1024 * 1024

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if not upload:
            return ""
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError("The file must be smaller than 5 MB")
        try:
            return upload.read().decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise forms.ValidationError("The file must be UTF-8 text (JSON)") from error

    def clean(self):
        data = super().clean()
        if not self.errors and not data.get("file") and not data.get("text"):
            self.add_error("file", "Choose an Open Referral UK file to upload")
        if len(data.get("text") or "") > self.MAX_BYTES:
            self.add_error("file", "The file must be smaller than 5 MB")
        return data
