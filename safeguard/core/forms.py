"""GOV.UK Frontend markup for Django forms, and the GOV.UK date input.

``GovukFormRenderer`` (``settings.FORM_RENDERER``) makes ``{{ form }}`` render each field as a
GOV.UK form group. The templates live in ``safeguard/templates/django/forms/``: the renderer
reads the project's TEMPLATES, so the widget templates there replace Django's own.
"""

import datetime
import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.forms.renderers import TemplatesSetting
from django.utils import timezone

from safeguard.core import limits
from safeguard.core.workdays import bank_holidays, is_working_day

__all__ = [
    "CONFIRM_NON_WORKING_DAY",
    "GovukDateField",
    "GovukDateWidget",
    "GovukForm",
    "GovukFormRenderer",
    "NonWorkingDayCheck",
]


class GovukFormRenderer(TemplatesSetting):
    """Renders forms and fields with GOV.UK Frontend markup.

    Non-field errors are not repeated inside the form: pages show them in the error summary
    (``components/error_summary.html``), which is where GOV.UK puts them.
    """

    form_template_name = "django/forms/govuk/form.html"
    field_template_name = "django/forms/govuk/field.html"


def limit_text(name: str, field: forms.Field) -> None:
    """Give a text field its limit (``core.limits``): its own ``max_length`` if it has one,
    else ``LINE`` for one line or ``NARRATIVE`` for a text box; longer text is refused with
    the GOV.UK message. A text box shows its limit as the GOV.UK character count."""
    if not isinstance(field, forms.CharField) or isinstance(
        field.widget, forms.HiddenInput | forms.PasswordInput
    ):
        return
    box = isinstance(field.widget, forms.Textarea)
    limit = field.max_length or (limits.NARRATIVE if box else limits.LINE)
    field.max_length = limit
    label = str(field.label or name.replace("_", " "))
    field.validators = [v for v in field.validators if not isinstance(v, MaxLengthValidator)]
    field.validators.append(MaxLengthValidator(limit, message=limits.too_long(label, limit)))
    if box or limit >= 100:
        # Identifiers and codes have a length of their own; the limit of free text is shown.
        field.text_limit = f"{limit:,}"
    if box:
        # The character count says how much is left; a maxlength would cut pasted text short
        # without a word.
        field.widget.attrs.pop("maxlength", None)
        field.text_limit_count = limit
        field.widget.attrs["class"] = " ".join(
            c for c in (field.widget.attrs.get("class"), "govuk-js-character-count") if c
        )
    else:
        field.widget.attrs["maxlength"] = str(limit)


class LimitedBoundField(forms.BoundField):
    """A field whose input is also described by its limit (``<id>-info``)."""

    @property
    def aria_describedby(self):
        described = super().aria_describedby
        if described is not None and getattr(self.field, "text_limit", None) and self.auto_id:
            described = " ".join(filter(None, [described, f"{self.auto_id}-info"]))
        return described


class GovukForm(forms.Form):
    """The base of every form that takes typing: each text field gets its limit
    (``limit_text``), so no field can take text without end."""

    bound_field_class = LimitedBoundField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._limit_text()

    def _limit_text(self) -> None:
        for name, field in self.fields.items():
            limit_text(name, field)

    def full_clean(self):
        # Again, for any field a form added after its __init__.
        self._limit_text()
        super().full_clean()


DATE_PARTS = ("day", "month", "year")

# Month names are accepted as well as numbers, as the GOV.UK date input pattern advises.
_MONTH_NAMES = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
_MONTHS = {name: number for number, name in enumerate(_MONTH_NAMES, start=1)}
_MONTHS.update({name[:3]: number for name, number in list(_MONTHS.items())})
_MONTHS["sept"] = 9

_DIGITS = re.compile(r"[0-9]+")
_YEAR = re.compile(r"[0-9]{4}")
_LIMITS = {"day": 31, "month": 12}


def _part_number(part: str, text: str) -> int | None:
    """The number typed into one part of a date, or None if it cannot be that part."""
    text = text.strip()
    if part == "month" and text.lower() in _MONTHS:
        return _MONTHS[text.lower()]
    if part == "year":
        return int(text) if _YEAR.fullmatch(text) and int(text) > 0 else None
    if not _DIGITS.fullmatch(text):
        return None
    number = int(text)
    return number if 1 <= number <= _LIMITS[part] else None


