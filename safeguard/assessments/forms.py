"""Forms for assessments: input checks only. The rules (dates against the referral, the kinds
the authority's rule set allows, "no factors" alone) live in services."""

from django import forms

from safeguard.assessments.codes import Factor
from safeguard.assessments.models import (
    AssessmentKind,
    AssessmentOutcome,
    AuthorisationDecision,
)
from safeguard.casework.forms import PRIMARY_NEED_CHOICES
from safeguard.core.forms import GovukDateField, GovukForm
from safeguard.core.limits import REASON

# The census factors in groups a worker can scan; every code appears exactly once.
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


# The factors in words only: the census code is never shown (issue 16).
FACTOR_CHOICES = [
    (group, [(code, Factor(code).label) for code in codes]) for group, codes in FACTOR_GROUPS
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


def _section(label: str, hint: str) -> forms.CharField:
    return forms.CharField(
        label=label, required=False, widget=forms.Textarea(attrs={"rows": 8}), help_text=hint
    )


class AssessmentWriteForm(GovukForm):
    """The worker's assessment. Every part may be left blank while it is being written; the
    service asks for all of it when the worker submits."""

    developmental_needs = _section(
        "The child's developmental needs",
        "Health, education, emotional and behavioural development, identity, family and "
        "social relationships, social presentation and self-care skills",
    )
    parenting_capacity = _section(
        "Parenting capacity",
        "Basic care, ensuring safety, emotional warmth, stimulation, guidance and boundaries, "
        "stability",
    )
    family_environment = _section(
        "Family and environmental factors",
        "Family history and functioning, wider family, housing, employment, income, the "
        "family's social integration and community resources",
    )
    history = _section(
        "History", "What has happened before: earlier concerns, involvement and events"
    )
    wishes_and_feelings = _section(
        "The child's wishes and feelings",
        "In the child's own words where you can, and how you learned them",
    )
    analysis = _section(
        "Analysis", "What the information means for the child: risks, strengths and needs"
    )
    factors = forms.MultipleChoiceField(
        label="Factors identified at the end of the assessment",
        help_text="Choose all that apply, or “No factors identified” on its own",
        choices=FACTOR_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose factors from the list"},
    )
    primary_need = forms.ChoiceField(
        label="Primary need",
        choices=PRIMARY_NEED_CHOICES,
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Choose the primary need from the list"},
    )
    outcome = forms.ChoiceField(
        label="Recommended outcome",
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Choose the outcome from the list"},
    )
    recommendation = _section("Recommendation", "What you recommend should happen next, and why")

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outcome"].choices = [
            (value, label)
            for value, label in AssessmentOutcome.choices
            # Only an initial assessment leads on to a core assessment.
            if value != AssessmentOutcome.CORE_ASSESSMENT or kind == AssessmentKind.INITIAL
        ]


class AssessmentAuthoriseForm(GovukForm):
    """The manager's decision: agree, or return with reasons. Nothing of the worker's
    assessment is on it."""

    decision = forms.ChoiceField(
        label="Your decision",
        choices=AuthorisationDecision.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose whether you agree or return the assessment",
            "invalid_choice": "Choose whether you agree or return the assessment",
        },
    )
    decided_on = GovukDateField(
        label="Date of your decision",
        error_label="authorisation date",
        help_text="If you agree, this is the date the assessment is authorised and completed",
    )
    comments = forms.CharField(
        label="Comments",
        required=False,
        max_length=REASON,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Needed if you return it: what the worker should change",
    )
