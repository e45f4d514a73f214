"""GOV.UK form rendering, the GOV.UK date field, and the layout templates built on them.

None of these tests touch the database.
"""

import datetime
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from django import forms
from django.contrib.messages import constants as message_levels
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import resolve

from safeguard.core.forms import GovukDateField, NonWorkingDayCheck

TEMPLATES_DIR = Path(__file__).resolve().parents[2] / "templates"


class SampleForm(forms.Form):
    name = forms.CharField(label="Name", help_text="First and last name")
    email = forms.EmailField(label="Email address", required=False)
    ethnicity = forms.ChoiceField(
        label="Ethnicity", choices=[("", "Choose"), ("WBRI", "White British")]
    )
    sex = forms.ChoiceField(
        label="Sex", choices=[("M", "Male"), ("F", "Female")], widget=forms.RadioSelect
    )
    disabilities = forms.MultipleChoiceField(
        label="Disabilities",
        choices=[("HAND", "Hand function"), ("HEAR", "Hearing")],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    confirmed = forms.BooleanField(label="I have checked the record", required=False)
    notes = forms.CharField(label="Notes", widget=forms.Textarea, required=False)
    date_of_birth = GovukDateField(label="Date of birth")
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class DateForm(forms.Form):
    date_of_birth = GovukDateField(label="Date of birth")
    moved_in = GovukDateField(label="Date moved in", required=False)


def _tag(html: str, name: str) -> str:
    """The opening tag of the element whose name attribute is ``name``."""
    match = re.search(rf'<(?:input|select|textarea)\b[^>]*\bname="{name}"[^>]*>', html)
    assert match, f"no element named {name}"
    return match.group(0)


def _date_errors(day, month, year, *, field="date_of_birth"):
    form = DateForm({f"{field}_day": day, f"{field}_month": month, f"{field}_year": year})
    form.is_valid()
    return form.errors.get(field, [])


# --- Rendering --------------------------------------------------------------------------------


def test_each_widget_gets_its_govuk_class():
    html = str(SampleForm())

    assert 'class="govuk-input"' in _tag(html, "name")
    assert 'class="govuk-input"' in _tag(html, "email")
    assert 'class="govuk-select"' in _tag(html, "ethnicity")
    assert 'class="govuk-textarea"' in _tag(html, "notes")
    assert 'class="govuk-radios__input"' in _tag(html, "sex")
    assert 'class="govuk-checkboxes__input"' in _tag(html, "disabilities")
    assert 'class="govuk-checkboxes__input"' in _tag(html, "confirmed")
    assert '<div class="govuk-radios" id="id_sex" data-module="govuk-radios">' in html
    assert 'class="govuk-checkboxes" id="id_disabilities" data-module="govuk-checkboxes"' in html
    assert html.count('<div class="govuk-form-group">') >= 8


def test_labels_hints_and_legends_follow_govuk():
    html = str(SampleForm())

    assert '<label class="govuk-label govuk-label--s" for="id_name">Name</label>' in html
    assert '<div class="govuk-hint" id="id_name_helptext">First and last name</div>' in html
    assert 'aria-describedby="id_name_helptext"' in _tag(html, "name")
    assert '<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">Sex</legend>' in html
    assert '<label class="govuk-label govuk-radios__label" for="id_sex_0">Male</label>' in html
    # A single checkbox is one GOV.UK checkbox item with its label after the input.
    assert re.search(
        r'<div class="govuk-checkboxes__item">\s*<input[^>]*name="confirmed"[^>]*>\s*'
        r'<label class="govuk-label govuk-checkboxes__label" for="id_confirmed">',
        html,
    )


def test_hidden_fields_are_rendered_plainly():
    html = str(SampleForm(initial={"version": 3}))

    assert '<input type="hidden" name="version" value="3" id="id_version">' in html
    assert "Version" not in html


def test_date_field_renders_the_govuk_date_input_in_a_fieldset():
    html = str(DateForm())

    assert '<fieldset class="govuk-fieldset" role="group">' in html
    assert (
        '<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">Date of birth</legend>'
        in html
    )
    assert '<div class="govuk-date-input" id="id_date_of_birth">' in html
    for part, width in [("day", 2), ("month", 2), ("year", 4)]:
        tag = _tag(html, f"date_of_birth_{part}")
        assert f'id="id_date_of_birth_{part}"' in tag
        assert f"govuk-input govuk-date-input__input govuk-input--width-{width}" in tag
        assert 'inputmode="numeric"' in tag
        assert f'for="id_date_of_birth_{part}">{part.capitalize()}</label>' in html


def test_date_field_shows_an_initial_date_in_its_parts():
    html = str(DateForm(initial={"date_of_birth": datetime.date(2016, 3, 7)}))

    assert 'value="7"' in _tag(html, "date_of_birth_day")
    assert 'value="3"' in _tag(html, "date_of_birth_month")
    assert 'value="2016"' in _tag(html, "date_of_birth_year")


def test_errors_render_as_govuk_error_messages():
    form = SampleForm({"name": "", "ethnicity": "", "sex": "", "date_of_birth_day": ""})
    assert not form.is_valid()
    html = str(form)

    assert html.count("govuk-form-group--error") == 4
    assert (
        '<p class="govuk-error-message" id="id_name_error">'
        '<span class="govuk-visually-hidden">Error:</span> This field is required.</p>'
    ) in html
    name = _tag(html, "name")
    assert 'class="govuk-input govuk-input--error"' in name
    assert 'aria-describedby="id_name_helptext id_name_error"' in name
    assert 'class="govuk-select govuk-select--error"' in _tag(html, "ethnicity")
    # A fieldset is described by its own hint and error message.
    assert '<fieldset class="govuk-fieldset" aria-describedby="id_sex_error">' in html
    assert 'id="id_date_of_birth_error"' in html


def test_a_class_given_in_the_widget_attrs_is_kept_beside_the_govuk_class():
    class WidthForm(forms.Form):
        postcode = forms.CharField(widget=forms.TextInput(attrs={"class": "govuk-input--width-10"}))
        kind = forms.ChoiceField(
            choices=[("a", "A")], widget=forms.RadioSelect(attrs={"class": "govuk-radios--inline"})
        )

    html = str(WidthForm({}))

    assert 'class="govuk-input govuk-input--error govuk-input--width-10"' in _tag(html, "postcode")
    assert '<div class="govuk-radios govuk-radios--inline" id="id_kind"' in html
    assert 'class="govuk-radios__input"' in _tag(html, "kind")


def test_what_the_user_typed_survives_a_failed_validation():
    data = {
        "name": "Ava <Jones>",
        "email": "not an email",
        "sex": "F",
        "disabilities": ["HEAR"],
        "notes": "Seen at school",
        "date_of_birth_day": "31",
        "date_of_birth_month": "Feb",
        "date_of_birth_year": "2024",
    }
    form = SampleForm(data)
    assert not form.is_valid()
    html = str(form)

    assert 'value="Ava &lt;Jones&gt;"' in _tag(html, "name")
    assert 'value="not an email"' in _tag(html, "email")
    assert re.search(r'<input[^>]*name="sex" value="F"[^>]*checked', html)
    assert re.search(r'<input[^>]*name="disabilities" value="HEAR"[^>]*checked', html)
    assert "Seen at school</textarea>" in html
    assert 'value="31"' in _tag(html, "date_of_birth_day")
    assert 'value="Feb"' in _tag(html, "date_of_birth_month")
    assert 'value="2024"' in _tag(html, "date_of_birth_year")


def test_only_the_date_parts_an_error_is_about_are_marked():
    def marked(day, month, year):
        form = DateForm(
            {"date_of_birth_day": day, "date_of_birth_month": month, "date_of_birth_year": year}
        )
        form.is_valid()
        html = str(form)
        return [
            part
            for part in ("day", "month", "year")
            if "govuk-input--error" in _tag(html, f"date_of_birth_{part}")
        ]

    assert marked("12", "", "2020") == ["month"]
    assert marked("12", "4", "20") == ["year"]
    assert marked("32", "4", "2020") == ["day"]
    assert marked("31", "2", "2024") == ["day", "month", "year"]
    assert marked("", "", "") == ["day", "month", "year"]
    assert marked("1", "2", "2020") == []


def test_a_date_rejected_by_a_service_marks_all_its_parts():
    form = DateForm(
        {"date_of_birth_day": "1", "date_of_birth_month": "2", "date_of_birth_year": "2099"}
    )
    assert form.is_valid()
    form.add_error("date_of_birth", "Date of birth must be today or in the past")
    html = str(form)

    for part in ("day", "month", "year"):
        assert "govuk-input--error" in _tag(html, f"date_of_birth_{part}")


# --- The date field's cleaning ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "month", "year", "expected"),
    [
        ("7", "3", "2016", datetime.date(2016, 3, 7)),
        ("07", "03", "2016", datetime.date(2016, 3, 7)),
        (" 7 ", "March", " 2016", datetime.date(2016, 3, 7)),
        ("29", "feb", "2024", datetime.date(2024, 2, 29)),
    ],
)
def test_date_field_cleans_a_real_date(day, month, year, expected):
    form = DateForm(
        {"date_of_birth_day": day, "date_of_birth_month": month, "date_of_birth_year": year}
    )

    assert form.is_valid(), form.errors
    assert form.cleaned_data["date_of_birth"] == expected
    assert form.cleaned_data["moved_in"] is None


