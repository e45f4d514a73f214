"""The handover form and the receiving manager's decision: input checks only; the rules
(one transfer waiting, who may decide, the case's team) live in the services."""

from django import forms

from safeguard.accounts.models import Team, User
from safeguard.core.forms import GovukForm


def _box(label: str, required_message: str = "", *, rows: int = 5, help_text: str = ""):
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=bool(required_message),
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"required": required_message} if required_message else None,
    )


class TransferRequestForm(GovukForm):
    to_team = forms.ModelChoiceField(
        label="Team to transfer the case to",
        queryset=Team.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={
            "required": "Choose the team to transfer the case to",
            "invalid_choice": "Choose a team from the list",
        },
    )
    summary = _box(
        "Summary of the case",
        "Write a summary of the case",
        rows=6,
        help_text="Who the child is, why the case is open, what has been done and the plan",
    )
    risks = _box("The risks", "Describe the risks", help_text="What worries you, and why")
    outstanding_work = _box(
        "Outstanding work",
        "Describe the outstanding work",
        help_text="What is still to do: visits, meetings, referrals, tasks promised",
    )
    next_due = _box(
        "Next due dates",
        help_text="Filled in from what is due on the case; add anything else with a date",
    )

    def __init__(self, *args, teams: list[Team], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_team"].queryset = Team.objects.filter(pk__in=[t.pk for t in teams])


ACCEPT, RETURN = "accept", "return"


class TransferDecisionForm(GovukForm):
    decision = forms.ChoiceField(
        label="Your decision",
        choices=[(ACCEPT, "Accept the case into the team"), (RETURN, "Return the transfer")],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose whether to accept or return the transfer",
            "invalid_choice": "Choose whether to accept or return the transfer",
        },
    )
    worker = forms.ModelChoiceField(
        label="Allocate to (if accepting)",
        queryset=User.objects.none(),
        required=False,
        empty_label="Nobody yet: the case waits in the team's unallocated queue",
        error_messages={"invalid_choice": "Choose a worker of the receiving team"},
    )
    reason = _box(
        "Reason",
        rows=3,
        help_text="Needed to return the transfer; on accepting, the reason for the allocation",
    )

    def __init__(self, *args, workers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["worker"].queryset = workers

    def clean(self):
        data = super().clean()
        if data.get("decision") == RETURN and not (data.get("reason") or "").strip():
            self.add_error("reason", "Give the reason for returning the transfer")
        if data.get("decision") == RETURN and data.get("worker") is not None:
            self.add_error("worker", "Choose a worker only when accepting the transfer")
        return data
