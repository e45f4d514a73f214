"""Forms for the front door: input checks only. Whether the indicators belong to the level,
and whether a departure from the threshold has a manager's reason, are the services' rules."""

from datetime import datetime, time

from django import forms

from safeguard.accounts.models import AgencyKind, User
from safeguard.accounts.roles import MANAGER_ROLES
from safeguard.casework.codes import ReferralSource
from safeguard.casework.forms import PRIMARY_NEED_CHOICES, priority_field, priority_reason_field
from safeguard.core.forms import GovukDateField, GovukForm
from safeguard.referrals.models import (
    ContactOutcome,
    ReferralDecision,
    ThresholdIndicator,
    ThresholdLevel,
)

SOURCE_CHOICES = [("", "Choose where it came from")] + [
    (code.value, f"{code.label} ({code.value})") for code in ReferralSource
]


def _textarea(label: str, required_message: str = "", *, rows: int = 5, help_text: str = ""):
    """A text area; it is required when it has a message for leaving it empty."""
    return forms.CharField(
        label=label,
        required=bool(required_message),
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"required": required_message} if required_message else None,
    )


class ContactForm(GovukForm):
    contact_date = GovukDateField(label="Date of the contact", error_label="Contact date")
    # Text, not a TimeField, so that it has its limit like every text field (core.limits).
    received_time = forms.CharField(
        label="Time received (optional)",
        help_text=(
            "For example, 14:30. If you leave it empty, a contact dated today was received "
            "now, and an earlier one at the start of its day"
        ),
        required=False,
        max_length=5,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5", "inputmode": "numeric"}),
    )
    source = forms.ChoiceField(
        label="Who made the contact",
        choices=SOURCE_CHOICES,
        error_messages={"required": "Choose who made the contact"},
    )
    reason = _textarea(
        "Reason for the contact",
        "Enter the reason for the contact",
        rows=6,
        help_text="What the person making the contact is worried about, in their words",
    )
    priority = priority_field()
    priority_reason = priority_reason_field("Needed for red")

    def clean_received_time(self) -> time | None:
        text = self.cleaned_data["received_time"].strip()
        if not text:
            return None
        for pattern in ("%H:%M", "%H.%M", "%H%M"):
            try:
                return datetime.strptime(text, pattern).time()
            except ValueError:
                continue
        raise forms.ValidationError("Enter the time received as hours and minutes, like 14:30")


class ManagerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj} ({obj.get_role_display()})"


class DecideForm(GovukForm):
    """The front-door decision. The levels and their indicators are laid out together on the
    page (``level_rows``): each level's indicators sit under its radio."""

    level = forms.ModelChoiceField(
        label="Level of need",
        queryset=ThresholdLevel.objects.none(),
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose the level of need",
            "invalid_choice": "Choose one of the levels shown",
        },
    )
    indicators = forms.ModelMultipleChoiceField(
        label="Indicators",
        queryset=ThresholdIndicator.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose indicators shown under the levels"},
    )
    rationale = _textarea(
        "Rationale",
        "Enter the rationale for the decision",
        help_text="Why this level: what the contact, the history and any checks showed",
    )
    outcome = forms.ChoiceField(
        label="Outcome",
        choices=ContactOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the outcome"},
    )
    decision_date = GovukDateField(label="Date of the decision")
    manager = ManagerChoiceField(
        label="Manager who agreed",
        queryset=User.objects.none(),
        required=False,
        empty_label="Choose the manager",
        error_messages={"invalid_choice": "Choose a manager from the list"},
    )
    manager_reason = _textarea("Manager's reason for the different outcome", rows=4)
    priority = priority_field(
        "The priority set when the contact was recorded; change it if the checks show more "
        "or less risk"
    )
    priority_reason = priority_reason_field()

    def __init__(self, *args, levels: list[ThresholdLevel], authority, **kwargs):
        super().__init__(*args, **kwargs)
        self.levels = levels
        level_ids = [level.pk for level in levels]
        self.fields["level"].queryset = ThresholdLevel.objects.filter(pk__in=level_ids)
        self.fields["indicators"].queryset = ThresholdIndicator.objects.filter(
            level_id__in=level_ids, disabled_on__isnull=True
        )
        self.fields["manager"].queryset = User.objects.filter(
            is_active=True,
            role__in=MANAGER_ROLES,
            agency__authority=authority,
            agency__kind=AgencyKind.CHILDRENS_SOCIAL_CARE,
        ).order_by("last_name", "first_name")

    def level_rows(self) -> list[dict]:
        """Each level with its radio's state and its indicators' checkboxes, ids numbered as
        Django numbers them so that the error summary's links land on the first one."""
        chosen_level = str(self["level"].value() or "")
        chosen = {str(v) for v in (self["indicators"].value() or [])}
        # With a prefix (one form per child on the page of a family's contact), the ids and
        # names carry it, as Django's own widgets' do.
        level_id, indicator_id = self["level"].auto_id, self["indicators"].auto_id
        rows, number = [], 0
        for index, level in enumerate(self.levels):
            indicators = []
            for indicator in level.indicators.all():
                if indicator.disabled_on is not None:
                    continue
                indicators.append(
                    {
                        "indicator": indicator,
                        "id": f"{indicator_id}_{number}",
                        "checked": str(indicator.pk) in chosen,
                    }
                )
                number += 1
            rows.append(
                {
                    "level": level,
                    "id": f"{level_id}_{index}",
                    "checked": str(level.pk) == chosen_level,
                    "suggests": ContactOutcome(level.implied_outcome).label,
                    "indicators": indicators,
                }
            )
        return rows


