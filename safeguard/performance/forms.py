"""Forms of the performance pages: a target for an indicator (decision 0084)."""

from django import forms

from safeguard.core.forms import GovukForm
from safeguard.performance.indicators import INDICATORS
from safeguard.performance.models import Direction


class TargetForm(GovukForm):
    indicator_id = forms.ChoiceField(
        label="Indicator",
        choices=[("", "Choose an indicator")] + [(i.id, i.title) for i in INDICATORS],
        error_messages={"required": "Choose an indicator"},
    )
    value = forms.CharField(
        label="Target",
        help_text="In the units the dashboard shows: a rate in per cent (85 for 85%), a count "
        "as a number.",
        max_length=20,
        error_messages={"required": "Enter the target"},
    )
    tolerance = forms.CharField(
        label="Tolerance",
        help_text="How far short of the target still counts as within tolerance, in the same "
        "units (5 means 5 percentage points for a rate).",
        max_length=20,
        error_messages={"required": "Enter the tolerance (0 for none)"},
    )
    direction = forms.ChoiceField(
        label="Which way is better",
        choices=Direction.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether a higher or a lower figure is better"},
    )
    trajectory = forms.CharField(
        label="Trajectory (optional)",
        help_text="One month a line with its target, like 2026-04 80. Months not listed take "
        "the target above.",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    reason = forms.CharField(
        label="Why this target",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
