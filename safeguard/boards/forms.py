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
