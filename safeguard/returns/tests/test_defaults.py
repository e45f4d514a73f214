"""The return exports start from what a user would choose: the last complete census year
(1 April to 31 March), never the year still in progress, and Annex A's six months ending on
the last day of the last complete month."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from safeguard.returns.forms import (
    AnnexAForm,
    CinExportForm,
    last_complete_census_year,
    last_complete_month_end,
)


@pytest.mark.parametrize(
    "today, expected",
    [
        (datetime.date(2026, 12, 7), "2025-26"),  # 2026-27 is in progress
        (datetime.date(2026, 4, 1), "2025-26"),  # its first day: 2025-26 has just ended
        (datetime.date(2026, 3, 31), "2024-25"),  # 2025-26's last day: not yet complete
        (datetime.date(2026, 1, 15), "2024-25"),
    ],
)
def test_the_last_complete_census_year(today, expected):
    assert last_complete_census_year(today).label == expected


@pytest.mark.parametrize(
    "today, expected",
    [
        (datetime.date(2026, 12, 7), datetime.date(2026, 11, 30)),
        (datetime.date(2026, 3, 1), datetime.date(2026, 2, 28)),
        (datetime.date(2026, 1, 31), datetime.date(2025, 12, 31)),
    ],
)
def test_annex_a_ends_with_the_last_complete_month(today, expected):
    assert last_complete_month_end(today) == expected


def test_the_forms_start_from_them():
    today = timezone.localdate()
    current = today.year if today.month >= 4 else today.year - 1
    in_progress = f"{current}-{(current + 1) % 100:02d}"
    form = CinExportForm()
    assert form.fields["year"].initial != in_progress
    assert form.fields["year"].initial == last_complete_census_year(today).label
    # The year in progress is still offered, just not chosen.
    assert in_progress in dict(form.fields["year"].choices)
    assert AnnexAForm().fields["as_of"].initial == last_complete_month_end(today)


@pytest.mark.django_db
def test_the_export_pages_show_the_defaults_selected(world, client):
    client.force_login(world.sm_dan)
    page = client.get(reverse("returns:cin-export")).content.decode()
    label = last_complete_census_year().label
    assert f'<option value="{label}" selected>' in page
    page = client.get(reverse("returns:annex-a-export")).content.decode()
    end = last_complete_month_end()
    assert f'value="{end.year}"' in page and f'value="{end.day}"' in page
