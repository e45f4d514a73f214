"""Staff: the authority, the agencies that work with it, their teams, and users with a role."""

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models

from safeguard.accounts.roles import (  # noqa: F401  (re-exported: the names every app imports)
    ADMINISTRATOR_ROLES,
    MANAGER_ROLES,
    OVERSIGHT_ROLES,
    PARTNER_ROLES,
    RECORDING_ROLES,
    SERVICE_WIDE_ROLES,
    SOCIAL_CARE_ROLES,
    Role,
    is_social_care_staff,
)


def default_conference_quorum() -> list[str]:
    """Working Together's quorum for a conference that starts or ends a plan: children's
    social care and police (AgencyKind values), with others counted apart."""
    return ["csc", "police"]


def validate_agency_kinds(value) -> None:
    if not isinstance(value, list) or any(k not in AgencyKind.values for k in value):
        raise ValidationError(
            "List agency kinds from: " + ", ".join(AgencyKind.values), code="unknown_kind"
        )


# The decision kinds that need the case's line manager's authorisation unless an authority
# says otherwise (issue 15 item 2, decision 0041); each is registered by the app that makes it.
DEFAULT_AUTHORISED_DECISIONS = (
    "referral_nfa",
    "case_closure",
    "step_down",
    "section47_conclusion",
    "assessment_outcome",
)


def default_authorised_decisions() -> list[str]:
    return list(DEFAULT_AUTHORISED_DECISIONS)


