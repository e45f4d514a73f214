"""The demo accounts file: the well-known accounts and the password every demo account shares."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from safeguard.demo.generator.common import AUTHORITY_NAME
from safeguard.demo.generator.staff import AccountRow


@dataclass
class DemoResult:
    """What was made, for the command's summary and the accounts file."""

    counts: dict[str, int]
    accounts: list[AccountRow]
    staff: int


PASSWORD_LINE = "Password for every demo account: "  # noqa: S105 (a label, not a password)
# The second factor: every demo account has an authenticator with this one secret (made per
# install, kept only in the accounts file), so any authenticator app or `safeguard demo_code`
# gives the code.
TOTP_SECRET_LINE = "Two-factor secret for every demo account: "  # noqa: S105 (a label)
TOTP_URI_LINE = "Add it to an authenticator app: "
DEMO_DEVICE_NAME = "Demo authenticator"


def totp_uri(secret_base32: str, issuer: str) -> str:
    """The otpauth:// address an authenticator app reads (as a QR code or a link)."""
    from urllib.parse import quote, urlencode

    label = quote(f"{issuer.replace(':', '')}:Kingsmere demo")
    query = urlencode({"secret": secret_base32, "issuer": issuer, "digits": 6, "period": 30})
    return f"otpauth://totp/{label}?{query}"


def render_accounts(
    result: DemoResult,
    password: str,
    *,
    made_with: str,
    totp_secret: str | None = None,
    issuer: str = "Safeguard",
) -> str:
    """The accounts file: the well-known accounts as a table, the shared password and the
    shared two-factor secret (base32)."""
    header = ("Username", "Role", "Agency", "Team", "Job title")
    rows = [(a.username, a.role_label, a.agency, a.team, a.job_title) for a in result.accounts]
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(str(c).ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()

    others = result.staff - len(result.accounts)
    return "\n".join(
        [
            f"Safeguard demo accounts: {AUTHORITY_NAME} (fictional; every record is synthetic)",
            f"Made by: {made_with}",
            "",
            f"{PASSWORD_LINE}{password}",
            *(
                [
                    f"{TOTP_SECRET_LINE}{totp_secret} (time-based, 6 digits, 30 seconds)",
                    f"{TOTP_URI_LINE}{totp_uri(totp_secret, issuer)}",
                ]
                if totp_secret
                else []
            ),
            "",
            line(header),
            line(["-" * w for w in widths]),
            *(line(r) for r in rows),
            "",
            f"The other {others:,} demo staff (usernames like firstname.familyname) share the "
            + ("same password and two-factor secret." if totp_secret else "same password."),
            "Keep this file private: anyone who reads it can sign in to this database.",
            "",
        ]
    )


def write_accounts_file(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` readable by its owner only, creating the folder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    # Open with 0o600 so the password is never readable by others, even for a moment.
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(text)
    path.chmod(0o600)


def read_demo_password(path: Path) -> str:
    """The shared password recorded in an accounts file. Raises FileNotFoundError, ValueError."""
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith(PASSWORD_LINE):
            return line[len(PASSWORD_LINE) :].strip()
    raise ValueError(f"{path} has no password line")


def read_demo_totp_secret(path: Path) -> str | None:
    """The shared two-factor secret (base32) in an accounts file, or None in an old file."""
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith(TOTP_SECRET_LINE):
            return line[len(TOTP_SECRET_LINE) :].split()[0]
    return None
