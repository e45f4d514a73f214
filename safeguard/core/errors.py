"""Errors that services raise and views turn into messages."""


class ApplicationError(Exception):
    """A request that cannot be carried out, with a message fit to show the user.

    ``field`` names the form field the message belongs to, when there is one.
    """

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class AccessLogUnavailable(Exception):
    """The access event could not be written, so the record must not be shown."""
