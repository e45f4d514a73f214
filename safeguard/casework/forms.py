"""Forms for casework pages: input checks only. Rules that need the database (dates against
the referral, what is still open, who may act) live in the services."""

from django import forms

from safeguard.accounts.models import RECORDING_ROLES, AgencyKind, Team, User
from safeguard.accounts.selectors import social_care_teams
from safeguard.casework.codes import ClosureReason, PrimaryNeed, Priority, VisitKind
from safeguard.core.forms import GovukDateField, GovukForm

YES_NO = [("yes", "Yes"), ("no", "No")]

# The census wording with the code: managers and returns staff know the needs by it. Shared by
# the referral (the working primary need) and the assessment's authorisation (the assessed one).
PRIMARY_NEED_CHOICES = [(code, f"{label} ({code})") for code, label in PrimaryNeed.choices]


PRIORITY_HELP = (
    "Red: the child may be at risk of significant harm now; a red contact is decided within "
    "hours, nights and weekends included. Amber: worrying, to be decided soon. Green: no "
    "sign of immediate risk"
)


def priority_field(help_text: str = PRIORITY_HELP, *, required: bool = True):
    return forms.ChoiceField(
        label="Priority",
        help_text=help_text,
        choices=Priority.choices,
        required=required,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose the priority: red, amber or green",
            "invalid_choice": "Choose the priority: red, amber or green",
        },
    )


def priority_reason_field(help_text: str = "Needed for red, and for any change of priority"):
    return forms.CharField(
        label="Reason for the priority",
        required=False,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def _yes_no(value) -> bool:
    return value == "yes"


def _text(label: str, required_message: str = "", *, max_length=None, rows=None):
    """A text field; it is required when it has a message for leaving it empty."""
    widget = forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput
    return forms.CharField(
        label=label,
        required=bool(required_message),
        max_length=max_length,
        widget=widget,
        error_messages={"required": required_message} if required_message else None,
    )


def social_care_staff(authority):
    """Staff of the authority's children's social care who may hold a case."""
    return (
        User.objects.filter(
            is_active=True,
            agency__authority=authority,
            agency__kind=AgencyKind.CHILDRENS_SOCIAL_CARE,
            role__in=RECORDING_ROLES,
        )
        .select_related("agency")
        .order_by("last_name", "first_name")
    )


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj} ({obj.get_role_display()})"


class AllocateForm(GovukForm):
    worker = StaffChoiceField(
        label="Worker",
        queryset=User.objects.none(),
        error_messages={
            "required": "Choose the worker",
            "invalid_choice": "Choose a worker from the list",
        },
    )
    team = forms.ModelChoiceField(
        label="Team",
        queryset=Team.objects.none(),
        required=False,
        empty_label="The worker's own team",
        help_text="Choose a team only when the worker holds the case for a team other than "
        "their own",
        error_messages={"invalid_choice": "Choose a team from the list"},
    )
    start_date = GovukDateField(label="Allocated from", error_label="Allocation date")

    def __init__(self, *args, authority, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["worker"].queryset = social_care_staff(authority)
        self.fields["team"].queryset = social_care_teams(authority.pk)

    def clean(self):
        data = super().clean()
        worker, team = data.get("worker"), data.get("team")
        if worker is not None and team is None:
            team = worker.teams.filter(agency_id=worker.agency_id).order_by("name").first()
            if team is None:
                self.add_error("team", f"{worker} is not in a team: choose the team")
            data["team"] = team
        return data


class VisitForm(GovukForm):
    kind = forms.ChoiceField(
        label="Kind of visit",
        choices=VisitKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the kind of visit"},
    )
    visit_date = GovukDateField(label="Date of the visit", error_label="Visit date")
    worker = StaffChoiceField(
        label="Visited by",
        queryset=User.objects.none(),
        error_messages={"required": "Choose who visited"},
    )
    child_seen = forms.TypedChoiceField(
        label="Was the child seen?",
        choices=YES_NO,
        coerce=_yes_no,
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether the child was seen"},
    )
    child_seen_alone = forms.BooleanField(label="The child was seen alone", required=False)
    bedroom_seen = forms.BooleanField(label="The child's bedroom was seen", required=False)
    notes = _text("Notes", rows=6)

    def __init__(self, *args, authority, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["worker"].queryset = social_care_staff(authority)


class CaseNoteForm(GovukForm):
    note_date = GovukDateField(label="Date", error_label="Date of the note")
    subject = _text("Subject", "Enter a subject", max_length=200)
    text = _text("Note", "Enter the note", rows=8)
    significant = forms.BooleanField(
        label="Significant event",
        required=False,
        help_text="A significant event is added to the child's chronology",
    )


class DecisionForm(GovukForm):
    decision_date = GovukDateField(label="Date of the decision")
    decision = _text("Decision", "Enter the decision", rows=5)
    rationale = _text("Rationale", rows=5)


class CINPlanStartForm(GovukForm):
    start_date = GovukDateField(label="Plan start date")
    summary = _text("Summary of the plan", rows=6)


class CINPlanReviewForm(GovukForm):
    review_date = GovukDateField(label="Review date")
    outcome = _text("Outcome of the review", rows=6)


class CINPlanEndForm(GovukForm):
    end_date = GovukDateField(label="Plan end date")


class CloseForm(GovukForm):
    closure_date = GovukDateField(label="Closure date")
    reason = forms.ChoiceField(
        label="Reason for closure",
        choices=[(c.value, f"{c.value}: {c.label}") for c in ClosureReason],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the reason for closure"},
    )


class PriorityForm(GovukForm):
    """Change a case's priority: the reason is always needed (the service says so)."""

    priority = priority_field()
    priority_reason = priority_reason_field("Why the priority changes: what has happened")


class ChronologyEntryForm(GovukForm):
    event_date = GovukDateField(
        label="Date of the event",
        help_text="When it happened, not when it is recorded",
    )
    what = _text("What happened", "Enter what happened", max_length=500, rows=3)
    source_agency = forms.CharField(
        label="Source or agency",
        required=False,
        max_length=200,
        help_text="Who told children's social care, for example Police or Oakfield Primary",
    )
    impact = _text("Impact on the child", rows=3)
    outcome = _text("Action or outcome", rows=3)


class AnnotationForm(GovukForm):
    text = _text("Annotation", "Enter the annotation", rows=4)