class ReferralForm(GovukForm):
    received_date = GovukDateField(
        label="Date the referral was received", error_label="Date received"
    )
    source = forms.ChoiceField(
        label="Referral source",
        choices=SOURCE_CHOICES,
        error_messages={"required": "Choose where the referral came from"},
    )
    decision = forms.ChoiceField(
        label="Decision",
        choices=ReferralDecision.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the decision on the referral"},
    )
    decision_date = GovukDateField(label="Date of the decision")
    # Required by the service when the decision goes on to further action (census rule 8610).
    primary_need = forms.ChoiceField(
        label="Primary need",
        help_text=(
            "The child's main need as far as you know it now. Needed for an assessment or a "
            "strategy discussion; the authorised assessment confirms or changes it"
        ),
        choices=PRIMARY_NEED_CHOICES,
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Choose the primary need from the list"},
    )
    reason = _textarea("Reason for the decision", rows=5)
    priority = priority_field(
        "The case's priority when it opens: every queue puts red first. From a contact, it "
        "starts as the contact's priority"
    )
    priority_reason = priority_reason_field(
        "Needed for red, and if it differs from the contact's priority"
    )


# --- A contact about several children of a family (decision 0065) ------------------------------


class ContactGroupForm(ContactForm):
    """A contact about a child and other children of their family: ``ContactForm`` and the
    children it concerns, chosen from those offered (the child is always one of them)."""

    children = forms.MultipleChoiceField(
        label="The other children this contact is about",
        help_text="Each child has a contact of their own, decided on one page",
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Choose the other children the contact is about",
            "invalid_choice": "Choose children from the list",
        },
    )

    field_order = ["children"]

    def __init__(self, *args, offered: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.offered = {str(child.pk): child for child in offered}
        self.fields["children"].choices = [
            (str(child.pk), _child_label(child)) for child in offered
        ]

    def clean_children(self) -> list:
        return [self.offered[pk] for pk in self.cleaned_data["children"]]


def _child_label(child) -> str:
    if child.date_of_birth:
        return f"{child.full_name}, born {child.date_of_birth:%-d %B %Y}"
    if child.expected_date_of_birth:
        return f"{child.full_name}, unborn (due {child.expected_date_of_birth:%-d %B %Y})"
    return child.full_name


class GroupDecideForm(DecideForm):
    """One child's part of the page deciding a family's contact: the decision
    (``DecideForm``) and, for the outcome "referral", the decision on the referral, which is
    recorded with it. Whether the referral's fields are needed is the service's rule."""

    referral_decision = forms.ChoiceField(
        label="Decision on the referral",
        help_text="Only for the outcome “referral”: the referral is recorded with the decision",
        choices=ReferralDecision.choices,
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Choose the decision on the referral"},
    )
    primary_need = forms.ChoiceField(
        label="Primary need",
        help_text="Needed for an assessment or a strategy discussion",
        choices=[("", "Choose the primary need")] + PRIMARY_NEED_CHOICES,
        required=False,
        error_messages={"invalid_choice": "Choose the primary need from the list"},
    )
    referral_reason = _textarea("Reason for the decision on the referral", rows=3)

    def manager_choices(self, shared: list | None) -> list:
        """The managers offered, read once for the page: the first child's form reads them
        and gives them to the others (``shared``), so that a larger family costs no query."""
        if shared is None:
            return list(self.fields["manager"].choices)
        self.fields["manager"].choices = shared
        return shared
