"""Forms for a team's posts: choices and dates only, so they keep no draft."""

from decimal import Decimal

from django import forms

from safeguard.core.forms import GovukDateField, GovukForm
from safeguard.workforce.models import PostGrade

FTE_CHOICES = [(f"{n / 10:.1f}", f"{n / 10:.1f}") for n in range(10, 0, -1)]
YES_NO = [("no", "No, the authority's own employee"), ("yes", "Yes, an agency worker")]


class PostForm(GovukForm):
    grade = forms.ChoiceField(
        label="Grade",
        choices=PostGrade.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the grade", "invalid_choice": "Choose the grade"},
    )
    fte = forms.TypedChoiceField(
        label="Full-time equivalent",
        help_text="1.0 is a full-time post; 0.5 half-time",
        choices=FTE_CHOICES,
        coerce=Decimal,
        error_messages={
            "required": "Choose the full-time equivalent",
            "invalid_choice": "Choose the full-time equivalent from the list",
        },
    )
    start_date = GovukDateField(label="Date the post starts")


class PostFillForm(GovukForm):
    start_date = GovukDateField(label="First day in the post")
    agency = forms.TypedChoiceField(
        label="Is this an agency worker?",
        choices=YES_NO,
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether they are an agency worker"},
    )

    def __init__(self, data=None, *, workers, **kwargs):
        super().__init__(data, **kwargs)
        worker = forms.ModelChoiceField(
            label="Who fills the post",
            queryset=workers,
            empty_label="Choose a worker",
            error_messages={
                "required": "Choose the worker",
                "invalid_choice": "Choose a worker from the list",
            },
        )
        self.fields = {"worker": worker, **self.fields}


class PostVacateForm(GovukForm):
    last_day = GovukDateField(label="Last day in the post")
