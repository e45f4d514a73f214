"""``safeguard load_thresholds``: make a TOML file the authority's continuum of need."""

import tomllib
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from safeguard.accounts.models import LocalAuthority
from safeguard.core.errors import ApplicationError
from safeguard.referrals.services import DEFAULT_THRESHOLDS, thresholds_load

DEFAULT_FILE = DEFAULT_THRESHOLDS


class Command(BaseCommand):
    help = (
        "Load the authority's threshold of need (levels and their indicators) from a TOML "
        "file, by default Safeguard's own four-level continuum. Levels and indicators left "
        "out of the file are disabled, never deleted. Running it again with the same file "
        "changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "file",
            nargs="?",
            default=str(DEFAULT_FILE),
            help="The TOML file (default: the packaged default.toml).",
        )
        parser.add_argument(
            "--authority-code",
            help="The DfE LA code of the authority, like 990. Needed when there are several.",
        )

    def handle(self, *args, file, authority_code, **options):
        path = Path(file)
        try:
            with path.open("rb") as handle:
                data = tomllib.load(handle)
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}") from error
        except tomllib.TOMLDecodeError as error:
            raise CommandError(f"{path} is not valid TOML: {error}") from error
        authority = self._authority(authority_code)
        try:
            levels = thresholds_load(by=None, authority=authority, data=data)
        except ApplicationError as error:
            raise CommandError(f"{path}: {error.message}") from error
        indicators = sum(
            level.indicators.filter(disabled_on__isnull=True).count() for level in levels
        )
        self.stdout.write(
            f"{authority}: {len(levels)} levels and {indicators} indicators from {path}"
        )

    def _authority(self, code: str | None) -> LocalAuthority:
        if code:
            authority = LocalAuthority.objects.filter(dfe_la_code=code).first()
            if authority is None:
                raise CommandError(f"No authority has the DfE LA code {code}")
            return authority
        authorities = list(LocalAuthority.objects.order_by("dfe_la_code")[:2])
        if not authorities:
            raise CommandError("There is no authority yet: create it (or run the demo) first")
        if len(authorities) > 1:
            raise CommandError("There are several authorities: give --authority-code")
        return authorities[0]
