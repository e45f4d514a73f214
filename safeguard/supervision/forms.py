"""Forms for supervision: input checks only; who may record, which cases may be discussed and
what each decision needs are the services' rules."""

from django import forms

from safeguard.core.forms import GovukDateField, GovukForm
from safeguard.supervision.models import WORKER_INTERVALS
from safeguard.supervision.services import ActionInput, DiscussionInput

OWNERS = [("supervisee", "The worker"), ("supervisor", "The supervisor")]


def _box(label: str, *, required_message: str = "", rows: int = 3, help_text: str = ""):
    return forms.CharField(
        label=label,
        required=bool(required_message),
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"required": required_message} if required_message else None,
    )


class SessionForm(GovukForm):
    """A new session, laid out by the page case by case: for each case of the caseload a
    "discussed" box with its reflection, decision, rationale and action; the open actions of
    earlier sessions, each with a "done" box; and one action not about a case."""

    session_date = GovukDateField(label="Date of the session")
    duration_minutes = forms.IntegerField(
        label="Length of the session (minutes)",
        min_value=1,
        help_text="The employer standard is at least 90 minutes, uninterrupted",
        error_messages={
            "required": "Enter the length of the session in minutes",
            "invalid": "Enter the length of the session as a whole number of minutes",
            "min_value": "Enter the length of the session in minutes",
        },
        widget=forms.NumberInput(attrs={"class": "govuk-input govuk-input--width-4"}),
    )
    wellbeing = _box("Wellbeing, workload and development", rows=4)
    action = forms.CharField(label="Another action, not about one case", required=False)
    action_owner = forms.ChoiceField(label="Who owns it", choices=OWNERS, required=False)
    action_due = GovukDateField(label="Due by", required=False)

    def __init__(self, *args, cases=(), carried=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.cases, self.carried = list(cases), list(carried)
        self.case_groups = []
        for item in self.cases:
            key, child = item.case.pk.hex, item.child
            names = {
                "discussed": f"discussed_{key}",
                "reflection": f"reflection_{key}",
                "decision": f"decision_{key}",
                "rationale": f"rationale_{key}",
                "action": f"action_{key}",
                "owner": f"owner_{key}",
                "due": f"due_{key}",
            }
            self.fields[names["discussed"]] = forms.BooleanField(
                label=f"Discussed {child.full_name}'s case", required=False
            )
            self.fields[names["reflection"]] = _box(f"Reflection on {child.full_name}'s case")
            self.fields[names["decision"]] = _box(
                "Decision", help_text="Written on the child's file as a management decision"
            )
            self.fields[names["rationale"]] = _box("Rationale for the decision")
            self.fields[names["action"]] = forms.CharField(label="Action", required=False)
            self.fields[names["owner"]] = forms.ChoiceField(
                label="Who owns the action", choices=OWNERS, required=False
            )
            self.fields[names["due"]] = GovukDateField(label="Action due by", required=False)
            self.case_groups.append((item, {k: self[v] for k, v in names.items()}))
        self.done_fields = []
        for action in self.carried:
            name = f"done_{action.pk.hex}"
            self.fields[name] = forms.BooleanField(label=f"Done: {action.action}", required=False)
            self.done_fields.append((action, self[name]))
        self._limit_text()

    def service_arguments(self, *, supervisor, supervisee) -> dict:
        """The cleaned data as the arguments of ``services.session_record``."""
        data = self.cleaned_data
        owners = {"supervisor": supervisor, "supervisee": supervisee}
        discussions = []
        for item, group in self.case_groups:
            if not data.get(group["discussed"].name):
                continue
            discussions.append(
                DiscussionInput(
                    case=item.case,
                    reflection=data.get(group["reflection"].name, ""),
                    decision=data.get(group["decision"].name, ""),
                    rationale=data.get(group["rationale"].name, ""),
                    action=data.get(group["action"].name, ""),
                    action_owner=owners.get(data.get(group["owner"].name) or "supervisee"),
                    action_due=data.get(group["due"].name),
                )
            )
        actions = []
        if data.get("action", "").strip():
            actions.append(
                ActionInput(
                    action=data["action"],
                    owner=owners.get(data.get("action_owner") or "supervisee"),
                    due_date=data.get("action_due"),
                )
            )
        return {
            "session_date": data["session_date"],
            "duration_minutes": data["duration_minutes"],
            "wellbeing": data.get("wellbeing", ""),
            "discussions": discussions,
            "actions": actions,
            "done": [a for a, field in self.done_fields if data.get(field.name)],
        }


class SignForm(GovukForm):
    comment = _box("Your comment (optional)", rows=4)


class FrequencyForm(GovukForm):
    start_date = GovukDateField(label="From")
    interval = forms.ChoiceField(
        label="How often",
        choices=WORKER_INTERVALS,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how often the worker is supervised"},
    )
    reason = _box("Reason", required_message="Enter the reason for the frequency")
