from django import forms

from safeguard.accounts.models import Agency, User
from safeguard.core.forms import GovukDateField, GovukForm
from safeguard.documents.filetypes import ACCEPTED
from safeguard.governance.models import (
    ActionStatus,
    Objective,
    Plan,
    PlanStatus,
    Rag,
    RiskKind,
    RiskStatus,
)
from safeguard.performance.indicators import INDICATORS

SCORE = [(n, str(n)) for n in range(1, 6)]


def _staff(authority_id):
    return (
        User.objects.filter(agency__authority_id=authority_id, is_active=True)
        .select_related("agency")
        .order_by("last_name", "first_name")
    )


class StaffChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.get_full_name() or obj.username} ({obj.agency.name})"


class PlanForm(GovukForm):
    title = forms.CharField(
        label="Title", max_length=200, error_messages={"required": "Enter a title"}
    )
    owner_body = forms.CharField(
        label="Owned by (the board or organisation)",
        max_length=200,
        error_messages={"required": "Enter the board or organisation that owns the plan"},
    )
    lead = StaffChoice(
        label="Plan owner (the officer who answers for it and signs actions off)",
        queryset=User.objects.none(),
        error_messages={"required": "Choose the plan owner"},
    )
    agency = forms.ModelChoiceField(
        label="Agency (only for an agency's own plan)",
        queryset=Agency.objects.none(),
        required=False,
    )
    start_date = GovukDateField(label="Starts", error_label="Start date")
    end_date = GovukDateField(label="Ends", error_label="End date")
    status = forms.ChoiceField(label="Status", choices=PlanStatus.choices, widget=forms.RadioSelect)
    incorporated_into = forms.ModelChoiceField(
        label="Incorporated into (for an agency's plan monitored in a partnership plan)",
        queryset=Plan.objects.none(),
        required=False,
    )

    def __init__(self, *args, authority_id, exclude=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead"].queryset = _staff(authority_id)
        self.fields["agency"].queryset = Agency.objects.filter(authority_id=authority_id).order_by(
            "name"
        )
        # Any plan of the authority: plans nest at any depth; a cycle is refused by the service.
        plans = Plan.objects.filter(authority_id=authority_id)
        if exclude is not None:
            plans = plans.exclude(pk=exclude.pk)
        self.fields["incorporated_into"].queryset = plans.order_by("title")


class ObjectiveForm(GovukForm):
    title = forms.CharField(
        label="Objective", max_length=300, error_messages={"required": "Enter the objective"}
    )


class ActionUpdateForm(GovukForm):
    status = forms.ChoiceField(
        label="Status",
        choices=[c for c in ActionStatus.choices if c[0] != ActionStatus.AWAITING_SIGN_OFF],
        widget=forms.RadioSelect,
        help_text="Done by the action's owner waits for the plan owner's sign-off.",
        error_messages={"required": "Choose the status"},
    )
    due_date = GovukDateField(label="Due", error_label="Due date")
    rag = forms.ChoiceField(
        label="RAG rating",
        choices=Rag.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a RAG rating"},
    )
    rag_reason = forms.CharField(
        label="Reason for the rating", widget=forms.Textarea, required=False,
        help_text="Needed for amber and red.",
    )  # fmt: skip
    indicators = forms.MultipleChoiceField(
        label="Indicators it should move",
        choices=[(i.id, i.title) for i in INDICATORS],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


class ActionForm(ActionUpdateForm):
    title = forms.CharField(
        label="Action", max_length=300, error_messages={"required": "Enter the action"}
    )
    description = forms.CharField(
        label="What will be done (optional)", widget=forms.Textarea, required=False
    )
    objective = forms.ModelChoiceField(
        label="Objective it serves",
        queryset=Objective.objects.none(),
        error_messages={"required": "Choose the objective"},
    )
    owner = StaffChoice(
        label="Owner", queryset=User.objects.none(), error_messages={"required": "Choose the owner"}
    )
    agency = forms.ModelChoiceField(
        label="Owning agency",
        queryset=Agency.objects.none(),
        error_messages={"required": "Choose the owning agency"},
    )
    field_order = [
        "title",
        "description",
        "objective",
        "owner",
        "agency",
        "due_date",
        "status",
        "rag",
        "rag_reason",
        "indicators",
    ]

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["objective"].queryset = Objective.objects.filter(plan=plan)
        self.fields["owner"].queryset = _staff(plan.authority_id)
        self.fields["agency"].queryset = Agency.objects.filter(
            authority_id=plan.authority_id
        ).order_by("name")
        self.fields["status"].choices = [
            c
            for c in ActionStatus.choices
            if c[0] not in (ActionStatus.DONE, ActionStatus.AWAITING_SIGN_OFF)
        ]


class ServeForm(GovukForm):
    objective = forms.ModelChoiceField(
        label="Objective (of any plan)",
        queryset=Objective.objects.none(),
        error_messages={"required": "Choose the objective"},
    )

    def __init__(self, *args, authority_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["objective"].queryset = (
            Objective.objects.filter(plan__authority_id=authority_id)
            .select_related("plan")
            .order_by("plan__title", "number")
        )
        self.fields["objective"].label_from_instance = lambda o: (
            f"{o.plan.title}: {o.number}. {o.title}"
        )


class FileInput(forms.FileInput):
    template_name = "django/forms/widgets/input.html"


class EvidenceForm(GovukForm):
    """A link, a file, or both: which of them is given, and what the file is (its content, its
    size), are the service's checks (``services.evidence_add``)."""

    title = forms.CharField(
        label="What it is", max_length=200, error_messages={"required": "Say what the evidence is"}
    )
    url = forms.URLField(
        label="Link (optional if you upload a file)",
        max_length=500,
        required=False,
        assume_scheme="https",
        help_text="For example: https://example.org/partnership/minutes",
        error_messages={"invalid": "Enter a link such as https://example.org/report"},
    )
    file = forms.FileField(
        label="Upload a file (optional if you give a link)",
        required=False,
        help_text=f"{ACCEPTED[0].upper()}{ACCEPTED[1:]}. The file's content is checked, not "
        "its name",
        widget=FileInput(attrs={"accept": ".pdf,.docx,.xlsx,.odt,.ods,.png,.jpg,.jpeg"}),
        error_messages={"empty": "The file is empty", "invalid": "Choose a file"},
    )


class RiskForm(GovukForm):
    kind = forms.ChoiceField(
        label="Risk or issue",
        choices=RiskKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose risk or issue"},
    )
    title = forms.CharField(
        label="Risk", max_length=300, error_messages={"required": "Describe the risk"}
    )
    likelihood = forms.TypedChoiceField(
        label="Likelihood (1 rare to 5 almost certain)",
        choices=SCORE,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Give the likelihood from 1 to 5"},
    )
    impact = forms.TypedChoiceField(
        label="Impact (1 minimal to 5 severe)",
        choices=SCORE,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Give the impact from 1 to 5"},
    )
    owner = StaffChoice(
        label="Owner", queryset=User.objects.none(), error_messages={"required": "Choose the owner"}
    )
    mitigation = forms.CharField(
        label="What is being done about it",
        widget=forms.Textarea,
        error_messages={"required": "Say what is being done about it"},
    )
    review_date = GovukDateField(label="Review by", error_label="Review date")
    plans = forms.ModelMultipleChoiceField(
        label="Plans it threatens",
        queryset=Plan.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, authority_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = _staff(authority_id)
        self.fields["plans"].queryset = Plan.objects.filter(authority_id=authority_id).order_by(
            "title"
        )


class RiskUpdateForm(RiskForm):
    status = forms.ChoiceField(label="Status", choices=RiskStatus.choices, widget=forms.RadioSelect)
