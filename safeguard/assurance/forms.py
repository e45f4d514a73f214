"""The forms of the case-file audit pages."""

from django import forms

from safeguard.assurance.models import Grade, Heading, Stratum
from safeguard.assurance.services import MAX_SAMPLE
from safeguard.core.forms import GovukDateField, GovukForm

GRADE_CHOICES = [("", "Choose a grade"), *Grade.choices]


class SampleForm(GovukForm):
    size = forms.IntegerField(
        label="How many case files",
        help_text="From each team or worker when stratified",
        min_value=1,
        max_value=MAX_SAMPLE,
    )
    stratum = forms.ChoiceField(label="Sample", choices=Stratum.choices, required=False)
    seed = forms.IntegerField(
        label="Seed",
        help_text="The same seed draws the same case files from the same open cases",
        min_value=0,
        max_value=2_000_000_000,
    )


class AuditForm(GovukForm):
    """A grade and evidence under every heading of the audit tool, and the overall grade."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for heading in Heading:
            self.fields[f"{heading}_grade"] = forms.ChoiceField(
                label=f"{heading.label}: grade", choices=GRADE_CHOICES
            )
            self.fields[f"{heading}_evidence"] = forms.CharField(
                label=f"{heading.label}: evidence", widget=forms.Textarea(attrs={"rows": 3})
            )
        self.fields["overall"] = forms.ChoiceField(label="Overall grade", choices=GRADE_CHOICES)

    def findings(self) -> dict:
        data = self.cleaned_data
        return {h: (data[f"{h}_grade"], data[f"{h}_evidence"]) for h in Heading}


class ModerationForm(GovukForm):
    grade = forms.ChoiceField(label="Moderated overall grade", choices=GRADE_CHOICES)
    note = forms.CharField(
        label="Why you agree or differ with the auditor", widget=forms.Textarea(attrs={"rows": 4})
    )


class ResponseForm(GovukForm):
    response = forms.CharField(
        label="Your response to the findings", widget=forms.Textarea(attrs={"rows": 4})
    )


class ActionForm(GovukForm):
    description = forms.CharField(
        label="Action on the child's file", widget=forms.Textarea(attrs={"rows": 3})
    )
    owner = forms.ModelChoiceField(label="Owner", queryset=None, empty_label="Choose who owns it")
    due_date = GovukDateField(label="Due by")

    def __init__(self, *args, staff=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = staff
