"""The forms of the case-file audit pages."""

from datetime import date

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


class InspectionForm(GovukForm):
    """Set up an inspection: its name, first and last days, and its inspectors."""

    name = forms.CharField(
        label="Name of the inspection",
        help_text="For example, the inspection of local authority children's services",
    )
    start_date = GovukDateField(label="First day")
    end_date = GovukDateField(
        label="Last day",
        help_text="Inspectors read the sample from the first day to the last, inclusive",
    )
    inspectors = forms.ModelMultipleChoiceField(
        label="Inspectors", queryset=None, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, inspectors=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["inspectors"].queryset = inspectors
        self.fields["inspectors"].label_from_instance = lambda u: u.get_full_name() or u.username


class InspectionSampleForm(GovukForm):
    """Add case files to an inspection's sample: named in advance, drawn at random, or both."""

    chosen = forms.CharField(
        label="Children chosen in advance",
        help_text="Their local child ids, one a line or separated by commas",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    size = forms.IntegerField(
        label="How many more to draw at random", required=False, min_value=0, max_value=120
    )
    stage = forms.ChoiceField(label="Only cases at this stage", required=False, choices=())
    seed = forms.IntegerField(
        label="Seed",
        help_text="The same seed draws the same case files from the same open cases",
        required=False,
        min_value=0,
        max_value=2_000_000_000,
    )

    def __init__(self, *args, stages=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stage"].choices = [("", "Any stage"), *stages]

    def cleaned_chosen(self) -> list[str]:
        text = self.cleaned_data.get("chosen") or ""
        return [part.strip() for part in text.replace(",", "\n").splitlines() if part.strip()]


def month_choices(today, *, back: int = 12, ahead: int = 12) -> list[tuple[str, str]]:
    """The months around ``today`` as (YYYY-MM-01, "December 2026") choices, newest last."""
    months = []
    year, month = today.year, today.month - back
    for _ in range(back + ahead + 1):
        while month < 1:
            year, month = year - 1, month + 12
        while month > 12:
            year, month = year + 1, month - 12
        day = date(year, month, 1)
        months.append((day.isoformat(), day.strftime("%B %Y")))
        month += 1
    return months


class ProgrammeLineForm(GovukForm):
    """A line of the audit programme: who audits how many case files a month, drawn how,
    from which month to which."""

    auditor = forms.ModelChoiceField(
        label="Auditor", queryset=None, empty_label="Choose a team or service manager"
    )
    cases_per_month = forms.IntegerField(
        label="Case files a month",
        help_text="From each team, worker or stage when the sample is stratified",
        min_value=1,
        max_value=MAX_SAMPLE,
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-3"}),
    )
    stratum = forms.ChoiceField(label="Sample", choices=Stratum.choices, required=False)
    first_month = forms.TypedChoiceField(label="First month", coerce=date.fromisoformat)
    last_month = forms.TypedChoiceField(
        label="Last month",
        coerce=date.fromisoformat,
        required=False,
        empty_value=None,
        help_text="Leave as it is for a line that goes on until it is ended",
    )

    def __init__(self, *args, managers=None, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["auditor"].queryset = managers
        self.fields["auditor"].label_from_instance = lambda u: u.get_full_name() or u.username
        months = month_choices(today)
        self.fields["first_month"].choices = months
        self.fields["first_month"].initial = today.replace(day=1).isoformat()
        self.fields["last_month"].choices = [("", "No last month"), *months]


class ProgrammeDrawForm(GovukForm):
    """Draw a month's audits for every line of the programme."""

    month = forms.TypedChoiceField(label="Month", coerce=date.fromisoformat)
    seed = forms.IntegerField(
        label="Seed",
        help_text="The same programme and seed draw the same case files",
        min_value=0,
        max_value=2_000_000_000,
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-10"}),
    )

    def __init__(self, *args, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["month"].choices = month_choices(today, back=3, ahead=1)
        self.fields["month"].initial = today.replace(day=1).isoformat()
        self.fields["seed"].initial = today.year * 100 + today.month


class DipSampleForm(GovukForm):
    """Draw a dip sample of the front door's decisions over a period."""

    first_day = GovukDateField(label="First day", help_text="Decisions made from this day")
    last_day = GovukDateField(label="Last day", help_text="To this day, inclusive")
    size = forms.IntegerField(
        label="How many of each kind",
        help_text="So many no-further-action decisions and so many threshold departures",
        min_value=1,
        max_value=MAX_SAMPLE,
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-3"}),
    )
    seed = forms.IntegerField(
        label="Seed",
        help_text="The same decisions and seed draw the same contacts",
        min_value=0,
        max_value=2_000_000_000,
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-10"}),
    )


class DipCheckForm(GovukForm):
    """A manager's check of one front-door decision drawn into a dip sample."""

    agree = forms.TypedChoiceField(
        label="Do you agree with the decision?",
        choices=[("yes", "Yes, I agree"), ("no", "No, I disagree")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label="Note",
        help_text="Required when you disagree: what the decision should have been, and why",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