@pytest.mark.parametrize(
    ("day", "month", "year", "message"),
    [
        ("", "", "", "Enter the date of birth"),
        ("12", "", "2020", "Date of birth must include a month"),
        ("", "", "2020", "Date of birth must include a day and month"),
        ("12", "4", "", "Date of birth must include a year"),
        ("31", "2", "2024", "Date of birth must be a real date"),
        ("29", "2", "2023", "Date of birth must be a real date"),
        ("32", "1", "2020", "Date of birth must be a real date"),
        ("1", "13", "2020", "Date of birth must be a real date"),
        ("a", "1", "2020", "Date of birth must be a real date"),
        ("1", "1", "0000", "Date of birth must be a real date"),
        ("1", "1", "20", "Year must include 4 numbers"),
        ("1", "1", "20245", "Year must include 4 numbers"),
    ],
)
def test_date_field_errors_follow_the_govuk_pattern(day, month, year, message):
    assert _date_errors(day, month, year) == [message]


def test_an_optional_date_left_blank_is_none_and_a_part_filled_in_is_an_error():
    form = DateForm(
        {"date_of_birth_day": "1", "date_of_birth_month": "1", "date_of_birth_year": "2020"}
    )
    assert form.is_valid()
    assert form.cleaned_data["moved_in"] is None

    assert _date_errors("", "6", "", field="moved_in") == [
        "Date moved in must include a day and year"
    ]


