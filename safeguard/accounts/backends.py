"""The lockout check run before any password is compared."""

from axes.backends import AxesStandaloneBackend


class LockoutBackend(AxesStandaloneBackend):
    """django-axes' lockout check, for sign-ins that arrive over HTTP.

    Every sign-in page passes the request, so every attempt from outside is counted and a
    locked-out user name and address is refused. ``authenticate()`` called without a request
    (a management command or a test checking a password) cannot be an attack from an address
    and is left to the next backend instead of failing.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
