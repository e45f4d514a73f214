"""Forms for assessments: input checks only. The rules (dates against the referral, the kinds
the authority's rule set allows, "no factors" alone) live in services."""

from django import forms

from safeguard.assessments.codes import Factor
from safeguard.assessments.models import AssessmentKind, AssessmentOutcome
from safeguard.casework.forms import PRIMARY_NEED_CHOICES
from safeguard.core.forms import GovukDateField, GovukForm

# The census factor codes in groups a manager can scan; every code appears exactly once.
FACTOR_GROUPS = [
    ("Alcohol and drugs", ["1A", "1B", "1C", "2A", "2B", "2C"]),
    ("Domestic violence", ["3A", "3B", "3C"]),
    (
        "Mental health, learning disability and physical health",
        ["4A", "4B", "4C", "5A", "5B", "5C", "6A", "6B", "6C"],
    ),
    ("Abuse and neglect", ["16A", "17A", "18B", "18C", "19B", "19C", "22A", "23A"]),
    ("Exploitation", ["11A", "12A", "13A", "24A"]),
    ("The child's circumstances and behaviour", ["7A", "9A", "10A", "14A", "15A"]),
    ("Private fostering", ["8B", "8C", "8D", "8E", "8F"]),
    ("Other", ["20", "21"]),
]


def _labelled(code: str, label: str) -> str:
    # The census code stays visible: managers and returns staff know the factors by it.
    return f"{label} ({code})"


FACTOR_CHOICES = [
    (group, [(code, _labelled(code, Factor(code).label)) for code in codes])
    for group, codes in FACTOR_GROUPS
]


class AssessmentStartForm(GovukForm):
    kind = forms.ChoiceField(
        label="Kind of assessment",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose the kind of assessment",
            "invalid_choice": "Choose a kind of assessment this authority uses",
        },
    )
    start_date = GovukDateField(label="Date the assessment started")

    def __init__(self, *args, kinds, **kwargs):
        super().__init__(*args, **kwargs)
        ordered = [k for k in AssessmentKind.values if k in kinds]
        self.fields["kind"].choices = [(k, AssessmentKind(k).label) for k in ordered]
        self.fields["kind"].initial = ordered[0]
        if len(ordered) == 1:
            # One kind only (Working Together 2013 on): nothing to ask, the page says which.
            self.fields["kind"].widget = forms.HiddenInput()
        self.only_kind = AssessmentKind(ordered[0]).label if len(ordered) == 1 else ""


class AssessmentSeenForm(GovukForm):
    child_seen_date = GovukDateField(label="Date the child was seen")
    child_seen_alone = forms.BooleanField(label="The child was seen alone", required=False)


class AssessmentAuthoriseForm(GovukForm):
    completed_date = GovukDateField(
        label="Date authorised",
        error_label="authorisation date",
        help_text="The date you authorise the assessment: this completes it",
    )
    factors = forms.MultipleChoiceField(
        label="Factors identified at the end of the assessment",
        help_text="Choose all that apply, or “No factors identified” on its own",
        choices=FACTOR_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Choose the factors identified, or “No factors identified”",
            "invalid_choice": "Choose factors from the list: %(value)s is not one of them",
        },
    )
    primary_need = forms.ChoiceField(
        label="Primary need",
        choices=PRIMARY_NEED_CHOICES,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose the primary need",
            "invalid_choice": "Choose the primary need from the list",
        },
    )
    outcome = forms.ChoiceField(
        label="Outcome",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose the outcome",
            "invalid_choice": "Choose the outcome from the list",
        },
    )
    analysis = forms.CharField(
        label="Analysis",
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="The manager's summary of the assessment and the reasons for the outcome",
    )

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outcome"].choices = [
            (value, label)
            for value, label in AssessmentOutcome.choices
            # Only an initial assessment leads on to a core assessment.
            if value != AssessmentOutcome.CORE_ASSESSMENT or kind == AssessmentKind.INITIAL
        ]