def test_an_optional_date_missing_from_the_data_is_none():
    field = GovukDateField(label="From", required=False)

    assert field.clean([None, None, None]) is None
    assert field.clean(None) is None


def test_error_label_names_the_date_when_the_label_reads_badly_in_a_sentence():
    field = GovukDateField(label="From", error_label="Start date")

    with pytest.raises(forms.ValidationError) as required:
        field.clean(["", "", ""])
    with pytest.raises(forms.ValidationError) as incomplete:
        field.clean(["1", "", "2020"])

    assert required.value.messages == ["Enter the start date"]
    assert incomplete.value.messages == ["Start date must include a month"]


def test_initialisms_keep_their_capitals_in_the_required_message():
    field = GovukDateField(label="EHCP review date")

    with pytest.raises(forms.ValidationError) as error:
        field.clean(["", "", ""])

    assert error.value.messages == ["Enter the EHCP review date"]


def test_error_messages_can_be_replaced():
    field = GovukDateField(
        label="Date moved in", error_messages={"required": "Enter when they moved in"}
    )

    with pytest.raises(forms.ValidationError) as error:
        field.clean(["", "", ""])

    assert error.value.messages == ["Enter when they moved in"]


def test_date_field_accepts_dates_and_iso_text_given_directly():
    field = GovukDateField(label="Date of birth")

    assert field.clean(datetime.date(2020, 1, 2)) == datetime.date(2020, 1, 2)
    assert field.clean("2020-01-02") == datetime.date(2020, 1, 2)


