"""People known to the authority: children (born and unborn) and the adults around them."""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower

from safeguard.core.models import BaseModel, DatedSpan
from safeguard.people.codes import (
    AlertKind,
    Disability,
    Ethnicity,
    NameKind,
    RelationshipKind,
    Sex,
    UPNUnknown,
)
from safeguard.people.names import phonetic_key

ADULT_AGE = 18


def _years_between(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


class Person(BaseModel):
    authority = models.ForeignKey(
        "accounts.LocalAuthority", on_delete=models.PROTECT, related_name="people"
    )
    given_names = models.CharField(max_length=200, blank=True)
    family_name = models.CharField(max_length=200)
    # Phonetic keys of the first given name and the family name, kept for tolerant search.
    given_key = models.CharField(max_length=40, blank=True, db_index=True, editable=False)
    family_key = models.CharField(max_length=40, blank=True, db_index=True, editable=False)
    date_of_birth = models.DateField(null=True, blank=True)
    expected_date_of_birth = models.DateField(
        null=True, blank=True, help_text="For an unborn child"
    )
    date_of_death = models.DateField(null=True, blank=True)
    sex = models.CharField(max_length=1, choices=Sex.choices, default=Sex.UNKNOWN)
    ethnicity = models.CharField(max_length=4, choices=Ethnicity.choices, default=Ethnicity.NOBT)
    disabilities = models.JSONField(default=list, blank=True)
    nhs_number = models.CharField("NHS number", max_length=10, null=True, blank=True)
    upn = models.CharField("unique pupil number (UPN)", max_length=13, null=True, blank=True)
    # CIN census <FormerUPN> and <UPNunknown>: a UPN the child held before, and why there is
    # no UPN (a reason code, UN1-UN7).
    former_upn = models.CharField("former UPN", max_length=13, blank=True)
    upn_unknown = models.CharField(
        "reason the UPN is not known", max_length=3, choices=UPNUnknown.choices, blank=True
    )
    la_child_id = models.CharField("local child id", max_length=20, null=True, blank=True)
    police_reference = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["family_name", "given_names"]
        constraints = [
            # Identifiers are unique within an authority: each authority keeps its own
            # records, and a clash with another authority's record must neither block nor
            # reveal anything (issue 11, item 7).
            models.UniqueConstraint(
                fields=["authority", "nhs_number"],
                condition=Q(nhs_number__isnull=False),
                name="person_nhs_unique_in_authority",
            ),
            models.UniqueConstraint(
                fields=["authority", "upn"],
                condition=Q(upn__isnull=False),
                name="person_upn_unique_in_authority",
            ),
            models.UniqueConstraint(
                fields=["authority", "la_child_id"],
                condition=Q(la_child_id__isnull=False),
                name="person_la_child_id_unique",
            ),
        ]
        indexes = [
            models.Index(fields=["date_of_birth"], name="person_dob"),
            models.Index(fields=["family_key", "date_of_birth"], name="person_family_dob"),
            # A name's first letters, whatever their case, as search asks for them
            # (``selectors.search``: a range on the lower-cased name, which both databases
            # answer from these).
            models.Index(Lower("given_names"), name="person_given_lower"),
            # With the given name and its key beside the family name: a search of two words
            # finds "Ava Ma..." among the "Ma..." from the index alone.
            models.Index(
                Lower("family_name"), Lower("given_names"), "given_key", name="person_family_lower"
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    # Set by ``withhold``: this copy stands for a record the reader may not see.
    withheld = False

    def save(self, *args, **kwargs):
        if self.withheld:
            raise ValueError("A withheld copy of a record is for showing only: never saved")
        self.refresh_keys()
        super().save(*args, **kwargs)

    def refresh_keys(self) -> None:
        self.given_key = phonetic_key(self.given_names)
        self.family_key = phonetic_key(self.family_name)

    def withhold(self) -> None:
        """Empty this in-memory copy of everything that identifies the person, leaving only
        the neutral ``reference`` as its name: a list that meets a record its reader may not
        see (a sealed child) shows that row as restricted and goes on (issue 11, item 6).
        The copy can no longer be saved."""
        self.withheld = True
        self.given_names = ""
        self.family_name = f"Restricted record {self.reference}"
        for field in (
            "date_of_birth",
            "expected_date_of_birth",
            "date_of_death",
            "nhs_number",
            "upn",
            "la_child_id",
        ):
            setattr(self, field, None)
        self.police_reference = ""
        self.disabilities = []
        self.sex = Sex.UNKNOWN
        self.ethnicity = Ethnicity.NOBT

    @property
    def reference(self) -> str:
        """A neutral reference that names nothing: shown where a restricted record matches."""
        return f"R-{str(self.pk)[:8].upper()}"

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.given_names, self.family_name) if p)

    @property
    def is_unborn(self) -> bool:
        return self.date_of_birth is None and self.expected_date_of_birth is not None

    def age_on(self, on: date) -> int | None:
        if self.date_of_birth is None:
            return None
        return _years_between(self.date_of_birth, on)

    def is_child_on(self, on: date) -> bool:
        if self.is_unborn:
            return True
        age = self.age_on(on)
        return age is not None and age < ADULT_AGE

    @property
    def disability_labels(self) -> list[str]:
        labels = dict(Disability.choices)
        return [labels.get(code, code) for code in self.disabilities]


class PersonName(BaseModel):
    """Another name a person is or was known by."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="other_names")
    kind = models.CharField(max_length=20, choices=NameKind.choices, default=NameKind.ALIAS)
    given_names = models.CharField(max_length=200, blank=True)
    family_name = models.CharField(max_length=200)
    given_key = models.CharField(max_length=40, blank=True, db_index=True, editable=False)
    family_key = models.CharField(max_length=40, blank=True, db_index=True, editable=False)

    class Meta:
        indexes = [
            models.Index(Lower("given_names"), name="person_name_given_lower"),
            models.Index(
                Lower("family_name"),
                Lower("given_names"),
                "given_key",
                name="person_name_family_lower",
            ),
        ]

    def __str__(self) -> str:
        return " ".join(p for p in (self.given_names, self.family_name) if p)

    def save(self, *args, **kwargs):
        self.given_key = phonetic_key(self.given_names)
        self.family_key = phonetic_key(self.family_name)
        super().save(*args, **kwargs)


class Address(BaseModel):
    """A place where people live. A household is the people living at one address."""

    authority = models.ForeignKey(
        "accounts.LocalAuthority", on_delete=models.PROTECT, related_name="addresses"
    )
    line_1 = models.CharField("address line 1", max_length=200)
    line_2 = models.CharField("address line 2", max_length=200, blank=True)
    town = models.CharField("town or city", max_length=100)
    postcode = models.CharField(max_length=8)

    class Meta:
        verbose_name_plural = "addresses"

    def __str__(self) -> str:
        return ", ".join(p for p in (self.line_1, self.line_2, self.town, self.postcode) if p)


class Residence(BaseModel, DatedSpan):
    """A person living at an address from one date to another."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="residences")
    address = models.ForeignKey(Address, on_delete=models.PROTECT, related_name="residences")

    class Meta(DatedSpan.Meta):
        ordering = ["-start_date"]


class Relationship(BaseModel, DatedSpan):
    """``person`` is the ``kind`` of ``other``: "Alex is the parent of Sam". The dates are
    optional: no start date means since before records began."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="relationships_from")
    other = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="relationships_to")
    kind = models.CharField(max_length=30, choices=RelationshipKind.choices)
    # Both dates are declared here (start optional), so that they keep their place in order.
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    # ``person`` holds parental responsibility for ``other`` (a parent, step-parent or carer).
    parental_responsibility = models.BooleanField(default=False)

    class Meta(DatedSpan.Meta):
        constraints = [
            *DatedSpan.Meta.constraints,
            models.CheckConstraint(
                condition=~Q(person=models.F("other")), name="relationship_not_self"
            ),
            models.CheckConstraint(
                condition=Q(parental_responsibility=False)
                | Q(kind__in=["parent", "step_parent", "carer"]),
                name="relationship_responsibility_kinds",
            ),
        ]


class AdultAlert(BaseModel):
    """A warning about an adult that staff must see wherever the adult appears with a child
    (issue 16 item 6, decision 0048): a risk to children, violence towards staff. It says
    what, where it came from, who raised it and when, and when it is to be reviewed; it is
    ended, not deleted, so that its history stays on the record."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="alerts")
    kind = models.CharField(max_length=30, choices=AlertKind.choices)
    details = models.TextField("what staff need to know")
    source = models.CharField("where this came from", max_length=200)
    raised_on = models.DateField("date raised")
    review_date = models.DateField("review by")
    ended_on = models.DateField(null=True, blank=True)
    end_reason = models.TextField("why the alert was ended", blank=True)

    class Meta:
        ordering = ["ended_on", "-raised_on"]
        indexes = [models.Index(fields=["person", "ended_on"], name="adult_alert_person")]
        constraints = [
            models.CheckConstraint(
                condition=Q(review_date__gte=models.F("raised_on")),
                name="adult_alert_review_after_raised",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("raised_on")),
                name="adult_alert_ended_after_raised",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} alert"

    @property
    def is_current(self) -> bool:
        return self.ended_on is None

    def review_overdue_on(self, on: date) -> bool:
        return self.ended_on is None and self.review_date < on


class Involvement(BaseModel, DatedSpan):
    """An agency's work with a person: who is involved, in what role, from when to when.

    For partner staff, an open involvement is what grants sight of a person's record: a
    named worker's involvement grants that worker, a team's involvement grants its members.
    """

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="involvements")
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    team = models.ForeignKey(
        "accounts.Team", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="involvements",
    )
    role = models.CharField(max_length=100, help_text="For example: allocated social worker")

    class Meta(DatedSpan.Meta):
        ordering = ["-start_date"]


