"""A sealed record reached from any page answers with the "This record is restricted" page."""

from safeguard.people.selectors import RecordRestricted
from safeguard.people.views import restricted


class RestrictedRecordMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, RecordRestricted):
            return restricted(request, exception.person)
        return None
