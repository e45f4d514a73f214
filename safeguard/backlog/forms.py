"""The forms of the backlog review pages: opening an exercise and assigning a case (choices
only: no draft) and a case's review (its reasons are typed: kept as a draft)."""

from django import forms

from safeguard.backlog.models import OutcomeKind, Risk
from safeguard.backlog.selectors import UNRATED
from safeguard.casework.codes import ClosureReason
from safeguard.core.forms import GovukForm

PRIORITY_CHOICES = [("red", "Red"), ("amber", "Amber"), ("green", "Green"), (UNRATED, "Not rated")]


class OpenForm(GovukForm):
    team = forms.ModelChoiceField(
        label="Team", queryset=None, required=False, empty_label="Every team",
        help_text="The team answerable for the case (its queue, when unallocated)",
    )  # fmt: skip
    unallocated = forms.BooleanField(label="Only cases nobody holds (unallocated)", required=False)
    overdue = forms.BooleanField(label="Only cases with overdue items", required=False)
    unseen_days = forms.IntegerField(
        label="Only children not seen for at least this many days",
        help_text="Leave empty for any",
        required=False,
        min_value=1,
        max_value=3650,
    )
    priorities = forms.MultipleChoiceField(
        label="Priority",
        help_text="Leave all unticked for any",
        choices=PRIORITY_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    reviewers = forms.ModelMultipleChoiceField(
        label="Reviewers",
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one reviewer"},
    )
    spread = forms.ChoiceField(
        label="Assign the cases",
        choices=[("even", "Spread them evenly among the reviewers"), ("hand", "By hand, later")],
        widget=forms.RadioSelect,
        initial="even",
        error_messages={"required": "Choose how to assign the cases"},
    )

    def __init__(self, *args, teams=None, reviewers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams
        self.fields["reviewers"].queryset = reviewers


class AssignForm(GovukForm):
    reviewer = forms.ModelChoiceField(
        label="Reviewer",
        queryset=None,
        empty_label="Choose a reviewer",
        error_messages={"required": "Choose a reviewer"},
    )

    def __init__(self, *args, reviewers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].queryset = reviewers


class ReviewForm(GovukForm):
    risk = forms.ChoiceField(
        label="Risk rating",
        choices=Risk.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the risk rating"},
    )
    outcomes = forms.MultipleChoiceField(
        label="Outcomes",
        help_text="Each makes its step or task on the child's file. Closing the case and no "
        "further action go with nothing else but a police referral",
        choices=OutcomeKind.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one outcome"},
    )
    closure_reason = forms.ChoiceField(
        label="Reason for closing (if you close the case)",
        choices=[("", "Choose a reason"), *ClosureReason.choices],
        required=False,
    )
    worker = forms.ModelChoiceField(
        label="Allocate to (if you allocate the case)",
        queryset=None,
        required=False,
        empty_label="Choose a worker",
    )
    rationale = forms.CharField(
        label="What the review found and why",
        help_text="Written on the case notes with each outcome",
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Say why: what the review found"},
    )

    def __init__(self, *args, workers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["worker"].queryset = workers
