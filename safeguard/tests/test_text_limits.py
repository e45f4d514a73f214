"""Free text has a limit everywhere it comes in: forms, services and the API (core/limits.py)."""

import importlib
import inspect
from datetime import date

import pytest
from django import forms
from django.apps import apps
from django.db import models
from django.urls import reverse

from safeguard.audit.models import ChangeEvent
from safeguard.casework import services
from safeguard.casework.models import ChronologyAnnotation, ChronologyEntry
from safeguard.casework.tests.matrix import sam_case
from safeguard.core import limits
from safeguard.core.concurrency import save_versioned
from safeguard.core.errors import ApplicationError
from safeguard.core.forms import GovukForm

# Forms of the sign-in steps: Django's own authentication forms, with their own limits.
NOT_GOVUK = {"safeguard.accounts.forms"}
APPS = ["people", "casework", "referrals", "earlyhelp", "assessments", "protection", "privacy",
        "returns", "performance", "quality", "work", "notices", "timescales", "procedures"]  # fmt: skip


def _project_forms():
    for app in APPS:
        try:
            module = importlib.import_module(f"safeguard.{app}.forms")
        except ModuleNotFoundError:
            continue
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__:
                yield cls


def test_every_project_form_with_text_fields_is_a_govuk_form():
    """Every form class of the apps, not only the pages the corpus walks (seals, break-glass,
    filters), gets the text limits from the shared base."""
    forms_found = list(_project_forms())
    assert len(forms_found) > 30
    missing = [
        f"{cls.__module__}.{cls.__name__}"
        for cls in forms_found
        if any(isinstance(f, forms.CharField) for f in cls.base_fields.values())
        and not issubclass(cls, GovukForm)
    ]
    assert missing == []


class _Notes(GovukForm):
    subject = forms.CharField(label="Subject")
    text = forms.CharField(label="Note", widget=forms.Textarea)
    reason = forms.CharField(label="Reason", max_length=limits.REASON, widget=forms.Textarea)
    secret = forms.CharField(widget=forms.PasswordInput, required=False)


@pytest.mark.parametrize(
    ("field", "limit", "message"),
    [
        ("subject", limits.LINE, "Subject must be 200 characters or fewer"),
        ("text", limits.NARRATIVE, "Note must be 20,000 characters or fewer"),
        ("reason", limits.REASON, "Reason must be 2,000 characters or fewer"),
    ],
)
def test_a_text_field_gets_the_limit_of_its_kind(field, limit, message):
    good = {"subject": "s", "text": "t", "reason": "r"}
    assert _Notes(data={**good, field: "a" * limit}).is_valid()
    form = _Notes(data={**good, field: "a" * (limit + 1)})
    assert not form.is_valid()
    assert form.errors[field] == [message]


def test_a_text_box_shows_its_limit_as_the_govuk_character_count():
    html = str(_Notes()["text"].as_field_group())
    assert 'data-module="govuk-character-count"' in html
    assert 'data-maxlength="20000"' in html
    assert 'id="id_text-info" class="govuk-hint govuk-character-count__message"' in html
    assert "You can enter up to 20,000 characters" in html
    assert 'aria-describedby="id_text-info"' in html
    assert "govuk-js-character-count" in html
    # No maxlength: the count says what is over; a maxlength would cut pasted text silently.
    assert " maxlength=" not in html


def test_a_line_shows_its_limit_as_a_hint_and_a_password_has_none():
    html = str(_Notes()["subject"].as_field_group())
    assert 'maxlength="200"' in html and "You can enter up to 200 characters" in html
    assert "govuk-character-count" not in html
    assert "You can enter up to" not in str(_Notes()["secret"].as_field_group())


def test_every_text_field_of_the_checked_apps_has_a_limit():
    for model in apps.get_models():
        if model._meta.app_label not in limits.CHECKED_APPS:
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, models.CharField | models.TextField):
                assert limits.model_field_limit(field), f"{model._meta.label}.{field.name}"


# --- Services ---------------------------------------------------------------------------------


def _rows():
    return (ChronologyEntry.objects.count(), ChronologyAnnotation.objects.count(), ChangeEvent.objects.count())  # fmt: skip


@pytest.mark.django_db
def test_a_service_refuses_text_over_its_limit_and_stores_nothing(world):
    case = sam_case(world)
    entry = services.chronology_entry_add(by=world.sw_amy, case=case, event_date=date(2025, 1, 7), what="Seen")
    before = _rows()
    with pytest.raises(ApplicationError) as refused:
        services.chronology_annotate(by=world.tm_carol, entry=entry, text="a" * (limits.NARRATIVE + 1))
    assert refused.value.message == "Text must be 20,000 characters or fewer"
    assert refused.value.field == "text"
    with pytest.raises(ApplicationError) as refused:
        services.chronology_entry_add(by=world.sw_amy, case=case, event_date=date(2025, 1, 8), what="a" * 501)
    assert refused.value.message == "What happened must be 500 characters or fewer"
    assert _rows() == before
    # At the limit is fine.
    services.chronology_annotate(by=world.tm_carol, entry=entry, text="a" * limits.NARRATIVE)


@pytest.mark.django_db
def test_a_versioned_save_refuses_text_over_its_limit(world):
    """A change saved by a conditional update (no pre_save) is held to the same limits."""
    case = sam_case(world)
    entry = services.chronology_entry_add(by=world.sw_amy, case=case, event_date=date(2025, 1, 7), what="Seen")
    entry.impact = "a" * (limits.NARRATIVE + 1)
    with pytest.raises(ApplicationError, match="Impact on the child must be 20,000 characters"):
        save_versioned(entry)
    entry.refresh_from_db()
    assert entry.impact == "" and entry.version == 1


# --- The API ----------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(("param", "limit"), [("name", limits.LINE), ("nhs_number", 20), ("local_id", 40)])
def test_the_api_refuses_a_query_over_its_limit(world, client, param, limit):
    client.force_login(world.sw_amy)
    response = client.get(reverse("api:person-search"), {param: "a" * (limit + 1)})
    assert response.status_code == 422
    assert "at most" in str(response.json()["detail"])
    assert "maxLength" in str(client.get(reverse("api:openapi-json")).json()["paths"])
