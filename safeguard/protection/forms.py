"""Forms for child protection steps: input checks only. The rules (dates in order, two
agencies at a strategy discussion, what a plan decision needs) live in services."""

from django import forms

from safeguard.accounts.models import AgencyKind, User
from safeguard.accounts.selectors import conference_chairs, working_agencies
from safeguard.core.forms import GovukDateField, GovukForm, NonWorkingDayCheck, PeopleRowsField
from safeguard.protection.codes import CategoryOfAbuse, PlanEndReason
from safeguard.protection.models import (
    ActionStatus,
    ChallengeKind,
    ConferenceDecision,
    EmergencyProtection,
    Section47Outcome,
    StrategyDecision,
)
from safeguard.protection.services import ENDS_WITHOUT_CONFERENCE, cin_review_field

# Who came to a conference, by agency, with the family as one of them. Stored as
# {agency: attended} for every agency listed, so an absence is recorded, not just left out.
CONFERENCE_AGENCIES = [
    "Children's social care",
    "Police",
    "Health",
    "Education",
    "Family",
    "Other",
]


def _choice_errors(what: str) -> dict:
    return {"required": f"Choose {what}", "invalid_choice": f"Choose {what} from the list"}


def _agency_names(authority) -> list[str]:
    """Suggestions for the agency inputs, so the same agency is written the same way."""
    return list(working_agencies(authority.pk).values_list("name", flat=True))