def _parts(value) -> list[str]:
    """The three typed parts (day, month, year) of a widget value, as stripped strings."""
    if not isinstance(value, list | tuple):
        return ["", "", ""]
    texts = [("" if v is None else str(v)).strip() for v in value]
    return (texts + ["", "", ""])[:3]


def _date_problem(texts: list[str]) -> tuple[str, list[str]] | None:
    """What is wrong with three typed parts, as (error code, parts to mark), or None.

    The field's error message and the widget's marked inputs both come from here, so the
    inputs marked are always the ones the message is about.
    """
    if not any(texts):
        return "required", list(DATE_PARTS)
    missing = [part for part, text in zip(DATE_PARTS, texts, strict=True) if not text]
    if missing:
        return "incomplete", missing
    if _DIGITS.fullmatch(texts[2]) and len(texts[2]) != 4:
        return "year_digits", ["year"]
    wrong = [p for p, text in zip(DATE_PARTS, texts, strict=True) if _part_number(p, text) is None]
    if wrong:
        return "invalid", wrong
    day, month, year = (_part_number(p, t) for p, t in zip(DATE_PARTS, texts, strict=True))
    try:
        datetime.date(year, month, day)
    except ValueError:
        return "invalid", list(DATE_PARTS)
    return None


class GovukDateWidget(forms.MultiWidget):
    """Day, month and year text inputs laid out as the GOV.UK date input.

    Inputs are named ``<name>_day``, ``<name>_month`` and ``<name>_year`` and have the ids
    ``<id>_day`` and so on. What the user typed is shown again unchanged when the form is
    redisplayed with errors. When the field has an error, only the inputs its message is about
    are marked (the missing month, the 2-digit year), or all three for a date that cannot
    exist as a whole (31 February) or that a service rejected.
    """

    template_name = "django/forms/widgets/govuk_date.html"
    _widths = {"day": 2, "month": 2, "year": 4}

    def __init__(self, attrs=None):
        super().__init__(
            {part: forms.TextInput(attrs={"inputmode": "numeric"}) for part in DATE_PARTS},
            attrs,
        )

    def decompress(self, value):
        if isinstance(value, str):
            try:
                value = datetime.date.fromisoformat(value)
            except ValueError:
                return [None, None, None]
        if isinstance(value, datetime.date):
            return [str(value.day), str(value.month), str(value.year)]
        return [None, None, None]

    def id_for_label(self, id_):
        # The error summary links here: GOV.UK links a date's errors to its first input.
        return f"{id_}_day" if id_ else ""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        invalid = widget["attrs"].pop("aria-invalid", None)
        id_ = widget["attrs"].get("id")
        in_error = set()
        if invalid:
            # A valid date can still be in error (a service found it in the future): mark all.
            typed = _parts(value if isinstance(value, list | tuple) else self.decompress(value))
            problem = _date_problem(typed)
            in_error = set(problem[1] if problem else DATE_PARTS)
        for part, sub in zip(DATE_PARTS, widget["subwidgets"], strict=True):
            sub_attrs = sub["attrs"]
            if id_:
                sub_attrs["id"] = f"{id_}_{part}"
            # Replaces any class copied from the container's attrs; the template adds govuk-input.
            sub_attrs["class"] = f"govuk-date-input__input govuk-input--width-{self._widths[part]}"
            if part in in_error:
                sub_attrs["aria-invalid"] = "true"
            else:
                sub_attrs.pop("aria-invalid", None)
            sub["label"] = part.capitalize()
        return context


def _lower_first(text: str) -> str:
    """'Date of birth' -> 'date of birth', leaving initialisms such as 'NHS' alone."""
    if len(text) > 1 and text[1].isupper():
        return text
    return text[:1].lower() + text[1:]


