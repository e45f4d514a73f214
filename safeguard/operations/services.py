"""Setting up an installation: the authority, with what a new authority starts with.

``authority_create`` is ``safeguard create-authority``: the authority with the default rule
set and local standards (the model's defaults), Safeguard's default threshold of need
(``referrals.services.thresholds_load_default``) and the default retention rules as its own
rows (``privacy.services.retention_rules_adopt_defaults``), each write with its change event.
Run again, it changes nothing and says so.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction

from safeguard.accounts.models import LocalAuthority
from safeguard.audit.models import ChangeVerb
from safeguard.audit.services import record_change
from safeguard.core.errors import ApplicationError
from safeguard.privacy.services import retention_rules_adopt_defaults
from safeguard.referrals.models import ThresholdLevel
from safeguard.referrals.services import thresholds_load_default

NAME_LIMIT = LocalAuthority._meta.get_field("name").max_length


@dataclass
class AuthoritySetUp:
    """The authority, and what was done for it (nothing, the second time)."""

    authority: LocalAuthority
    done: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        name = f"{self.authority.name} ({self.authority.dfe_la_code})"
        if not self.done:
            return [f"{name} already exists, nothing changed."]
        return [f"{name}:", *(f"  {line}" for line in self.done)]


def _clean_code(la_code: str) -> str:
    code = (la_code or "").strip()
    try:
        # The field's own rule (``run_validators`` would let an empty code through).
        for validate in LocalAuthority._meta.get_field("dfe_la_code").validators:
            validate(code)
    except ValidationError as error:
        raise ApplicationError(
            f"{code!r} is not a DfE LA code: {' '.join(error.messages)}", field="la_code"
        ) from error
    return code


def _clean_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise ApplicationError("Give the authority's name", field="name")
    if len(name) > NAME_LIMIT:
        raise ApplicationError(
            f"The authority's name is longer than {NAME_LIMIT} characters", field="name"
        )
    return name


def authority_create(*, by, la_code: str, name: str) -> AuthoritySetUp:
    """Create the authority with DfE LA code ``la_code`` called ``name``, with its default
    rule set, local standards, threshold of need and retention rules.

    An authority that already has the code and the name gets whatever of these it lacks (a
    threshold of need is loaded only if it has none at all: its own is never replaced);
    usually that is nothing. The code held under another name, or the name under another
    code, is refused and nothing changes."""
    code, name = _clean_code(la_code), _clean_name(name)
    with transaction.atomic():
        authority = LocalAuthority.objects.select_for_update().filter(dfe_la_code=code).first()
        if authority is not None and authority.name != name:
            raise ApplicationError(
                f"The authority with DfE LA code {code} is {authority.name}, not {name}: "
                "nothing changed"
            )
        other = LocalAuthority.objects.filter(name=name).exclude(dfe_la_code=code).first()
        if other is not None:
            raise ApplicationError(
                f"{name} is already the authority with DfE LA code {other.dfe_la_code}: "
                "nothing changed"
            )
        outcome = AuthoritySetUp(authority=authority)
        if authority is None:
            authority = outcome.authority = LocalAuthority(name=name, dfe_la_code=code)
            authority.full_clean()
            authority.save()
            record_change(by=by, verb=ChangeVerb.CREATED, obj=authority, before=None)
            outcome.done.append(
                f"created, with the {authority.get_rule_set_display()} rule set and the "
                "default local standards (safeguard timescale_standards to change them)"
            )
        if not ThresholdLevel.objects.filter(authority=authority).exists():
            # Loaded as the system's operator (no manager names it), as load_thresholds does.
            levels = thresholds_load_default(by=None, authority=authority)
            outcome.done.append(
                f"the default threshold of need: {len(levels)} levels "
                "(safeguard load_thresholds FILE to load your own)"
            )
        rules = retention_rules_adopt_defaults(by=by, authority_id=authority.pk)
        if rules:
            outcome.done.append(
                f"the default retention rules: {len(rules)} types of record "
                "(safeguard retention-rules to change them)"
            )
    return outcome
