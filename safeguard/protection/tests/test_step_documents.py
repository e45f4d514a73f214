"""A document attached from a step's page (issue 16 item 8): each step's page links to the upload
form with the step named, and the document is filed on that step."""

import html
import re

import pytest
from django.urls import reverse

from safeguard.documents.models import Document
from safeguard.documents.tests.test_documents import PNG, form
from safeguard.protection.tests.steps import discussion_of_sam, plan_of_sam

pytestmark = pytest.mark.django_db


def _attach_link(page: str) -> str:
    found = re.search(
        r'<a class="govuk-link" href="([^"]+)">Attach a document to this ([^<]+)</a>', page
    )
    assert found, "no link to attach a document"
    return html.unescape(found.group(1))


def test_a_document_is_attached_from_the_strategy_discussions_page(world, client):
    discussion = discussion_of_sam(world)
    client.force_login(world.sw_amy)
    page = client.get(reverse("protection:strategy-detail", args=[discussion.pk])).content.decode()
    url = _attach_link(page)
    assert "Attached to: Strategy discussion" in client.get(url).content.decode()
    assert client.post(url, form(PNG, name="minutes.png", category="photograph")).status_code == 302
    document = Document.objects.get()
    assert (document.step_type.model, document.step_id) == ("strategydiscussion", discussion.pk)
    assert document.case == discussion.case


def test_the_plan_page_links_there_too_but_not_for_those_who_may_not_upload(world, client):
    plan = plan_of_sam(world)
    url = reverse("protection:plan-detail", args=[plan.pk])
    client.force_login(world.sw_amy)
    assert "?step=protection.childprotectionplan%3A" in _attach_link(
        client.get(url).content.decode()
    )
    client.force_login(world.analyst_eve)
    page = client.get(url)
    assert page.status_code == 200 and "Attach a document" not in page.content.decode()
