"""A test client whose ``force_login`` also gives the second factor.

Every page needs a session verified with a second factor, so ``safeguard/conftest.py`` makes
pytest-django's ``client`` fixture a ``VerifiedClient``: ``client.force_login(user)`` (and
``client.login(username=..., password=...)``) then signs in exactly as a user who also entered
a right code would be. Tests of the second
factor itself use ``client.force_login_password_only(user)``.
"""

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from safeguard.accounts.twofactor import APP_DEVICE_NAME


def totp_device(user) -> TOTPDevice:
    """The user's confirmed authenticator, made if they have none."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=True)
    return device


def verify_second_factor(client: Client, user) -> None:
    """Mark the client's signed-in session verified, as ``django_otp.login`` does."""
    device = totp_device(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


class VerifiedClient(Client):
    def force_login(self, user, backend=None):
        super().force_login(user, backend)
        verify_second_factor(self, user)

    def login(self, **credentials):
        """Django's ``login`` (the password), then the second factor as ``force_login``."""
        if not super().login(**credentials):
            return False
        from django.contrib.auth import get_user

        from safeguard.accounts.models import User

        user_id = get_user(self._request_with_session()).pk
        verify_second_factor(self, User.objects.get(pk=user_id))
        return True

    def _request_with_session(self):
        from django.http import HttpRequest

        request = HttpRequest()
        request.session = self.session
        return request

    def force_login_password_only(self, user, backend=None):
        """Signed in with the password alone: only the second-factor steps are open."""
        super().force_login(user, backend)
