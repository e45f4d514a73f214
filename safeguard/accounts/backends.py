"""The lockout check run before any password is compared."""

from axes.backends import AxesStandaloneBackend
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from safeguard.accounts import twofactor


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


class StaffBackend(ModelBackend):
    """Django's password check, loading the signed-in user with their agency and authority.

    Every page asks whose agency the user works for (the policies' first question), so the
    user comes with it in one query rather than two; that query also asks after the second
    factor the session names (``accounts.twofactor.with_session_device``).
    """

    def get_user(self, user_id):
        user_model = get_user_model()
        users = twofactor.with_session_device(
            user_model._default_manager.select_related("agency__authority")
        )
        try:
            user = users.get(pk=user_id)
        except user_model.DoesNotExist:
            return None
        # The second factor the session names, asked in the same query (accounts.twofactor).
        twofactor.read_session_device(user, getattr(users, "_safeguard_device", None))
        return user if self.user_can_authenticate(user) else None
