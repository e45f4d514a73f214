"""Forms for people: input checks only. Rules that need the database live in services."""

import re

from django import forms
from django.core.exceptions import ValidationError

from safeguard.accounts.models import Team, User
from safeguard.accounts.selectors import working_agencies
from safeguard.core.forms import GovukDateField, GovukForm
from safeguard.people import identifiers
from safeguard.people.codes import (
    AlertKind,
    Disability,
    Ethnicity,
    NameKind,
    RelationshipKind,
    Sex,
    UPNUnknown,
)


def _clean_optional(value: str, cleaner):
    value = (value or "").strip()
    return cleaner(value) if value else None


class PersonSearchForm(GovukForm):
    name = forms.CharField(
        label="Name",
        required=False,
        max_length=200,
        help_text="First name, last name, or both, in any order",
    )
    date_of_birth = GovukDateField(label="Date of birth", required=False)
    nhs_number = forms.CharField(label="NHS number", required=False, max_length=20)
    local_id = forms.CharField(label="Local child id", required=False, max_length=40)

    def clean_nhs_number(self):
        return _clean_optional(self.cleaned_data["nhs_number"], identifiers.clean_nhs_number) or ""

    def clean_local_id(self):
        return _clean_optional(self.cleaned_data["local_id"], identifiers.clean_la_child_id) or ""

    def clean(self):
        data = super().clean()
        if not self.errors and not any(data.get(k) for k in self.fields):
            raise ValidationError(
                "Enter a name, a date of birth, an NHS number or a local child id"
            )
        return data


