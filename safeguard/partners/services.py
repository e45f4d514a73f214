"""Answering a child-protection lookup, and issuing and revoking the organisations' API keys."""

import secrets

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from safeguard.accounts.models import Agency, User
from safeguard.accounts.roles import Role
from safeguard.audit.models import ChangeVerb
from safeguard.audit.services import record_change, snapshot
from safeguard.core.errors import ApplicationError
from safeguard.notices.services import notify
from safeguard.partners import selectors
from safeguard.partners.models import ApiKey, Lookup, LookupWay, Scope, Setting, hash_key
from safeguard.partners.selectors import Found, Search

KEY_PREFIX = "sgk_"
MAX_RATE_LIMIT = 120_000  # 2,000 calls a second: a whole region's systems through one key


def _who(*, by, api_key, clinician_name: str) -> str:
    if api_key is None:
        agency = by.agency.name if by.agency_id else ""
        return f"{by.get_full_name() or by.username} ({agency})" if agency else str(by)
    name = clinician_name.strip() or "A clinician"
    return f"{name} of {api_key.organisation.name} (through the API, key {api_key.prefix})"


def _tell(found: Found, *, by, api_key, setting: str, clinician_name: str) -> int:
    """Tell the child's allocated worker and line manager, at once, who looked them up."""
    people = [u for u in found.to_notify if u is not None]
    if not people:
        return 0
    child = found.person
    if setting:
        label = Setting(setting).label.lower()
        where = f"{'an' if label[0] in 'aeiou' else 'a'} {label}"
    else:
        where = "an unscheduled-care setting"
    when = timezone.localtime()
    body = (
        f"{_who(by=by, api_key=api_key, clinician_name=clinician_name)} looked up "
        f"{child.full_name} in {where} at "
        f"{when:%H:%M} on {when:%-d %B %Y}, in the child-protection lookup for unscheduled "
        f"care. They were told: {found.status.message}"
    )
    sent = notify(
        users=people,
        subject=f"Child-protection lookup: {child.full_name}",
        body=body,
        url=reverse("people:detail", kwargs={"person_id": child.pk}),
    )
    return len(sent)


@transaction.atomic
def cp_lookup(
    *,
    by,
    search: Search,
    way: str = LookupWay.WEB,
    setting: str = "",
    api_key: ApiKey | None = None,
    clinician_name: str = "",
    request=None,
) -> Found:
    """Look up a child's child-protection status for ``by`` (a clinician, or the API account
    of ``api_key``): the access is logged (``selectors.access_cp_status``), the child's
    allocated worker and line manager are notified in the app and by email, and the lookup
    itself is recorded (never its search terms). Raises what ``access_cp_status`` raises."""
    reason = "Child-protection lookup" + (f" ({Setting(setting).label})" if setting else "")
    if api_key is not None:
        reason += f" by {api_key.organisation.name}, key {api_key.prefix}"
        if clinician_name.strip():
            reason += f", for {clinician_name.strip()}"

    def tell_and_record(found: Found) -> None:
        notified = 0
        if found.person is not None:
            notified = _tell(
                found, by=by, api_key=api_key, setting=setting, clinician_name=clinician_name
            )
        Lookup.objects.create(
            user=by,
            api_key=api_key,
            way=way,
            by_nhs_number=search.by_nhs_number,
            setting=setting,
            answer=found.status.answer,
            person_id=found.person.pk if found.person else None,
            notified=notified,
        )

    return selectors.access_cp_status(
        user=by,
        search=search,
        api_key=api_key,
        request=request,
        reason=reason,
        then=tell_and_record,
    )


def _api_account(organisation: Agency) -> User:
    """The organisation's API account: named in the access log for its keys' calls, with the
    role of those the key serves (unscheduled care). It is inactive and has no password, so it
    can never sign in, and it counts as nobody's colleague (no active user of the role)."""
    account = User.objects.filter(
        agency=organisation, username__startswith="api-", is_active=False
    ).first()
    if account is None:
        # Named after the authority and the organisation, not a database id, so that the
        # same organisation gets the same account name on every installation (and in every
        # demo built from one seed); the id only where two organisations would share a name.
        la_code = organisation.authority.dfe_la_code
        username = f"api-{la_code}-{slugify(organisation.name)}"[:150]
        if User.objects.filter(username=username).exists():
            username = f"api-{la_code}-{organisation.pk}"
        account = User(
            username=username,
            first_name="API",
            last_name=organisation.name[:150],
            agency=organisation,
            role=Role.UNSCHEDULED_CARE_CLINICIAN,
            is_active=False,
        )
        account.set_unusable_password()
        account.save()
    return account


@transaction.atomic
def api_key_create(
    *, by, organisation: Agency, scopes: list[str], rate_limit_per_minute: int = 60
) -> tuple[ApiKey, str]:
    """Issue a key to ``organisation``: returns the key record and the key itself, which is
    shown once and never stored (only its hash). ``by``: who issued it, or None for the
    server's operator."""
    unknown = set(scopes) - set(Scope.values)
    if not scopes or unknown:
        raise ApplicationError(f"The scope must be one of: {', '.join(Scope.values)}")
    if organisation.is_social_care:
        raise ApplicationError("Keys are for partner organisations, not children's social care")
    if not 1 <= rate_limit_per_minute <= MAX_RATE_LIMIT:
        raise ApplicationError(f"The rate limit must be from 1 to {MAX_RATE_LIMIT} calls a minute")
    secret = secrets.token_urlsafe(32)
    key = KEY_PREFIX + secret
    api_key = ApiKey.objects.create(
        organisation=organisation,
        account=_api_account(organisation),
        prefix=key[:12],
        key_hash=hash_key(key),
        scopes=sorted(set(scopes)),
        rate_limit_per_minute=rate_limit_per_minute,
        created_by=by,
    )
    record_change(by=by, verb=ChangeVerb.CREATED, obj=api_key, before=None)
    return api_key, key


@transaction.atomic
def api_key_revoke(*, by, api_key: ApiKey) -> ApiKey:
    """Revoke a key at once: every later call with it gets 401."""
    api_key = ApiKey.objects.select_for_update().get(pk=api_key.pk)
    if api_key.is_revoked:
        raise ApplicationError(f"The key {api_key.prefix} was already revoked")
    before = snapshot(api_key)
    api_key.revoked_at = timezone.now()
    api_key.revoked_by = by
    api_key.save(update_fields=["revoked_at", "revoked_by"])
    record_change(by=by, verb=ChangeVerb.ENDED, obj=api_key, before=before)
    return api_key


@transaction.atomic
def lookup_numbers_set(*, by, authority, daytime_phone: str, out_of_hours_phone: str):
    """Set the numbers every lookup answer gives (the authority's settings)."""
    for label, value in (("daytime", daytime_phone), ("out-of-hours", out_of_hours_phone)):
        if not value.strip() or len(value) > 40:
            raise ApplicationError(f"Give the {label} number, at most 40 characters")
    before = snapshot(authority)
    authority.daytime_phone = daytime_phone.strip()
    authority.out_of_hours_phone = out_of_hours_phone.strip()
    authority.save(update_fields=["daytime_phone", "out_of_hours_phone"])
    record_change(by=by, verb=ChangeVerb.UPDATED, obj=authority, before=before)
    return authority
