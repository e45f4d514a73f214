"""Forms for data protection: input checks only."""

from django import forms

from safeguard.core.forms import GovukDateField, GovukForm
from safeguard.privacy.models import RecordMark, SARStatus


class AccessFilterForm(GovukForm):
    from_date = GovukDateField(label="From", required=False)
    to_date = GovukDateField(label="To", required=False)

    def clean(self):
        data = super().clean()
        start, end = data.get("from_date"), data.get("to_date")
        if start and end and end < start:
            self.add_error("to_date", "The end date must be the same as or after the start date")
        return data


class SARForm(GovukForm):
    requester = forms.CharField(
        label="Who made the request",
        max_length=300,
        help_text="For example: the person themself, their mother, a solicitor for them",
        error_messages={"required": "Enter who made the request"},
    )
    received_date = GovukDateField(label="Date received")
    notes = forms.CharField(label="Notes", required=False, max_length=5000, widget=forms.Textarea)


class SARExtendForm(GovukForm):
    reason = forms.CharField(
        label="Why the request needs two more months",
        max_length=5000,
        widget=forms.Textarea,
        error_messages={"required": "Enter why the request needs two more months"},
    )


class SARCloseForm(GovukForm):
    status = forms.ChoiceField(
        label="Outcome",
        choices=[(SARStatus.COMPLETED, "Completed"), (SARStatus.WITHDRAWN, "Withdrawn")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose completed or withdrawn"},
    )
    closed_date = GovukDateField(label="Date")


class LegalHoldForm(GovukForm):
    reason = forms.CharField(
        label="Why the record must be kept",
        max_length=5000,
        widget=forms.Textarea,
        help_text="For example: the inquiry or the proceedings, and their reference",
        error_messages={"required": "Enter why the record must be kept"},
    )
    placed_on = GovukDateField(label="Hold from")


class LiftHoldForm(GovukForm):
    lift_reason = forms.CharField(
        label="Why the hold can end",
        max_length=5000,
        widget=forms.Textarea,
        error_messages={"required": "Enter why the hold can end"},
    )
    lifted_on = GovukDateField(label="Hold ends on")


class RecordMarkForm(GovukForm):
    record_type = forms.ChoiceField(
        label="Type of record",
        choices=RecordMark._meta.get_field("record_type").choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a type of record"},
    )
    order_date = GovukDateField(label="Date of the adoption order", required=False)


class RetentionFilterForm(GovukForm):
    as_at = GovukDateField(label="As at", required=False)