class PersonForm(GovukForm):
    given_names = forms.CharField(label="Given names", required=False, max_length=200)
    family_name = forms.CharField(
        label="Family name",
        max_length=200,
        error_messages={"required": "Enter the family name"},
    )
    date_of_birth = GovukDateField(label="Date of birth", required=False)
    expected_date_of_birth = GovukDateField(
        label="Expected date of birth",
        required=False,
        help_text="Only for an unborn child: leave the date of birth empty",
    )
    sex = forms.ChoiceField(
        label="Sex", choices=Sex.choices, initial=Sex.UNKNOWN, widget=forms.RadioSelect
    )
    ethnicity = forms.ChoiceField(
        label="Ethnicity", choices=Ethnicity.choices, initial=Ethnicity.NOBT
    )
    disabilities = forms.MultipleChoiceField(
        label="Disabilities",
        choices=Disability.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    nhs_number = forms.CharField(
        label="NHS number", required=False, max_length=20, help_text="10 digits, like 943 476 5919"
    )
    upn = forms.CharField(
        label="Unique pupil number (UPN)",
        required=False,
        max_length=20,
        help_text="13 characters, like B801200005001",
    )
    former_upn = forms.CharField(
        label="Former UPN",
        required=False,
        max_length=20,
        help_text="A UPN the child had before their current one, if known",
    )
    upn_unknown = forms.ChoiceField(
        label="Reason there is no UPN",
        choices=[("", "Not applicable: the child has a UPN")] + UPNUnknown.choices,
        required=False,
        help_text="For the CIN census: why a child without a UPN has none",
    )
    la_child_id = forms.CharField(label="Local child id", required=False, max_length=40)
    police_reference = forms.CharField(label="Police reference", required=False, max_length=60)

    def clean_nhs_number(self):
        return _clean_optional(self.cleaned_data["nhs_number"], identifiers.clean_nhs_number)

    def clean_upn(self):
        return _clean_optional(self.cleaned_data["upn"], identifiers.clean_upn)

    def clean_former_upn(self):
        return _clean_optional(self.cleaned_data["former_upn"], identifiers.clean_upn) or ""

    def clean_la_child_id(self):
        return _clean_optional(self.cleaned_data["la_child_id"], identifiers.clean_la_child_id)

    def clean_police_reference(self):
        return (
            _clean_optional(
                self.cleaned_data["police_reference"], identifiers.clean_police_reference
            )
            or ""
        )

    def clean_disabilities(self):
        codes = self.cleaned_data["disabilities"]
        if Disability.NONE in codes and len(codes) > 1:
            raise ValidationError(
                "Choose ‘No disability’ on its own, or only the disabilities that apply"
            )
        return codes

    def clean(self):
        data = super().clean()
        if data.get("date_of_birth") and data.get("expected_date_of_birth"):
            self.add_error(
                "expected_date_of_birth",
                "Enter either a date of birth or an expected date of birth, not both",
            )
        elif (
            not self.errors
            and not data.get("date_of_birth")
            and not data.get("expected_date_of_birth")
        ):
            self.add_error(
                "date_of_birth",
                "Enter a date of birth, or an expected date of birth for an unborn child",
            )
        return data


class PersonEditForm(PersonForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


class AddressForm(GovukForm):
    line_1 = forms.CharField(
        label="Address line 1", max_length=200, error_messages={"required": "Enter address line 1"}
    )
    line_2 = forms.CharField(label="Address line 2", max_length=200, required=False)
    town = forms.CharField(
        label="Town or city", max_length=100, error_messages={"required": "Enter the town or city"}
    )
    postcode = forms.CharField(
        label="Postcode", max_length=10, error_messages={"required": "Enter the postcode"}
    )
    start_date = GovukDateField(label="Date moved in")

    def clean_postcode(self):
        value = " ".join(self.cleaned_data["postcode"].upper().split())
        compact = value.replace(" ", "")
        if not re.fullmatch(r"[A-Z]{1,2}[0-9][A-Z0-9]?[0-9][A-Z]{2}", compact):
            raise ValidationError("Enter a real postcode, like SW1A 1AA")
        return f"{compact[:-3]} {compact[-3:]}"


class RelationshipForm(GovukForm):
    DIRECTIONS = [("this_is", "This person is the …"), ("other_is", "The other person is the …")]

    other = forms.UUIDField(widget=forms.HiddenInput)
    direction = forms.ChoiceField(
        label="Direction", choices=DIRECTIONS, initial="other_is", widget=forms.RadioSelect
    )
    kind = forms.ChoiceField(label="Relationship", choices=RelationshipKind.choices)
    parental_responsibility = forms.BooleanField(
        label="Holds parental responsibility for the child",
        help_text="Only a parent, step-parent or carer can hold it",
        required=False,
    )
    start_date = GovukDateField(label="From", error_label="Start date", required=False)


class OtherNameForm(GovukForm):
    kind = forms.ChoiceField(label="Kind of name", choices=NameKind.choices)
    given_names = forms.CharField(label="Given names", required=False, max_length=200)
    family_name = forms.CharField(
        label="Family name", max_length=200, error_messages={"required": "Enter the family name"}
    )


class InvolvementForm(GovukForm):
    agency = forms.ModelChoiceField(label="Agency", queryset=None, empty_label=None)
    team = forms.ModelChoiceField(label="Team", queryset=None, required=False)
    worker = forms.ModelChoiceField(label="Worker", queryset=None, required=False)
    role = forms.CharField(
        label="Role",
        max_length=100,
        help_text=(
            "For example: allocated social worker, health visitor, designated safeguarding lead"
        ),
    )
    start_date = GovukDateField(label="From", error_label="Start date")

    def __init__(self, *args, authority, **kwargs):
        super().__init__(*args, **kwargs)
        agencies = working_agencies(authority.pk)
        self.fields["agency"].queryset = agencies
        self.fields["team"].queryset = Team.objects.filter(agency__in=agencies).select_related(
            "agency"
        )
        self.fields["worker"].queryset = User.objects.filter(is_active=True, agency__in=agencies)


# --- Sealed records and break-glass ---------------------------------------------------------


class StaffChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        role = obj.get_role_display()
        return f"{obj} ({role})" if role else str(obj)


class SealForm(GovukForm):
    reason = forms.CharField(
        label="Why is this record sealed?",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text="For example: the child is a relative of a member of staff",
    )
    members = StaffChoiceField(
        label="Who may see it",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="You are named too. Everyone else sees only that a restricted record exists.",
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = candidates


class SealMemberForm(GovukForm):
    user = forms.ModelChoiceField(label="Name someone else", queryset=None)

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = candidates


class UnsealForm(GovukForm):
    reason = forms.CharField(
        label="Why is the seal lifted?", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class BreakGlassForm(GovukForm):
    reason = forms.CharField(
        label="Why do you need to see this record now?",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text="Your reason is recorded on every view, sent to the record's owners and "
        "reviewed by a manager.",
    )
    password = forms.CharField(
        label="Your password",
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    otp_token = forms.CharField(
        label="Security code from your authenticator app",
        max_length=10,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "class": "govuk-input--width-10",
            }
        ),
    )
    next = forms.CharField(required=False, widget=forms.HiddenInput)


class BreakGlassReviewForm(GovukForm):
    outcome = forms.ChoiceField(
        label="Was the access justified?",
        choices=[("justified", "Justified"), ("not_justified", "Not justified")],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label="Your note", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class AlertForm(GovukForm):
    """Raise an alert on an adult (decision 0048)."""

    kind = forms.ChoiceField(
        label="Kind of alert",
        choices=AlertKind.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose the kind of alert",
            "invalid_choice": "Choose the kind of alert",
        },
    )
    details = forms.CharField(
        label="What staff need to know",
        help_text="What happened or what is known, and what staff should do before meeting "
        "this person with a child",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Enter what staff need to know"},
    )
    source = forms.CharField(
        label="Where this came from",
        help_text="For example: police disclosure, MARAC, a worker's own visit",
        max_length=200,
        error_messages={"required": "Enter where this came from"},
    )
    raised_on = GovukDateField(label="Date raised")
    review_date = GovukDateField(
        label="Review by", help_text="Within a year: the alert is looked at again by then"
    )


class AlertEndForm(GovukForm):
    ended_on = GovukDateField(label="Date the alert ended")
    end_reason = forms.CharField(
        label="Why the alert has ended",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter why the alert has ended"},
    )
