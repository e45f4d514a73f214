"""The calendar that lets the database count working days and move dates by months.

Each row is one calendar date. ``working_index`` is the number of working days on or before
it since the table's first day, so ``wd(a, b)`` (kpis.md section 1) is
``index(b) - index(a)`` for any two dates, negative when ``b`` is before ``a``. The month
columns hold ``add_months(day, n)`` with the day clamped to the month's end, which neither
SQLite nor PostgreSQL computes the same way. See docs/decisions/0008.
"""

from django.db import models

from safeguard.core.models import BaseModel


class CalendarDay(models.Model):
    day = models.DateField(primary_key=True)
    working_index = models.IntegerField()
    is_working_day = models.BooleanField()
    minus_12_months = models.DateField()
    plus_1_month = models.DateField()
    plus_3_months = models.DateField()
    plus_6_months = models.DateField()
    plus_24_months = models.DateField()

    class Meta:
        ordering = ["day"]

    def __str__(self) -> str:
        return self.day.isoformat()


class ChildPopulation(BaseModel):
    """How many children (aged 0 to 17) live in one postcode district of the authority: the
    denominator of contacts per 10,000 children by area (decision 0082). Kept by the
    authority from the ONS mid-year population estimates (``safeguard set-child-population``),
    ``year`` being the estimate's mid-year."""

    authority = models.ForeignKey(
        "accounts.LocalAuthority", on_delete=models.CASCADE, related_name="+"
    )
    district = models.CharField("postcode district", max_length=4)
    children = models.PositiveIntegerField("children aged 0 to 17")
    year = models.PositiveSmallIntegerField("mid-year estimate of")

    class Meta:
        ordering = ["district"]
        constraints = [
            models.UniqueConstraint(
                fields=["authority", "district"], name="child_population_one_per_district"
            )
        ]

    def __str__(self) -> str:
        return f"{self.district}: {self.children} children ({self.year})"


class Direction(models.TextChoices):
    HIGHER = "higher", "Higher is better"
    LOWER = "lower", "Lower is better"


class Target(BaseModel):
    """One version of the authority's target for one indicator (decision 0084).

    The value and tolerance are in the units the pages show: a rate in per cent (85 means
    85%), a count as a number, a value (the average caseload) as itself. ``trajectory`` maps
    a month ("2026-04") to the target for periods ending in it; a month without one takes
    ``value``. A new version supersedes the old; both are kept. A version counts once it is
    agreed, by a service manager who did not set it.
    """

    authority = models.ForeignKey("accounts.LocalAuthority", on_delete=models.PROTECT)
    indicator_id = models.CharField(max_length=60)
    value = models.DecimalField(max_digits=12, decimal_places=2)
    tolerance = models.DecimalField(max_digits=12, decimal_places=2)
    direction = models.CharField(max_length=10, choices=Direction.choices)
    trajectory = models.JSONField(default=dict, blank=True)
    reason = models.TextField(blank=True)
    set_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField()
    agreed_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    agreed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["indicator_id", "-set_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(agreed_by__isnull=True)
                | ~models.Q(agreed_by=models.F("set_by")),
                name="target_not_agreed_by_its_setter",
            ),
            models.CheckConstraint(
                condition=models.Q(tolerance__gte=0), name="target_tolerance_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"Target for {self.indicator_id}: {self.value}"

    def value_for(self, month_end) -> float:
        """The target for a period ending on ``month_end``: the trajectory's, else the value."""
        stepped = self.trajectory.get(f"{month_end:%Y-%m}")
        return float(self.value if stepped is None else stepped)