# --- Sealed records and break-glass (docs/decisions/0005-sealed-records.md) -----------------


class Seal(BaseModel):
    """A person's record restricted to named staff. Open while ``unsealed_at`` is empty; an
    ended seal is kept, so the record's history shows every period it was sealed."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="seals")
    reason = models.TextField()
    sealed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    sealed_at = models.DateTimeField()
    unsealed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    unsealed_at = models.DateTimeField(null=True, blank=True)
    unseal_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-sealed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(unsealed_at__isnull=True),
                name="seal_one_open_per_person",
            )
        ]

    def __str__(self) -> str:
        return f"Seal on {self.person.reference}"


class SealMember(BaseModel):
    """A member of staff named on a seal: they see the record as if it were not sealed."""

    seal = models.ForeignKey(Seal, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["seal", "user"], name="seal_member_unique")]


class BreakGlassOutcome(models.TextChoices):
    JUSTIFIED = "justified", "Justified"
    NOT_JUSTIFIED = "not_justified", "Not justified"


class BreakGlass(BaseModel):
    """One use of break-glass: a named user's time-limited sight of a sealed record, with the
    reason they typed, awaiting (or after) a manager's review."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="break_glass_uses")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField()
    granted_at = models.DateTimeField()
    expires_at = models.DateTimeField(db_index=True)
    review_due = models.DateField()
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=20, choices=BreakGlassOutcome.choices, blank=True)
    review_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-granted_at"]
        indexes = [models.Index(fields=["user", "expires_at"], name="break_glass_user_expiry")]

    def is_active_at(self, when) -> bool:
        return self.granted_at <= when < self.expires_at

    def is_overdue_on(self, on: date) -> bool:
        return self.reviewed_at is None and on > self.review_due


class BreakGlassRefusal(models.Model):
    """A refused break-glass attempt (wrong password or code, or no right to break glass).
    Append-only, written in its own transaction so the refusal is kept."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    person_id = models.UUIDField(db_index=True)
    why = models.CharField(max_length=200)
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user_id} refused: {self.why}"
