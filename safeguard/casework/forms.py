"""Forms for casework pages: input checks only. Rules that need the database (dates against
the referral, what is still open, who may act) live in the services."""

from django import forms

from safeguard.accounts.models import RECORDING_ROLES, AgencyKind, Team, User
from safeguard.accounts.selectors import social_care_teams
from safeguard.casework.codes import ClosureReason, LegalStatus, PrimaryNeed, Priority, VisitKind
from safeguard.casework.models import AbsenceKind, VisitNotice
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


class CandidateField(forms.ModelChoiceField):
    """The workers of a team as radios, each with what they carry (``loads``: worker pk to a
    description, from the apps that count caseloads)."""

    def __init__(self, *args, **kwargs):
        self.loads: dict = {}
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj):
        label = f"{obj} ({obj.get_role_display()})"
        load = self.loads.get(obj.pk)
        return f"{label}: {load}" if load else label


class AllocateForm(GovukForm):
    """Choose a worker of ``team`` to hold the case: the list starts with nobody chosen, so
    pressing the button without choosing allocates nobody. A reason is always asked for."""

    worker = CandidateField(
        label="Worker",
        queryset=User.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={
            "required": "Choose the worker",
            "invalid_choice": "Choose a worker from the list",
        },
    )
    team = forms.ModelChoiceField(
        queryset=Team.objects.none(),
        widget=forms.HiddenInput,
        error_messages={
            "required": "Choose the team",
            "invalid_choice": "Choose a team from the list",
        },
    )
    start_date = GovukDateField(label="Allocated from", error_label="Allocation date")
    reason = forms.CharField(
        label="Reason for allocating",
        help_text="Why this worker: their caseload, experience, or knowledge of the family",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Give the reason for allocating the case"},
    )

    def __init__(
        self, *args, authority, team: Team, loads=None, reallocating: bool = False, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.fields["worker"].queryset = social_care_staff(authority).filter(teams=team)
        self.fields["worker"].loads = loads or {}
        self.fields["worker"].help_text = f"Those in {team} who can hold a case"
        self.fields["team"].queryset = social_care_teams(authority.pk).filter(pk=team.pk)
        self.initial["team"] = team.pk
        if reallocating:
            self.fields["reason"].label = "Reason for reallocating"
            self.fields["reason"].error_messages["required"] = (
                "Give the reason for reallocating the case"
            )


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
    seen_alone_where = _text("Where was the child seen alone?", max_length=200)
    announced = forms.ChoiceField(
        label="Was the visit announced?",
        choices=VisitNotice.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    present = _text("Who was present", rows=3)
    observations = _text("Observations", rows=6)
    child_views = _text("The child's views, in their own words", rows=5)
    analysis = _text("Your analysis", rows=5)
    notes = _text("Other notes", rows=4)

    def __init__(self, *args, authority, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["worker"].queryset = social_care_staff(authority)


class DirectWorkForm(GovukForm):
    work_date = GovukDateField(label="Date of the session", error_label="Date of the session")
    worker = StaffChoiceField(
        label="Done by",
        queryset=User.objects.none(),
        error_messages={"required": "Choose who did the work"},
    )
    where = _text("Where", "Say where the session took place", max_length=200)
    purpose = _text(
        "What the session was for and how it was done",
        "Say what the session was for and how it was done",
        rows=5,
    )
    child_views = _text(
        "The child's views, in their own words",
        "Write the child's views in their own words",
        rows=6,
    )
    analysis = _text("Your analysis", rows=5)

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


class UnallocatedReviewForm(GovukForm):
    review_date = GovukDateField(label="Date of the review")
    decision = _text("Decision", "Enter the decision on the case", rows=5)
    decision.help_text = (
        "What happens while the case waits (or that it is to be allocated or closed), and why"
    )


class CINPlanStartForm(GovukForm):
    start_date = GovukDateField(label="Plan start date")
    summary = _text("Summary of the plan", rows=6)


class CINPlanEndForm(GovukForm):
    end_date = GovukDateField(label="Plan end date")


class LookedAfterStartForm(GovukForm):
    """A period of care starts (decision 0076): the SSDA903 legal status, with its code."""

    start_date = GovukDateField(label="Date the child became looked after")
    legal_status = forms.ChoiceField(
        label="Legal status",
        choices=[(c.value, f"{c.value}: {c.label}") for c in LegalStatus],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the legal status"},
    )


class LookedAfterEndForm(GovukForm):
    end_date = GovukDateField(label="Date the period of care ended")
    reason = _text(
        "Why the period of care ended", "Enter why the period of care ended", max_length=500
    )
    reason.help_text = "For example: returned home to parents, special guardianship order made"


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


# --- Cover (decision 0044): choices and dates only, so they keep no draft -----------------------


def _worker_field(workers, *, label: str):
    return forms.ModelChoiceField(
        label=label,
        queryset=workers,
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={
            "required": "Choose the worker",
            "invalid_choice": "Choose a worker from the list",
        },
    )


class AbsenceForm(GovukForm):
    kind = forms.ChoiceField(
        label="Kind of absence",
        choices=AbsenceKind.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose the kind of absence",
            "invalid_choice": "Choose the kind of absence",
        },
    )
    start_date = GovukDateField(label="First day away")
    last_day = GovukDateField(
        label="Last day away",
        required=False,
        help_text="Leave empty if nobody knows yet (sickness): add it when they are back",
    )

    def __init__(self, data=None, *, workers, **kwargs):
        super().__init__(data, **kwargs)
        self.fields = {"worker": _worker_field(workers, label="Who is away"), **self.fields}


class AbsenceEndForm(GovukForm):
    last_day = GovukDateField(label="Last day away")


class DutyForm(GovukForm):
    start_date = GovukDateField(label="First day on duty")
    last_day = GovukDateField(label="Last day on duty")

    def __init__(self, data=None, *, workers, **kwargs):
        super().__init__(data, **kwargs)
        self.fields = {"worker": _worker_field(workers, label="Who is on duty"), **self.fields}


class AuthorisationDecisionForm(GovukForm):
    """A manager's answer to a request for authorisation: the reasons are needed to refuse."""

    decision = forms.ChoiceField(
        label="Your decision",
        choices=[("authorise", "Authorise it"), ("refuse", "Refuse it")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether you authorise or refuse it"},
    )
    reason = _text("Your reasons", rows=5)
    reason.help_text = (
        "Needed to refuse: what the worker should do instead. Written on the child's file"
    )


class AuthorisationSettingsForm(GovukForm):
    """Which decisions need the case's line manager's authorisation (decision 0041): one box
    per registered decision right (``rights``: objects with ``kind`` and ``label``)."""

    kinds = forms.MultipleChoiceField(
        label="Decisions that need authorisation",
        help_text=(
            "The case's line manager authorises these before they take effect. Nobody "
            "authorises their own work: it goes to the manager above them"
        ),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose decisions from the list"},
    )

    def __init__(self, *args, rights, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kinds"].choices = [(right.kind, right.label) for right in rights]


class CaseSummaryForm(GovukForm):
    """The case summary (decision 0048): each save is a new version. ``based_on`` is the
    version the writer was shown, so that a colleague's newer version is not written over."""

    worries = _text("What are we worried about?", "Enter what we are worried about", rows=6)
    worries.help_text = "The harm that has happened or may happen, and what makes it more likely"
    working_well = _text("What is working well?", "Enter what is working well", rows=6)
    working_well.help_text = "Strengths and safety: what the family and network already do"
    next_steps = _text("What needs to happen?", "Enter what needs to happen", rows=6)
    next_steps.help_text = "What must change, by whom, and by when"
    risk_statement = _text("Risk statement", "Enter the risk statement", rows=4)
    risk_statement.help_text = (
        "In plain words: who is worried about what, what might happen to the child if nothing "
        "changes, and how likely that is"
    )
    based_on = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)


class FamilyChronologyFilter(GovukForm):
    """The family view's filters, as GET parameters (decision 0065): one child, one kind of
    entry, dates. The choices are the family's children and kinds of entry as shown."""

    child = forms.ChoiceField(label="Child", required=False)
    kind = forms.ChoiceField(label="Kind of entry", required=False)
    date_from = GovukDateField(label="From", error_label="From date", required=False)
    date_to = GovukDateField(label="To", error_label="To date", required=False)

    def __init__(self, *args, children: list, kinds: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["child"].choices = [("", "Every child")] + [
            (str(person.pk), person.full_name) for person in children
        ]
        self.fields["kind"].choices = [("", "Every kind")] + list(kinds)
        self.fields["child"].error_messages["invalid_choice"] = "Choose a child of the family"
        self.fields["kind"].error_messages["invalid_choice"] = "Choose a kind of entry shown"

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", "The to date must be the same as or after the from date")
        return data