class GovukDateField(forms.Field):
    """A date typed into the GOV.UK date input; cleans to ``datetime.date`` or None.

    Error messages follow the GOV.UK date input pattern and name the date by its label, or by
    ``error_label`` when the label reads badly in a sentence (``label="From",
    error_label="Start date"``). Each message can also be replaced through ``error_messages``
    with the keys ``required``, ``incomplete``, ``invalid`` and ``year_digits``; they may use
    ``%(name)s`` (lower-case) and ``%(Name)s``, and ``incomplete`` also ``%(missing)s``.
    Whether a date may be in the future is a service's rule, not checked here.
    """

    widget = GovukDateWidget
    default_error_messages = {
        "required": "Enter the %(name)s",
        "incomplete": "%(Name)s must include a %(missing)s",
        "invalid": "%(Name)s must be a real date",
        "year_digits": "Year must include 4 numbers",
    }

    def __init__(self, *, error_label: str | None = None, **kwargs):
        self.error_label = error_label
        super().__init__(**kwargs)

    def _error(self, code: str, **params) -> ValidationError:
        name = str(self.error_label or self.label or "date")
        params |= {"name": _lower_first(name), "Name": name[:1].upper() + name[1:]}
        return ValidationError(self.error_messages[code], code=code, params=params)

    def to_python(self, value):
        if value is None or isinstance(value, datetime.datetime | datetime.date):
            return value.date() if isinstance(value, datetime.datetime) else value
        if isinstance(value, str):
            # A date given as text (an ISO date in a query string, for instance).
            if not value.strip():
                return None
            try:
                return datetime.date.fromisoformat(value.strip())
            except ValueError:
                raise self._error("invalid") from None
        texts = _parts(value)
        if not any(texts):
            return None
        problem = _date_problem(texts)
        if problem:
            code, parts = problem
            raise self._error(code, missing=" and ".join(parts))
        day, month, year = (_part_number(p, t) for p, t in zip(DATE_PARTS, texts, strict=True))
        return datetime.date(year, month, day)

    def validate(self, value):
        if value is None and self.required:
            raise self._error("required")


# --- Dates that should fall on a working day ---------------------------------------------------

CONFIRM_NON_WORKING_DAY = "confirm_non_working_day"


def non_working_day_reason(day: datetime.date) -> str:
    """Why ``day`` is not a working day: 'a Saturday', 'a Sunday' or 'a bank holiday'."""
    if day.weekday() >= 5:
        return f"a {day:%A}"
    return "a bank holiday" if day in bank_holidays(day.year) else ""


class NonWorkingDayCheck:
    """A form mixin: a listed date on a weekend or bank holiday must be confirmed.

    ``non_working_day_fields`` maps each date field to what the date is ("the conference")
    and an optional note on why it matters (a census rule that refuses the date). When such
    a date is not a working day (``core.workdays``), the form is not valid: it comes back
    with everything typed, a GOV.UK warning and a "Yes, it happened on that day" checkbox
    under the dates. Submitting again with the box ticked saves. The tick is bound to the
    dates it confirmed, so changing to another non-working day asks again. The question is
    asked only of a form with no other errors, about a date not in the future (the step's
    service refuses those). The confirmation is a check on the form only: it is taken out of
    ``cleaned_data`` before a service sees it.
    """

    non_working_day_fields: dict[str, tuple[str, str]] = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.non_working_days: list[dict] = []
        confirm = forms.CharField(
            label="Yes, it happened on that day",
            required=False,
            template_name="django/forms/govuk/non_working_day.html",
        )
        # The confirmation sits straight after the last date it is about.
        fields = list(self.fields.items())
        after = max(
            (i for i, (name, _f) in enumerate(fields) if name in self.non_working_day_fields),
            default=len(fields) - 1,
        )
        fields.insert(after + 1, (CONFIRM_NON_WORKING_DAY, confirm))
        self.fields = dict(fields)

    @property
    def non_working_key(self) -> str:
        """What the checkbox confirms: the non-working dates shown, as ISO dates."""
        return ",".join(item["date"].isoformat() for item in self.non_working_days)

    @property
    def non_working_confirmed(self) -> bool:
        name = self.add_prefix(CONFIRM_NON_WORKING_DAY)
        posted = self.data.get(name, "") if self.is_bound else ""
        return bool(self.non_working_days) and posted == self.non_working_key

    def clean(self):
        cleaned = super().clean()
        cleaned.pop(CONFIRM_NON_WORKING_DAY, None)
        self.non_working_days = []
        if self.errors:
            # Other problems first: the question is asked of a form that is otherwise ready.
            return cleaned
        today = timezone.localdate()
        for name, (what, note) in self.non_working_day_fields.items():
            day = cleaned.get(name)
            # A date in the future is refused by the step's service, weekend or not.
            if isinstance(day, datetime.date) and day <= today and not is_working_day(day):
                self.non_working_days.append(
                    {"field": name, "date": day, "what": what, "note": note,
                     "reason": non_working_day_reason(day)}  # fmt: skip
                )
        if self.non_working_days and not self.non_working_confirmed:
            item = self.non_working_days[0]
            self.add_error(
                CONFIRM_NON_WORKING_DAY,
                f"{item['date']:%-d %B %Y} is {item['reason']}: correct the date of "
                f"{item['what']}, or confirm that it happened on that day",
            )
        return cleaned


