"""Records the lookup tests share: Sam Smith on a plan, his case allocated to Amy in team A
(managed by Carol), Sam looked after, the authority's numbers, and keys for the health
trust."""

from datetime import date

from django.test import Client
from django.test.client import ClientHandler

from safeguard.casework import services as casework
from safeguard.casework.models import Case, LookedAfterPeriod
from safeguard.core.keyed_api import LeanMiddleware, is_keyed_call
from safeguard.partners import services
from safeguard.partners.models import Scope
from safeguard.protection.tests.steps import plan_of_sam

DAYTIME = "01632 960000"
OUT_OF_HOURS = "01632 960999"


def sam_on_a_plan(world):
    world.team_a.manager = world.tm_carol
    world.team_a.save()
    services.lookup_numbers_set(
        by=None, authority=world.authority, daytime_phone=DAYTIME, out_of_hours_phone=OUT_OF_HOURS
    )
    plan = plan_of_sam(world)
    casework.case_allocate(
        by=world.tm_carol,
        case=plan.case,
        worker=world.sw_amy,
        team=world.team_a,
        start_date=date(2025, 1, 6),
        reason="Test",
    )
    return plan


def health_key(world, *, scopes=(Scope.CP_LOOKUP,), rate_limit=60):
    """A key of the health trust: (record, the key itself)."""
    return services.api_key_create(
        by=None, organisation=world.health, scopes=list(scopes), rate_limit_per_minute=rate_limit
    )


class KeyedApiClient(Client):
    """Django's test client with the production server's dispatch (``safeguard.wsgi``): a
    keyed call takes the lean middleware path, anything else the full stack."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        full = self.handler
        lean = _LeanClientHandler(full.enforce_csrf_checks)
        self.handler = lambda environ: (lean if is_keyed_call(environ) else full)(environ)


class _LeanClientHandler(LeanMiddleware, ClientHandler):
    pass


def sam_looked_after(world, *, start: date, end: date | None = None) -> LookedAfterPeriod:
    """A period of care of Sam's from ``start`` (to ``end``), on his open case (one opened,
    referred in 2024, if he has none)."""
    services.lookup_numbers_set(
        by=None, authority=world.authority, daytime_phone=DAYTIME, out_of_hours_phone=OUT_OF_HOURS
    )
    case = Case.objects.filter(child=world.child_sam, closure_date__isnull=True).first()
    if case is None:
        case = casework.case_open(
            by=world.sw_amy, child=world.child_sam, referral_date=date(2024, 1, 8),
            referral_source="6",
        )  # fmt: skip
    period = casework.looked_after_start(
        by=world.sw_amy, case=case, start_date=start, legal_status="C2"
    )
    if end is not None:
        casework.looked_after_end(
            by=world.sw_amy, period=period, end_date=end, reason="Returned home to parents"
        )
    return period
