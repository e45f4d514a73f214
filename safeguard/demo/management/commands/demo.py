"""``safeguard demo``: fill an empty database with the synthetic Kingsmere borough."""

import secrets
import shlex
import time
from base64 import b32encode
from datetime import date

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from safeguard.accounts.models import User
from safeguard.core.statistics import refresh_planner_statistics
from safeguard.demo import generator
from safeguard.demo.generator.accounts import DEMO_DEVICE_NAME
from safeguard.people.models import Person

# Lower-case letters and digits that cannot be mistaken for one another when read aloud or
# typed from the screen (no i, l, o, 0 or 1).
_TYPEABLE_CHARACTERS = "abcdefghjkmnpqrstuvwxyz23456789"


def make_demo_password() -> str:
    """A random, typeable password: four groups of five characters, about 99 bits."""
    groups = ("".join(secrets.choice(_TYPEABLE_CHARACTERS) for _ in range(5)) for _ in range(4))
    return "-".join(groups)


def base32_secret(hex_key: str) -> str:
    """A TOTP key as authenticator apps take it: base32 without padding."""
    return b32encode(bytes.fromhex(hex_key)).decode("ascii").rstrip("=")


def add_demo_authenticators(hex_key: str) -> int:
    """Give every demo account a confirmed authenticator sharing the one demo secret."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    users = User.objects.filter(agency__authority__name=generator.AUTHORITY_NAME)
    devices = [
        TOTPDevice(user=user, name=DEMO_DEVICE_NAME, key=hex_key, confirmed=True)
        for user in users.exclude(totpdevice__isnull=False)
    ]
    TOTPDevice.objects.bulk_create(devices)
    return len(devices)


def _as_date(value) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError) as error:
        raise CommandError(f"--as-at must be a date like 2026-03-31, not {value!r}") from error


class Command(BaseCommand):
    help = (
        "Create a synthetic borough (the fictional London Borough of Kingsmere) with staff in "
        "every role and families of children, for demonstrations and load tests. The same "
        "--children, --seed and --as-at always give the same data. Refuses a database that "
        "already has people."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--children",
            type=int,
            default=generator.DEFAULT_CHILDREN,
            help=(
                f"How many children to create, {generator.MIN_CHILDREN} to "
                f"{generator.MAX_CHILDREN:,} (default {generator.DEFAULT_CHILDREN:,})."
            ),
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=generator.DEFAULT_SEED,
            help=f"Seed for the random choices (default {generator.DEFAULT_SEED}).",
        )
        parser.add_argument(
            "--as-at",
            dest="as_at",
            default=None,
            help="The date the data is 'as at', YYYY-MM-DD (default today).",
        )
        parser.add_argument(
            "--no-quality-check",
            action="store_false",
            dest="quality_check",
            help=(
                "Skip the data-quality check of every child that follows generation (until a "
                "full check runs, no figure on the dashboard is marked validated)."
            ),
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            dest="if_empty",
            help="Do nothing, successfully, if the database already has any people or users.",
        )

    def handle(self, *args, **options):
        children, seed = options["children"], options["seed"]
        today = timezone.localdate()
        as_at = _as_date(options["as_at"]) if options["as_at"] else today
        if as_at > today:
            # Records dated after today would fail the services' own date checks when edited.
            raise CommandError(f"--as-at cannot be after today ({today.isoformat()})")
        if not generator.MIN_CHILDREN <= children <= generator.MAX_CHILDREN:
            raise CommandError(
                f"--children must be from {generator.MIN_CHILDREN} to "
                f"{generator.MAX_CHILDREN:,}, not {children}"
            )
        if options["if_empty"]:
            if Person.objects.exists() or User.objects.exists():
                self.stdout.write("The database already has people or users: no demo data added.")
                return
        elif Person.objects.exists():
            raise CommandError("demo data already present; use a fresh database")

        path = settings.SAFEGUARD_DEMO_ACCOUNTS_FILE
        password = make_demo_password()
        validate_password(password)  # the rules every account's password meets
        made_with = shlex.join(
            ["safeguard", "demo", "--children", str(children), "--seed", str(seed),
             "--as-at", as_at.isoformat()]
        )  # fmt: skip

        totp_key = secrets.token_hex(20)

        def write_accounts(result: generator.DemoResult) -> None:
            # Inside the borough's transaction: no demo account is left without its factors.
            add_demo_authenticators(totp_key)
            text = generator.render_accounts(
                result,
                password,
                made_with=made_with,
                totp_secret=base32_secret(totp_key),
                issuer=settings.OTP_TOTP_ISSUER,
            )
            generator.write_accounts_file(path, text)

        started = time.perf_counter()
        try:
            result = generator.build_demo_borough(
                children=children,
                seed=seed,
                as_at=as_at,
                password_hash=make_password(password),
                on_saved=write_accounts,
            )
        except generator.DemoConflict as error:
            raise CommandError(f"{error}; use a fresh database") from error
        except OSError as error:
            raise CommandError(f"could not write the demo accounts file {path}: {error}") from error
        # The planner's statistics for the borough just loaded (core/statistics.py).
        refresh_planner_statistics()
        elapsed = time.perf_counter() - started

        c = result.counts
        self.stdout.write(
            f"Kingsmere demo (seed {seed}, as at {as_at:%d %b %Y}): {c['children']:,} children "
            f"({c['unborn']:,} unborn) and {c['duplicates']:,} near-duplicate "
            f"record{'' if c['duplicates'] == 1 else 's'}, "
            f"{c['adults']:,} adults, {c['households']:,} households, "
            f"{c['addresses']:,} addresses, {c['relationships']:,} relationships, "
            f"{c['involvements']:,} involvements, {c['contacts']:,} contacts, "
            f"{c['early_help_assessments']:,} early help assessments, "
            f"{c['cases']:,} cases ({c['open_csc']:,} children with an open case, "
            f"{c['open_cp_plans']:,} on a child protection plan), "
            f"{c['staff']:,} staff in {elapsed:.1f} s."
        )
        if options.get("quality_check", True):
            # As the nightly check would: the dashboard's "Validated" needs a full check.
            self.stdout.write("Data quality, every child checked:")
            call_command("check_quality", stdout=self.stdout)
        self.stdout.write(f"Demo accounts: {path} (run `safeguard demo_accounts` to see them).")
