from django import forms

from safeguard.accounts.models import Team
from safeguard.core.forms import GovukForm
from safeguard.procedures.models import AUDIENCE_ROLES, Kind, Step

ROLE_CHOICES = [(r.value, r.label) for r in AUDIENCE_ROLES]


class ProcedureForm(GovukForm):
    kind = forms.ChoiceField(
        label="What it is",
        choices=Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether it is a procedure or a learning summary"},
    )
    title = forms.CharField(
        label="Title", max_length=200, error_messages={"required": "Enter a title"}
    )
    body = forms.CharField(
        label="Text",
        widget=forms.Textarea,
        help_text="Plain text. Leave a blank line between paragraphs.",
        error_messages={"required": "Enter the text"},
    )
    step = forms.ChoiceField(
        label="The step it applies to (optional)",
        choices=[("", "None")] + list(Step.choices),
        required=False,
        help_text="Its form links to it.",
    )
    roles = forms.MultipleChoiceField(
        label="Roles (none chosen: every social care role)",
        choices=ROLE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    teams = forms.ModelMultipleChoiceField(
        label="Teams (none chosen: every team)",
        queryset=Team.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, authority_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["teams"].queryset = Team.objects.filter(
            agency__authority_id=authority_id
        ).select_related("agency")


class ReviseForm(ProcedureForm):
    change_summary = forms.CharField(
        label="What has changed",
        max_length=500,
        error_messages={"required": "Say what has changed in this version"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["kind"]
        del self.fields["step"]
