"""Error pages. They show nothing of any record."""

import logging

from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)


def _error(request, template: str, status: int):
    return render(request, template, status=status)


def bad_request(request, exception=None):
    return _error(request, "errors/400.html", 400)


def permission_denied(request, exception=None):
    return _error(request, "errors/403.html", 403)


def page_not_found(request, exception=None):
    return _error(request, "errors/404.html", 404)


def server_error(request):
    # Rendered without the request: context processors touch the database, which may be the
    # very thing that failed.
    return HttpResponseServerError(render_to_string("errors/500.html"))


def access_log_unavailable(request):
    logger.error("Access event could not be written; record withheld from %s", request.path)
    return render(request, "errors/access_log_unavailable.html", status=503)
