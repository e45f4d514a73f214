"""Forms for referrals to services: input checks only. The rules (a current service taking
referrals, consent or why not, the order and dates of the steps) live in
``referral_services``."""

from django import forms

from safeguard.core.forms import GovukDateField, GovukForm
from safeguard.directory.codes import ReferralOutcome

YES_NO = [("yes", "Yes"), ("no", "No")]


def _text(label: str, required_message: str = "", *, rows=4, help_text=""):
    return forms.CharField(
        label=label,
        required=bool(required_message),
        widget=forms.Textarea(attrs={"rows": rows}),
        help_text=help_text,
        error_messages={"required": required_message} if required_message else None,
    )


class ServiceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.organisation})"


class ReferralSendForm(GovukForm):
    service = ServiceChoiceField(
        label="Service",
        queryset=None,
        error_messages={
            "required": "Choose the service",
            "invalid_choice": "Choose a service from the list",
        },
    )
    reason = _text(
        "Why are you referring the child?",
        "Enter the reason for the referral",
        rows=5,
        help_text="What the family needs help with and what they hope will change",
    )
    consent = forms.ChoiceField(
        label="Has the family consented to the referral?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether the family consented"},
    )
    no_consent_reason = _text(
        "Why was consent not sought?", help_text="Needed when the family has not consented"
    )

    def __init__(self, *args, services, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = services

    def clean_consent(self):
        return self.cleaned_data["consent"] == "yes"


class DecisionForm(GovukForm):
    decision = forms.ChoiceField(
        label="What did the service decide?",
        choices=[("accepted", "Accepted"), ("declined", "Declined")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether the service accepted or declined"},
    )
    decided_on = GovukDateField(label="Date of the decision")
    reason = _text("Why did the service decline?", help_text="Needed when it declined")


class StartForm(GovukForm):
    started_on = GovukDateField(label="Date the child started with the service")


class EndForm(GovukForm):
    ended_on = GovukDateField(label="Date the service's work ended")
    outcome = forms.ChoiceField(
        label="Outcome",
        choices=ReferralOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the outcome"},
    )
    notes = _text("About the outcome")


class WithdrawForm(GovukForm):
    withdrawn_reason = _text(
        "Why is the referral withdrawn?", "Enter why the referral is withdrawn"
    )