class LocalAuthority(models.Model):
    """The council whose children's social care runs Safeguard."""

    name = models.CharField(max_length=200, unique=True)
    # The three-digit DfE LA code used in census returns (CIN census <LEA>).
    dfe_la_code = models.CharField(
        "DfE LA code",
        max_length=3,
        unique=True,
        validators=[RegexValidator(r"^\d{3}$", "The DfE LA code is three digits, like 999.")],
    )

    # Which edition of Working Together sets the statutory timescales (see timescales.rules).
    rule_set = models.CharField(
        "timescale rule set",
        max_length=10,
        choices=[
            ("wt2006", "Working Together 2006"),
            ("wt2010", "Working Together 2010"),
            ("wt2013", "Working Together 2013 onward"),
        ],
        default="wt2013",
    )
    # Local standards: each authority sets its own (domain.md §2, tagged [L]).
    cp_visit_interval_wd = models.PositiveSmallIntegerField(
        "child protection visits: working days between visits", default=10
    )
    cin_visit_interval_wd = models.PositiveSmallIntegerField(
        "child in need visits: working days between visits", default=20
    )
    core_group_interval_wd = models.PositiveSmallIntegerField(
        "core groups: working days between meetings after the first", default=20
    )
    cin_plan_review_months = models.PositiveSmallIntegerField(
        "child in need plan reviews: months between reviews", default=3
    )
    # A contact rated red is decided within this many clock hours of its receipt, weekends
    # and nights included: children are at risk at weekends (issue 13, item 2).
    red_contact_decision_hours = models.PositiveSmallIntegerField(
        "red contacts: hours from receipt to decision",
        default=24,
        validators=[MinValueValidator(1)],
    )
    # How long an open child may go unseen, by the stage of their case (timescales.seen). A
    # child on a plan is held to the visit standards above; these are for the other stages,
    # and are local choices: no national number (domain.md §2).
    unallocated_seen_wd = models.PositiveSmallIntegerField(
        "unallocated cases: working days a child may go unseen", default=5
    )
    section47_seen_wd = models.PositiveSmallIntegerField(
        "section 47 enquiries: working days a child may go unseen", default=5
    )
    assessment_seen_wd = models.PositiveSmallIntegerField(
        "assessments: working days a child may go unseen", default=10
    )
    # The next step a decision sets (issue 13, item 1): how long each may wait before it is
    # started. Local choices, with no national number (domain.md §2); "within 24 hours of the
    # decision" for a strategy discussion is the common local standard, so 1 working day.
    referral_record_wd = models.PositiveSmallIntegerField(
        "contacts decided for referral: working days to record the referral", default=1
    )
    assessment_start_wd = models.PositiveSmallIntegerField(
        "referrals decided for assessment: working days to start it", default=1
    )
    referral_seen_wd = models.PositiveSmallIntegerField(
        "referrals: working days from the decision to seeing the child", default=5
    )
    strategy_discussion_wd = models.PositiveSmallIntegerField(
        "decisions to hold a strategy discussion: working days to hold it", default=1
    )
    section47_start_wd = models.PositiveSmallIntegerField(
        "strategy discussions deciding on section 47: working days to start it", default=1
    )
    cin_plan_start_wd = models.PositiveSmallIntegerField(
        "assessments ending in a child in need plan: working days to start it", default=10
    )
    early_help_start_wd = models.PositiveSmallIntegerField(
        "decisions for early help: working days to start the early help assessment",
        default=10,
    )
    # Early help (issue 19 item 5): how long an early help assessment may stay open, and how
    # often a team around the family meets to review its plan. Local practice, not statute:
    # no national timescale for either (domain.md §1); 45 working days mirrors the statutory
    # assessment's, and most authorities review a team around the family every 6 to 8 weeks.
    early_help_assessment_wd = models.PositiveSmallIntegerField(
        "early help assessments: working days from the start to completing it",
        default=45,
        validators=[MinValueValidator(1)],
    )
    taf_review_weeks = models.PositiveSmallIntegerField(
        "teams around the family: weeks between reviews",
        default=6,
        validators=[MinValueValidator(1)],
    )
    # Decisions that wait for the case's line manager before they take effect (issue 15
    # item 2, decision 0041): the kinds registered by the apps that make them
    # (``casework.services.register_decision_right``). All five of the are on by
    # default; an authority may add others that an app offers, or turn one off.
    decisions_needing_authorisation = models.JSONField(
        "decisions that need a manager's authorisation",
        default=default_authorised_decisions,
        blank=True,
    )
    # A case nobody holds is reviewed by a manager at least this often while it waits in its
    # team's queue (issue 14): a local choice, no national number.
    unallocated_review_wd = models.PositiveSmallIntegerField(
        "unallocated cases: working days between a manager's reviews",
        default=5,
        validators=[MinValueValidator(1)],
    )
    # Caseloads (workforce.caseloads): each open case weighs points by its stage, and a
    # worker can carry so many points. There is no national cap or weighting in England:
    # local schemes give a case 4 to 10 points by its type, and count a newly qualified
    # (ASYE) worker as less than one (domain.md §6), so every number is a local choice.
    caseload_weight_unallocated = models.PositiveSmallIntegerField(
        "caseload weight: unallocated case (points)", default=6
    )
    caseload_weight_cp_plan = models.PositiveSmallIntegerField(
        "caseload weight: child protection plan (points)", default=8
    )
    # Quorum of a child protection conference that starts or ends a plan (issue 15 item 3;
    # decision 0030): these agency kinds must attend, and so many other agencies besides
    # (the family does not count as one).
    conference_quorum_kinds = models.JSONField(
        "conference quorum: agency kinds that must attend",
        default=default_conference_quorum,
        validators=[validate_agency_kinds],
    )
    conference_quorum_others = models.PositiveSmallIntegerField(
        "conference quorum: other agencies that must attend", default=1
    )
    # A conference's minutes are circulated within this many working days of the conference
    # (issue 15 item 3; decision 0043): a local standard, timed by the ``conference_minutes``
    # clock, held by the conference's chair.
    conference_minutes_wd = models.PositiveSmallIntegerField(
        "conference minutes: working days from the conference to their circulation",
        default=20,
        validators=[MinValueValidator(1)],
    )
    caseload_weight_section47 = models.PositiveSmallIntegerField(
        "caseload weight: section 47 enquiry (points)", default=10
    )
    caseload_weight_assessment = models.PositiveSmallIntegerField(
        "caseload weight: assessment (points)", default=6
    )
    caseload_weight_cin = models.PositiveSmallIntegerField(
        "caseload weight: child in need (points)", default=4
    )
    full_time_capacity = models.PositiveSmallIntegerField(
        "caseload: points a full-time worker can carry", default=100,
        validators=[MinValueValidator(1)],
    )  # fmt: skip
    newly_qualified_capacity_percent = models.PositiveSmallIntegerField(
        "caseload: a newly qualified worker's capacity in their first year (per cent)",
        default=80,
        validators=[MinValueValidator(1)],
    )

    # The numbers a clinician is given with every child-protection lookup (partners app,
    # issue 17): the children's services front door by day, the emergency duty team at night.
    daytime_phone = models.CharField(
        "children's services: daytime telephone number", max_length=40, blank=True
    )
    out_of_hours_phone = models.CharField(
        "children's services: out-of-hours telephone number", max_length=40, blank=True
    )

    class Meta:
        verbose_name_plural = "local authorities"

    def __str__(self) -> str:
        return self.name


