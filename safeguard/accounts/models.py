"""Staff: the authority, the agencies that work with it, their teams, and users with a role."""

from django.contrib.auth.models import AbstractUser
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
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="teams")
    name = models.CharField(max_length=200)

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