def test_unchanged_initial_date_is_not_reported_as_changed():
    form = DateForm(
        {"date_of_birth_day": "2", "date_of_birth_month": "1", "date_of_birth_year": "2020"},
        initial={"date_of_birth": datetime.date(2020, 1, 2)},
    )

    assert "date_of_birth" not in form.changed_data


# --- Error summary -----------------------------------------------------------------------------


def test_error_summary_links_each_error_to_the_first_input_of_its_field():
    class SummaryForm(SampleForm):
        def clean(self):
            raise forms.ValidationError("Enter a name or a date of birth")

    form = SummaryForm({"name": "", "ethnicity": "", "sex": "", "date_of_birth_month": "2"})
    form.is_valid()
    html = render_to_string("components/error_summary.html", {"form": form})

    assert 'class="govuk-error-summary" data-module="govuk-error-summary"' in html
    assert "<li>Enter a name or a date of birth</li>" in html
    assert '<a href="#id_name">This field is required.</a>' in html
    assert '<a href="#id_ethnicity">This field is required.</a>' in html
    assert '<a href="#id_sex_0">This field is required.</a>' in html
    assert '<a href="#id_date_of_birth_day">Date of birth must include a day and year</a>' in html
    # Non-field errors appear only in the summary, not again inside the form.
    assert "Enter a name or a date of birth" not in str(form)


def test_error_summary_is_empty_for_a_form_without_errors():
    html = render_to_string("components/error_summary.html", {"form": SampleForm()})

    assert html.strip() == ""


# --- Layout templates ---------------------------------------------------------------------------


def _request(path: str, user):
    request = RequestFactory().get(path)
    request.user = user
    request.resolver_match = resolve(path)
    return request


def _signed_in_user():
    return SimpleNamespace(
        is_authenticated=True,
        is_active=True,
        get_full_name=lambda: "Sam Patel",
        get_username=lambda: "spatel",
        role="social_worker",
        get_role_display=lambda: "Social worker",
        agency=SimpleNamespace(name="Children's Social Care"),
        agency_id=None,
        is_social_care=True,
        is_partner=False,
    )


_SIGNED_OUT = SimpleNamespace(is_authenticated=False, agency_id=None)


def test_signed_in_layout_has_navigation_account_and_a_post_sign_out():
    html = render_to_string(
        "errors/404.html",
        {"authority": SimpleNamespace(name="Exampleshire County Council")},
        request=_request("/people/", _signed_in_user()),
    )

    assert "<title>Page not found – Safeguard</title>" in html
    assert '<a href="#main-content" class="govuk-skip-link"' in html
    assert '<main class="govuk-main-wrapper" id="main-content">' in html
    assert "Exampleshire County Council" in html
    assert 'class="govuk-service-navigation"' in html
    assert re.search(r'href="/"[^>]*>\s*My work', html)
    assert re.search(r'href="/people/" aria-current="page">\s*<strong', html)
    assert re.search(r'href="/due/"[^>]*>\s*What is due', html)
    assert re.search(r'href="/front-door/"[^>]*>\s*Front door', html)
    assert "Sam Patel</strong>, Social worker, Children&#x27;s Social Care" in html
    sign_out = re.search(r'<form[^>]*action="/sign-out/"[^>]*>.*?</form>', html, re.S).group(0)
    assert 'method="post"' in sign_out
    assert 'name="csrfmiddlewaretoken"' in sign_out
    assert '<button type="submit" class="app-link-button">Sign out</button>' in sign_out