class StrategyDiscussionForm(GovukForm):
    discussion_date = GovukDateField(label="Date of the strategy discussion")
    attendees = PeopleRowsField(
        label="Who took part",
        help_text=(
            "At least two agencies, usually children's social care, police and health. "
            "Leave rows you do not need empty."
        ),
    )
    decision = forms.ChoiceField(
        label="Decision",
        choices=StrategyDecision.choices,
        widget=forms.RadioSelect,
        error_messages=_choice_errors("the decision"),
    )
    emergency_protection = forms.ChoiceField(
        label="Was the child in police protection or under an emergency protection order?",
        help_text="At the time of the discussion, or leading up to it.",
        choices=EmergencyProtection.choices,
        widget=forms.RadioSelect,
        error_messages=_choice_errors("whether the child was in police or emergency protection"),
    )
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea(attrs={"rows": 6}))

    def __init__(self, *args, authority, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendees"].widget.agencies = _agency_names(authority)


class Section47StartForm(GovukForm):
    start_date = GovukDateField(label="Date the enquiry started")
    core_assessment = forms.BooleanField(
        label="Carry out the enquiry through a core assessment",
        required=False,
        initial=True,
    )

    def __init__(self, *args, core_assessment_help: str = "", **kwargs):
        """``core_assessment_help`` says which core assessment the enquiry would be carried
        out through; without it (Working Together 2013 on) the question is not asked."""
        super().__init__(*args, **kwargs)
        if core_assessment_help:
            self.fields["core_assessment"].help_text = core_assessment_help
        else:
            del self.fields["core_assessment"]


class Section47ConcludeForm(GovukForm):
    end_date = GovukDateField(label="Date the enquiry concluded")
    outcome = forms.ChoiceField(
        label="Outcome of the enquiry",
        choices=Section47Outcome.choices,
        widget=forms.RadioSelect,
        error_messages=_choice_errors("the outcome of the enquiry"),
    )


class AttendanceField(forms.MultipleChoiceField):
    """Agencies present, cleaned to ``{agency: attended}`` for every agency listed."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", "Who attended")
        kwargs.setdefault(
            "help_text",
            "Choose each agency that was represented. A conference that starts or ends a plan "
            "needs a quorum: by default children's social care, police and one other agency",
        )
        super().__init__(
            choices=[(a, a) for a in CONFERENCE_AGENCIES],
            widget=forms.CheckboxSelectMultiple,
            required=False,
            error_messages={"invalid_choice": "Choose agencies from the list"},
            **kwargs,
        )

    def clean(self, value):
        chosen = set(super().clean(value))
        return {agency: agency in chosen for agency in CONFERENCE_AGENCIES}


class ChairField(forms.ModelChoiceField):
    """The conference's chair: one of the authority's active conference chairs."""

    def __init__(self, **kwargs):
        super().__init__(
            queryset=conference_chairs(None),
            label="Chair",
            help_text="The independent reviewing officer who chaired the conference",
            widget=forms.RadioSelect,
            empty_label=None,
            error_messages={
                "required": "Choose the chair of the conference",
                "invalid_choice": "Choose the chair from the list",
            },
            **kwargs,
        )

    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.username


def _chairs_for(form, authority) -> None:
    form.fields["chair"].queryset = conference_chairs(authority.pk)
    if not form.fields["chair"].queryset.exists():
        form.fields[
            "chair"
        ].help_text = (
            "The authority has no conference chair: ask the system administrator to add one"
        )


class ICPCForm(NonWorkingDayCheck, GovukForm):
    non_working_day_fields = {
        "conference_date": (
            "the conference",
            "The CIN census refuses an initial child protection conference dated on a weekend "
            "(DfE rule 8875).",
        )
    }
    conference_date = GovukDateField(label="Date of the conference")
    chair = ChairField()
    attendance = AttendanceField(initial=["Children's social care"])
    decision = forms.ChoiceField(
        label="Does the child need a child protection plan?",
        choices=[
            (ConferenceDecision.PLAN, "Yes: a child protection plan"),
            (ConferenceDecision.NO_PLAN, "No child protection plan"),
        ],
        widget=forms.RadioSelect,
        error_messages=_choice_errors("whether the child needs a child protection plan"),
    )
    category = forms.ChoiceField(
        label="Category of abuse",
        help_text="Only if the child needs a plan",
        choices=CategoryOfAbuse.choices,
        widget=forms.RadioSelect,
        required=False,
        error_messages=_choice_errors("the category of abuse"),
    )
    outline_plan = forms.CharField(
        label="Outline child protection plan",
        help_text="Only if the child needs a plan",
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    core_group_members = PeopleRowsField(
        label="Core group members",
        help_text="Only if the child needs a plan: the family and the key professionals",
    )

    def __init__(self, *args, authority, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["core_group_members"].widget.agencies = _agency_names(authority)
        _chairs_for(self, authority)


class CoreGroupForm(GovukForm):
    meeting_date = GovukDateField(label="Date of the core group meeting")
    attendees = PeopleRowsField(label="Who attended", help_text="Leave rows you do not need empty")
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea(attrs={"rows": 6}))

    def __init__(self, *args, authority, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendees"].widget.agencies = _agency_names(authority)


class ReviewConferenceForm(NonWorkingDayCheck, GovukForm):
    # Conferences meet on working days; a weekend or bank holiday is usually a slip.
    non_working_day_fields = {"conference_date": ("the review conference", "")}
    conference_date = GovukDateField(label="Date of the review conference")
    chair = ChairField()
    attendance = AttendanceField(initial=["Children's social care"])
    decision = forms.ChoiceField(
        label="Decision",
        choices=[
            (ConferenceDecision.CONTINUE, "The plan continues"),
            (ConferenceDecision.END, "The plan ends"),
        ],
        widget=forms.RadioSelect,
        error_messages=_choice_errors("whether the plan continues or ends"),
    )
    category = forms.ChoiceField(
        label="Latest category of abuse",
        choices=CategoryOfAbuse.choices,
        widget=forms.RadioSelect,
        error_messages=_choice_errors("the category of abuse"),
    )
    end_reason = forms.ChoiceField(
        label="Why the plan ends",
        help_text="Only if the plan ends",
        # A plan that ends because the child turned 18, died or left the UK is ended from
        # the plan, not by a conference.
        choices=[
            (PlanEndReason.RISK_REDUCED, PlanEndReason.RISK_REDUCED.label),
            (PlanEndReason.MOVED, PlanEndReason.MOVED.label),
        ],
        widget=forms.RadioSelect,
        required=False,
        error_messages=_choice_errors("why the plan ends"),
    )

    def __init__(self, *args, authority, **kwargs):
        super().__init__(*args, **kwargs)
        _chairs_for(self, authority)


class PlanEndForm(GovukForm):
    end_date = GovukDateField(label="Date the plan ended")
    reason = forms.ChoiceField(
        label="Why the plan ended",
        help_text="Only a conference can end a plan for any other reason",
        choices=[(r.value, r.label) for r in PlanEndReason if r in ENDS_WITHOUT_CONFERENCE],
        widget=forms.RadioSelect,
        error_messages=_choice_errors("why the plan ended"),
    )


# Plans that do something (issue 16 item 2, decision 0036).


class PlanWriteForm(GovukForm):
    outcomes = forms.CharField(
        label="Outcomes",
        help_text="What must change for the child to be safe. One outcome a line.",
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Write the outcomes the plan is for"},
    )
    contingency = forms.CharField(
        label="Contingency plan",
        help_text="What will happen if the plan is not followed or is not making the child safe.",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Write the contingency plan"},
    )


def _action_owners(authority_id):
    """The people who may own an action: active staff of the authority's working agencies."""
    return (
        User.objects.filter(is_active=True, agency__authority_id=authority_id)
        .exclude(agency__kind=AgencyKind.INSPECTORATE)
        .select_related("agency")
        .order_by("last_name", "first_name")
    )


class OwnerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        agency = f", {obj.agency}" if obj.agency_id else ""
        return f"{obj} ({obj.job_title or obj.get_role_display()}{agency})"


class PlanActionForm(GovukForm):
    description = forms.CharField(
        label="What is to be done",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Write what is to be done"},
    )
    owner_user = OwnerChoiceField(
        label="Owner: a person",
        help_text="Choose a person, or an agency below, not both.",
        queryset=None,
        required=False,
        empty_label="No person: an agency owns it",
    )
    owner_agency = forms.ModelChoiceField(
        label="Owner: an agency",
        queryset=None,
        required=False,
        empty_label="No agency: a person owns it",
    )
    due_date = GovukDateField(label="Due by")

    def __init__(self, *args, authority, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_user"].queryset = _action_owners(authority.pk)
        self.fields["owner_agency"].queryset = working_agencies(authority.pk)

    def clean(self):
        data = super().clean()
        if not self.errors and (data.get("owner_user") is None) == (
            data.get("owner_agency") is None
        ):
            self.add_error("owner_user", "Choose who owns the action: a person or an agency")
        return data


class PlanActionProgressForm(GovukForm):
    core_group = forms.ModelChoiceField(
        label="Recorded at a core group meeting?",
        queryset=None,
        required=False,
        empty_label="No: progress between meetings",
    )
    recorded_on = GovukDateField(
        label="Date",
        help_text="The date of the progress. At a core group, the meeting's date is used.",
    )
    status = forms.ChoiceField(
        label="Status now",
        choices=ActionStatus.choices,
        widget=forms.RadioSelect,
        error_messages=_choice_errors("the action's status"),
    )
    note = forms.CharField(
        label="What has happened",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Write what has happened"},
    )

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self._meetings(plan)

    def _meetings(self, plan) -> None:
        field = self.fields["core_group"]
        field.queryset = plan.core_groups.order_by("-meeting_date")
        field.label_from_instance = lambda g: f"Core group of {g.meeting_date:%-d %B %Y}"


class CINPlanActionProgressForm(PlanActionProgressForm):
    """Progress on a child in need plan's action (decision 0068): at one of the plan's
    reviews, or between them."""

    core_group = None
    cin_review = forms.ModelChoiceField(
        label="Recorded at a review of the plan?",
        queryset=None,
        required=False,
        empty_label="No: progress between reviews",
    )
    field_order = ["cin_review", "recorded_on", "status", "note"]

    def _meetings(self, plan) -> None:
        field = self.fields["cin_review"]
        field.queryset = plan.reviews.order_by("-review_date")
        field.label_from_instance = lambda r: f"Review of {r.review_date:%-d %B %Y}"
        self.fields[
            "recorded_on"
        ].help_text = "The date of the progress. At a review, the review's date is used."


class CINReviewForm(GovukForm):
    """A review of a child in need plan, going through each of the plan's open actions
    (decision 0068): the review's date and outcome, then each action's status now and what
    has happened (``action_<n>_status``, ``action_<n>_note``, in the order of ``actions``)."""

    review_date = GovukDateField(label="Review date")
    outcome = forms.CharField(
        label="Outcome of the review",
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
    )

    def __init__(self, *args, actions, show_descriptions: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.actions = list(actions)
        for index, action in enumerate(self.actions):
            what = action.description if show_descriptions else ""
            heading = (
                f"Action {index + 1}, owned by {action.owner}, due {action.due_date:%-d %B %Y}"
            )
            self.fields[cin_review_field(index, "status")] = forms.ChoiceField(
                label=f"{heading}: status now",
                help_text=what,
                choices=ActionStatus.choices,
                widget=forms.RadioSelect,
                error_messages=_choice_errors(f"the status of action {index + 1}"),
            )
            self.initial.setdefault(cin_review_field(index, "status"), action.status)
            self.fields[cin_review_field(index, "note")] = forms.CharField(
                label=f"Action {index + 1}: what has happened",
                widget=forms.Textarea(attrs={"rows": 3}),
                error_messages={"required": f"Write what has happened on action {index + 1}"},
            )

    def review_data(self) -> dict:
        """The cleaned data as ``services.cin_review_record`` takes it."""
        data = self.cleaned_data
        return {
            "review_date": data["review_date"],
            "outcome": data.get("outcome", ""),
            "progress": [
                {
                    "action": action,
                    "status": data[cin_review_field(index, "status")],
                    "note": data[cin_review_field(index, "note")],
                }
                for index, action in enumerate(self.actions)
            ],
        }


class MinutesCirculatedForm(GovukForm):
    circulated_on = GovukDateField(label="Date the minutes were circulated")


class ChallengeForm(GovukForm):
    kind = forms.ChoiceField(
        label="Is this a challenge or an escalation?",
        choices=ChallengeKind.choices,
        widget=forms.RadioSelect,
        help_text="An escalation goes to a manager under the dispute resolution procedure.",
        error_messages=_choice_errors("whether this is a challenge or an escalation"),
    )
    conference = forms.ModelChoiceField(
        label="Did it arise from a conference?",
        queryset=None,
        required=False,
        empty_label="No: not from a conference",
    )
    concern = forms.CharField(
        label="What the concern is",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Write what the concern is"},
    )
    raised_with = forms.CharField(
        label="Raised with",
        help_text="Their name and role, for example the team manager.",
        error_messages={"required": "Enter who it was raised with"},
    )
    raised_on = GovukDateField(label="Date raised")

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["conference"]
        field.queryset = case.conferences.order_by("-conference_date")
        field.label_from_instance = lambda c: (
            f"{c.get_kind_display()} of {c.conference_date:%-d %B %Y}"
        )


class ChallengeResolveForm(GovukForm):
    resolved_on = GovukDateField(label="Date resolved")
    resolution = forms.CharField(
        label="How it was resolved",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Write how it was resolved"},
    )
