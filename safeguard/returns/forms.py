"""Forms for starting the statutory returns: input checks only."""

from __future__ import annotations

import datetime

from django import forms
from django.conf import settings
from django.utils import timezone

from safeguard.core.errors import ApplicationError
from safeguard.core.forms import GovukDateField, GovukForm
from safeguard.returns.census import CensusYear


def _current_first_year(today) -> int:
    """The first calendar year of the census year ``today`` is in (still in progress)."""
    return today.year if today.month >= 4 else today.year - 1


def last_complete_census_year(today=None) -> CensusYear:
    """The last census year (1 April to 31 March) that has ended: what an export is for
    unless the user chooses otherwise. The year still in progress is offered, never chosen."""
    today = today or timezone.localdate()
    return CensusYear(_current_first_year(today) - 1)


def last_complete_month_end(today=None):
    """The last day of the last complete month: the default end of Annex A's six months, so
    that no list stops part of the way through a month still being recorded."""
    today = today or timezone.localdate()
    return today.replace(day=1) - datetime.timedelta(days=1)


def census_year_choices(today=None) -> list[tuple[str, str]]:
    """The current census year and the five before it, newest first."""
    today = today or timezone.localdate()
    current = _current_first_year(today)
    years = [CensusYear(first) for first in range(current, current - 6, -1)]
    return [
        (y.label, f"{y.label} (1 April {y.first_year} to 31 March {y.end_year})") for y in years
    ]


class CinExportForm(GovukForm):
    year = forms.ChoiceField(
        label="Census year",
        choices=(),
        error_messages={
            "required": "Choose the census year",
            "invalid_choice": "Choose a census year from the list",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = census_year_choices()
        self.fields["year"].initial = last_complete_census_year().label


class AnnexAForm(GovukForm):
    as_of = GovukDateField(
        label="As-of date",
        help_text=(
            "The last day the lists cover; they start six months before it. For example, 31 3 2026"
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["as_of"].initial = last_complete_month_end()


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True
    template_name = "django/forms/widgets/input.html"


class MultipleFileField(forms.FileField):
    """One or more files (Django's documented pattern for ``<input multiple>``)."""

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(item, initial) for item in data]
        return [single(data, initial)]


NOT_XML = "{} is not an XML file: choose census .xml files only"
XML_TYPES = {"text/xml", "application/xml", "application/octet-stream", ""}


class CinImportForm(GovukForm):
    files = MultipleFileField(
        label="Census XML files",
        help_text="One or more CIN census returns (.xml); overlapping years are merged",
        widget=MultipleFileInput(attrs={"accept": ".xml,text/xml,application/xml"}),
        error_messages={"required": "Choose one or more census XML files"},
    )
    skip_invalid = forms.BooleanField(
        label="Import the valid children and report the others",
        help_text="Otherwise a file with any problem is refused whole and nothing is imported",
        required=False,
    )

    def clean_files(self):
        uploads = self.cleaned_data.get("files") or []
        if not uploads:
            raise forms.ValidationError("Choose one or more census XML files")
        total = 0
        for upload in uploads:
            name = upload.name or "(no name)"
            if not name.lower().endswith(".xml"):
                raise forms.ValidationError(NOT_XML.format(name))
            if upload.content_type not in XML_TYPES:
                raise forms.ValidationError(NOT_XML.format(name))
            if upload.size == 0:
                raise forms.ValidationError(f"{name} is empty")
            total += upload.size
            head = next(upload.chunks(1024), b"").lstrip(b"\xef\xbb\xbf \t\r\n")
            upload.seek(0)
            if not head.startswith(b"<"):
                raise forms.ValidationError(NOT_XML.format(name))
            try:
                check_well_formed(upload)
            except ApplicationError as error:
                raise forms.ValidationError(f"{name}: {error.message}") from error
        if total > settings.SAFEGUARD_MAX_UPLOAD_BYTES:
            raise forms.ValidationError("The files are too large together")
        return uploads


def check_well_formed(upload) -> None:
    """Refuse a file that is not well-formed XML before it is kept, naming the line; DTDs and
    entity declarations are refused, as the census reader refuses them."""
    from xml.parsers import expat

    parser = expat.ParserCreate()

    def refuse(*args, **kwargs):
        raise ApplicationError(
            "the file declares a DTD or entities, which a census file never does"
        )

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    try:
        for chunk in upload.chunks():
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except expat.ExpatError as error:
        problem = expat.ErrorString(error.code)
        raise ApplicationError(
            f"the file is not well-formed XML (line {error.lineno}: {problem})"
        ) from error
    finally:
        upload.seek(0)