# --- Rows of people (attendees, core group members, members of a team) -----------------------

PEOPLE_ROWS = 6
PERSON_PARTS = (("agency", "Agency"), ("name", "Name"), ("role", "Role"))
MAX_PART_LENGTH = 200


class PeopleRowsWidget(forms.Widget):
    """A fixed number of rows of agency, name and role text inputs, so that a list of people
    can be entered without JavaScript. Inputs are named ``<name>-<row>-<part>``."""

    template_name = "django/forms/widgets/people_rows.html"
    use_fieldset = True

    def __init__(self, attrs=None, rows: int = PEOPLE_ROWS, agencies=()):
        super().__init__(attrs)
        self.rows = rows
        self.agencies = list(agencies)

    def value_from_datadict(self, data, files, name):
        return [
            {part: data.get(f"{name}-{i}-{part}", "") for part, _ in PERSON_PARTS}
            for i in range(self.rows)
        ]

    def value_omitted_from_data(self, data, files, name):
        return not any(
            f"{name}-{i}-{part}" in data for i in range(self.rows) for part, _ in PERSON_PARTS
        )

    def format_value(self, value):
        rows = [r for r in (value or []) if isinstance(r, dict)][: self.rows]
        return rows + [{} for _ in range(self.rows - len(rows))]

    def id_for_label(self, id_):
        # The error summary links to the first agency input.
        return f"{id_}_0_agency" if id_ else ""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        id_ = widget["attrs"].get("id") or name
        widget["datalist_id"] = f"{id_}_agencies" if self.agencies else ""
        widget["agencies"] = self.agencies
        widget["rows"] = [
            {
                "number": i + 1,
                "cells": [
                    {
                        "name": f"{name}-{i}-{part}",
                        "id": f"{id_}_{i}_{part}",
                        "label": label,
                        "value": str(row.get(part) or ""),
                        "list": widget["datalist_id"] if part == "agency" else "",
                    }
                    for part, label in PERSON_PARTS
                ],
            }
            for i, row in enumerate(widget["value"])
        ]
        return context


class PeopleRowsField(forms.Field):
    """Cleans the rows to a list of ``{"agency", "name", "role"}``, leaving out empty rows."""

    widget = PeopleRowsWidget
    empty_values = [None, "", []]

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_python(self, value):
        people = []
        for number, row in enumerate(value if isinstance(value, list) else [], start=1):
            if not isinstance(row, dict):
                continue
            cells = {part: str(row.get(part) or "").strip() for part, _ in PERSON_PARTS}
            if any("\x00" in text for text in cells.values()):
                raise ValidationError("Null characters are not allowed")
            too_long = [label for part, label in PERSON_PARTS if len(cells[part]) > MAX_PART_LENGTH]
            if too_long:
                raise ValidationError(
                    f"{too_long[0]} in row {number} must be {MAX_PART_LENGTH} characters or fewer"
                )
            if cells["role"] and not (cells["agency"] or cells["name"]):
                raise ValidationError(f"Enter the agency and name in row {number}, or clear it")
            if cells["name"] and not cells["agency"]:
                raise ValidationError(f"Enter the agency of {cells['name']} (row {number})")
            if cells["agency"] or cells["name"]:
                people.append(cells)
        return people
