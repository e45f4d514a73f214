"""Forms of the boards pages (decision 0084)."""

from django import forms

from safeguard.core.forms import GovukDateField, GovukForm


class CommentaryForm(GovukForm):
    section = forms.ChoiceField(label="Section", error_messages={"required": "Choose the section"})
    text = forms.CharField(
        label="Commentary",
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": "Write the commentary"},
    )

    def __init__(self, *args, sections=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].choices = [("", "Choose the section")] + [
            (s.key, s.title) for s in sections
        ]


class CorrectionForm(GovukForm):
    reason = forms.CharField(
        label="What the correction puts right",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Say what the correction puts right"},
    )


class ChallengeForm(GovukForm):
    raised_on = GovukDateField(label="Date of the meeting that raised it")
    question = forms.CharField(
        label="The question",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Write the question"},
    )
    officer = forms.ModelChoiceField(
        label="Officer to answer", queryset=None, empty_label="Choose the officer",
        error_messages={"required": "Choose the officer to answer"},
    )  # fmt: skip
    due_date = GovukDateField(label="Answer due by")

    def __init__(self, *args, officers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = officers


class AnswerForm(GovukForm):
    answer = forms.CharField(
        label="Your answer",
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": "Write the answer"},
    )


class CloseForm(GovukForm):
    verdict = forms.ChoiceField(
        label="The body's view of the answer",
        choices=[("accepted", "Accepted: close the question"), ("further", "Challenge further")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether the answer is accepted"},
    )
    further = forms.CharField(
        label="The further question (if challenged further)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    due_date = GovukDateField(label="Further answer due by (if challenged further)", required=False)


# The groups of indicators on the body's form, by the section of kpis.md that defines them.
INDICATOR_GROUPS = {
    2: "Statutory measures",
    3: "Measures shown when their data exist",
    4: "Local standards",
}


def indicator_choices() -> list:
    """The performance indicators as checkboxes, grouped, each labelled with its title."""
    from safeguard.performance.indicators import INDICATORS

    groups: dict[str, list] = {}
    for indicator in INDICATORS:
        label = INDICATOR_GROUPS.get(indicator.section, "Other measures")
        groups.setdefault(label, []).append((indicator.id, indicator.title))
    return list(groups.items())


class PersonChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        what = obj.job_title or obj.get_role_display()
        return f"{obj.get_full_name() or obj.username} ({what}, {obj.agency.name})"


class BodyForm(GovukForm):
    name = forms.CharField(
        label="Name", max_length=200, error_messages={"required": "Enter the body's name"}
    )
    purpose = forms.CharField(
        label="What it is for (optional)",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    pack_day = forms.IntegerField(
        label="Day of the month its pack is drafted",
        help_text="From 1 to 28. Each month's pack covers the month before.",
        min_value=1,
        max_value=28,
        error_messages={
            "required": "Enter the day of the month its pack is drafted",
            "invalid": "Enter the day of the month as a number from 1 to 28",
            "min_value": "Choose a day of the month from 1 to 28",
            "max_value": "Choose a day of the month from 1 to 28",
        },
    )
    indicators = forms.MultipleChoiceField(
        label="Indicators its pack shows",
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages={"invalid_choice": "Choose indicators from the list"},
    )
    sections = forms.MultipleChoiceField(
        label="Sections of its pack",
        help_text="None chosen: every section.",
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages={"invalid_choice": "Choose sections from the list"},
    )
    members = PersonChoices(
        label="Members (who read its packs)",
        help_text="Board members and elected members of the authority, and any other staff.",
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages={"invalid_choice": "Choose members from the list"},
    )
    officers = PersonChoices(
        label="Named officers (who write the commentary and answer its questions)",
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages={"invalid_choice": "Choose officers from the list"},
    )

    def __init__(self, *args, sections=(), members=None, officers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicators"].choices = indicator_choices()
        self.fields["sections"].choices = [(s.key, s.title) for s in sections]
        self.fields["members"].queryset = members
        self.fields["officers"].queryset = officers

    @staticmethod
    def initial_for(body) -> dict:
        return {
            "name": body.name,
            "purpose": body.purpose,
            "pack_day": body.pack_day,
            "indicators": body.indicators,
            "sections": body.sections,
            "members": [p.pk for p in body.members.all()],
            "officers": [p.pk for p in body.officers.all()],
        }


class EndBodyForm(GovukForm):
    """The confirmation of standing a body down: nothing typed, the version shown."""