class AgencyKind(models.TextChoices):
    CHILDRENS_SOCIAL_CARE = "csc", "Children's social care"
    POLICE = "police", "Police"
    HEALTH = "health", "Health"
    EDUCATION = "education", "Education"
    VOLUNTARY = "voluntary", "Voluntary sector"
    INSPECTORATE = "inspectorate", "Inspectorate"


class Agency(models.Model):
    """An organisation whose staff use Safeguard: the council's social care or a partner."""

    authority = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT, related_name="agencies")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=AgencyKind.choices)

    class Meta:
        verbose_name_plural = "agencies"
        constraints = [
            models.UniqueConstraint(fields=["authority", "name"], name="agency_unique_name")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_social_care(self) -> bool:
        return self.kind == AgencyKind.CHILDRENS_SOCIAL_CARE


class Team(models.Model):
    """A team, or a service made of teams: ``parent`` is the service (or team) it sits in,
    ``manager`` the member of staff who manages it, so that the management line is explicit
    (issue 14). Changed only through ``accounts.services.team_update``, which checks there
    is no cycle and that the manager is a manager of the same authority."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="teams")
    name = models.CharField(max_length=200)
    manager = models.ForeignKey(
        "accounts.User",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="managed_teams",
    )
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "name"], name="team_unique_name")]
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A member of staff. Every user belongs to one agency and has one role."""

    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="staff", null=True, blank=True
    )
    role = models.CharField(max_length=40, choices=Role.choices, blank=True)
    teams = models.ManyToManyField(Team, related_name="members", blank=True)
    job_title = models.CharField(max_length=200, blank=True)
    # When the worker qualified as a social worker: in their first year (the assessed and
    # supported year in employment) they carry a reduced caseload (workforce.caseloads).
    qualified_on = models.DateField("date qualified", null=True, blank=True)

    class Meta:
        ordering = ["last_name", "first_name"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def is_social_care(self) -> bool:
        return self.is_active and self.role in SOCIAL_CARE_ROLES

    @property
    def is_partner(self) -> bool:
        return self.is_active and self.role in PARTNER_ROLES

    @property
    def authority_id(self):
        return self.agency.authority_id if self.agency_id else None


class SignedInSession(models.Model):
    """One session a user is signed in with, so that every one of them can be ended at once.

    Written when the user signs in (and when the session id is renewed after the second
    factor); removed when they sign out. Disabling the account, changing its password or
    ``safeguard end_sessions USERNAME`` deletes the user's sessions through these rows.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="signed_in_sessions")
    session_key = models.CharField(max_length=40, unique=True)
    signed_in_at = models.DateTimeField()

    class Meta:
        ordering = ["signed_in_at"]

    def __str__(self) -> str:
        return f"Session of {self.user} since {self.signed_in_at:%Y-%m-%d %H:%M}"


class Invitation(models.Model):
    """A one-time link by which a new member of staff sets their password, then their second
    factor: no shared secret is ever given to them.

    Only a digest of the link's token is stored, so the table cannot be used to sign in. The
    link works once, until ``expires_at``; a newer invitation for the same account ends the
    earlier ones (``accounts.services.invitation_issue``)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="invitations")
    token_digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Invitation for {self.user} until {self.expires_at:%Y-%m-%d %H:%M}"
