"""What the census import remembers: for each child, the newest census it has applied.

Files are applied in order of their reference date (kpis.md §6). Within one import that is
done by merging the files before anything is written; across imports this record lets a later
import tell that a child's stored values came from a newer census than the file in hand.
"""

from django.db import models


class CensusImportedChild(models.Model):
    person = models.OneToOneField(
        "people.Person", on_delete=models.CASCADE, related_name="census_import"
    )
    reference_date = models.DateField(help_text="ReferenceDate of the newest census applied")

    class Meta:
        verbose_name = "child imported from a CIN census"

    def __str__(self) -> str:
        return f"{self.person_id} from the census of {self.reference_date}"
