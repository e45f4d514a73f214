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
