"""The child-protection lookup in the demo borough: the authority's numbers, a key for the
hospital trust's system, and lookups of children on plans, off them and looked after, made
through the real service (``partners.services.cp_lookup``) so that each is logged and each
child's worker and manager have the notice on their home page.

The key's secret is thrown away: only its hash is stored, and nothing secret goes into the
accounts file or the output. To call the API, issue a key with ``safeguard create-api-key``.
The lookups tell in the app only: building the borough sends no email.
"""

from __future__ import annotations

from random import Random

from django.test.utils import override_settings

from safeguard.accounts.models import Agency, AgencyKind, User
from safeguard.casework.models import LookedAfterPeriod
from safeguard.partners import services
from safeguard.partners.models import LookupWay, Scope, Setting
from safeguard.partners.selectors import Search
from safeguard.people.models import Person
from safeguard.protection.models import ChildProtectionPlan

# Ofcom keeps 01632 960000-960999 for drama: no real telephone has these numbers.
DAYTIME_PHONE = "01632 960123"
OUT_OF_HOURS_PHONE = "01632 960456"
LOOKUPS_ON_PLANS = 8
LOOKUPS_OFF_PLANS = 4
LOOKUPS_LOOKED_AFTER = 3


def make_lookups(authority, *, seed: int) -> dict[str, int]:
    """Set the numbers, issue the trust's key and make the demo lookups; returns counts."""
    services.lookup_numbers_set(
        by=None,
        authority=authority,
        daytime_phone=DAYTIME_PHONE,
        out_of_hours_phone=OUT_OF_HOURS_PHONE,
    )
    trust = (
        Agency.objects.filter(authority=authority, kind=AgencyKind.HEALTH).order_by("pk").first()
    )
    clinician = User.objects.filter(username="aande1").first()
    if trust is None or clinician is None:
        return {"api_keys": 0, "cp_lookups": 0}
    api_key, _secret = services.api_key_create(
        by=None, organisation=trust, scopes=[Scope.CP_LOOKUP], rate_limit_per_minute=600
    )
    rng = Random(seed)
    on_plans = list(
        ChildProtectionPlan.objects.filter(
            case__authority=authority, end_date__isnull=True, case__child__nhs_number__isnull=False
        )
        .order_by("case__child__la_child_id")
        .values_list("case__child__nhs_number", flat=True)[: LOOKUPS_ON_PLANS * 3]
    )
    # Children looked after now (decision 0076): an A&E lookup that answers "looked after".
    looked_after = list(
        LookedAfterPeriod.objects.filter(
            case__authority=authority, end_date__isnull=True, case__child__nhs_number__isnull=False
        )
        .order_by("case__child__la_child_id")
        .values_list("case__child__nhs_number", flat=True)[: LOOKUPS_LOOKED_AFTER * 3]
    )
    others = list(
        Person.objects.filter(authority=authority, nhs_number__isnull=False, cases__isnull=True)
        .order_by("la_child_id", "pk")
        .values_list("nhs_number", flat=True)[: LOOKUPS_OFF_PLANS * 3]
    )
    chosen = (
        rng.sample(on_plans, min(LOOKUPS_ON_PLANS, len(on_plans)))
        + rng.sample(others, min(LOOKUPS_OFF_PLANS, len(others)))
        + rng.sample(looked_after, min(LOOKUPS_LOOKED_AFTER, len(looked_after)))
    )
    settings = list(Setting.values)
    made = 0
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
        for i, nhs_number in enumerate(chosen):
            search = Search(nhs_number=nhs_number)
            if i % 3 == 2:  # every third through the trust's system
                services.cp_lookup(
                    by=api_key.account,
                    search=search,
                    way=LookupWay.API,
                    setting=settings[i % len(settings)],
                    api_key=api_key,
                    clinician_name="Dr Demo Clinician",
                )
            else:
                services.cp_lookup(by=clinician, search=search, setting=settings[i % len(settings)])
            made += 1
    return {"api_keys": 1, "cp_lookups": made}
