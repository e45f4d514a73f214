"""``safeguard createsuperuser``: Django's command, with the password rules applied always.

Django checks the password rules when it asks for the password, but not for one given in
``DJANGO_SUPERUSER_PASSWORD`` with ``--noinput``; this checks that one too.
"""

import os

from django.contrib.auth.management.commands.createsuperuser import Command as DjangoCommand
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import CommandError


class Command(DjangoCommand):
    def handle(self, *args, **options):
        password = os.environ.get("DJANGO_SUPERUSER_PASSWORD")
        if not options.get("interactive") and password is not None:
            try:
                validate_password(password)
            except ValidationError as error:
                raise CommandError(" ".join(error.messages)) from error
        return super().handle(*args, **options)
