"""The calendar that lets the database count working days and move dates by months.

Each row is one calendar date. ``working_index`` is the number of working days on or before
it since the table's first day, so ``wd(a, b)`` (kpis.md section 1) is
``index(b) - index(a)`` for any two dates, negative when ``b`` is before ``a``. The month
columns hold ``add_months(day, n)`` with the day clamped to the month's end, which neither
SQLite nor PostgreSQL computes the same way. See docs/decisions/0008.
"""

from django.db import models


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