def test_signed_out_layout_has_no_navigation():
    html = render_to_string("errors/403.html", request=_request("/sign-in/", _SIGNED_OUT))

    assert "govuk-service-navigation" not in html
    assert "Sign out" not in html
    assert "You do not have access to this page" in html


def test_messages_render_as_notification_banners():
    class Message:
        def __init__(self, level, text):
            self.level, self.text = level, text

        def __str__(self):
            return self.text

    html = render_to_string(
        "errors/404.html",
        {
            "messages": [
                Message(message_levels.SUCCESS, "Record saved"),
                Message(message_levels.INFO, "Note"),
            ]
        },
        request=_request("/people/", _signed_in_user()),
    )

    assert (
        'class="govuk-notification-banner govuk-notification-banner--success" role="alert"' in html
    )
    assert '<p class="govuk-notification-banner__heading">Record saved</p>' in html
    assert 'class="govuk-notification-banner" role="region"' in html


def test_server_error_page_renders_without_a_request_or_context():
    html = render_to_string("errors/500.html")

    assert "Sorry, there is a problem with the service" in html
    assert 'href="/static/govuk/application.css"' in html


def test_access_log_page_says_the_record_is_withheld():
    html = render_to_string(
        "errors/access_log_unavailable.html", request=_request("/", _SIGNED_OUT)
    )

    assert "This record cannot be shown right now" in html
    assert "system administrator" in html


def test_templates_have_no_inline_scripts_styles_or_gov_uk_branding():
    """A Content-Security-Policy without 'unsafe-inline' must not break any page."""
    for path in TEMPLATES_DIR.rglob("*.html"):
        text = path.read_text()
        assert not re.search(r"<script(?![^>]*\bsrc=)", text), path
        assert "<style" not in text, path
        assert not re.search(r"\sstyle=", text), path
        assert not re.search(r"\son[a-z]+=", text), path
        assert "govuk-header" not in text and "govuk-crest" not in text, path


# --- Dates on a weekend or bank holiday (item 20 of issue 11) -----------------------------------


class MeetingForm(NonWorkingDayCheck, forms.Form):
    non_working_day_fields = {"held_on": ("the meeting", "Meetings are on working days.")}
    held_on = GovukDateField(label="Date of the meeting")
    notes = forms.CharField(label="Notes", required=False)


def _meeting(day: datetime.date, **extra) -> dict:
    return {"held_on_day": day.day, "held_on_month": day.month, "held_on_year": day.year, **extra}


def test_a_working_day_needs_no_confirmation_and_the_box_is_not_shown():
    form = MeetingForm(_meeting(datetime.date(2025, 5, 2)))
    assert form.is_valid()
    assert form.cleaned_data == {"held_on": datetime.date(2025, 5, 2), "notes": ""}
    assert "confirm_non_working_day" not in str(form)


@pytest.mark.parametrize(
    ("day", "reason"),
    [(datetime.date(2025, 5, 3), "a Saturday"), (datetime.date(2025, 5, 5), "a bank holiday")],
)
def test_a_non_working_day_is_asked_about_then_saved_once_confirmed(day, reason):
    form = MeetingForm(_meeting(day, notes="Kept"))
    assert not form.is_valid()
    assert form.errors["confirm_non_working_day"] == [
        f"{day:%-d %B %Y} is {reason}: correct the date of the meeting, or confirm that it "
        "happened on that day"
    ]
    rendered = str(form)
    assert "govuk-warning-text" in rendered and "Meetings are on working days." in rendered
    assert f'value="{day.isoformat()}"' in rendered and 'value="Kept"' in rendered
    confirmed = MeetingForm(_meeting(day, notes="Kept", confirm_non_working_day=day.isoformat()))
    assert confirmed.is_valid()
    # The confirmation is the form's business, not the service's.
    assert confirmed.cleaned_data == {"held_on": day, "notes": "Kept"}
    assert 'checked' in str(confirmed)
