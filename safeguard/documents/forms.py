"""The upload form: input checks only. What the file is (its content, its size) and whether
the case and step belong to the child are the service's checks."""

from django import forms

from safeguard.core.forms import GovukDateField, GovukForm
from safeguard.documents.filetypes import ACCEPTED
from safeguard.documents.models import Category, Source


class FileInput(forms.FileInput):
    template_name = "django/forms/widgets/input.html"


class DocumentForm(GovukForm):
    file = forms.FileField(
        label="File",
        help_text=f"{ACCEPTED[0].upper()}{ACCEPTED[1:]}. "
        "The file's content is checked, not its name",
        widget=FileInput(attrs={"accept": ".pdf,.docx,.xlsx,.odt,.ods,.png,.jpg,.jpeg"}),
        error_messages={
            "required": "Choose a file",
            "empty": "The file is empty",
            "invalid": "Choose a file",
        },
    )
    title = forms.CharField(
        label="Title",
        max_length=200,
        help_text="For example: school report, summer term",
        error_messages={"required": "Enter a title"},
    )
    document_date = GovukDateField(
        label="Date of the document", help_text="The date written on it, or when it was received"
    )
    category = forms.ChoiceField(
        label="Kind of document",
        choices=Category.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what kind of document it is"},
    )
    source = forms.ChoiceField(
        label="Who it is from",
        choices=[("", "Choose"), *Source.choices],
        error_messages={"required": "Choose who the document is from"},
    )
    source_detail = forms.CharField(
        label="Name of the sender (optional)",
        max_length=200,
        required=False,
        help_text="For example: Hillside Primary School",
    )
    description = forms.CharField(
        label="Description (optional)",
        required=False,
        max_length=2_000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    case = forms.ChoiceField(label="Case", required=False)

    def __init__(self, *args, cases=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.cases = {str(c.pk): c for c in cases}
        if self.cases:
            self.fields["case"].choices = [
                ("", "Not on a case"),
                *(
                    (pk, f"Case referred {c.referral_date:%d %B %Y}"
                     + ("" if c.closure_date is None else f", closed {c.closure_date:%d %B %Y}"))
                    for pk, c in self.cases.items()
                ),
            ]  # fmt: skip
        else:
            del self.fields["case"]

    def clean_case(self):
        value = self.cleaned_data.get("case") or ""
        return self.cases.get(value)
