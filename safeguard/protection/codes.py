from django.db import models


class CategoryOfAbuse(models.TextChoices):
    NEGLECT = "NEG", "Neglect"
    PHYSICAL = "PHY", "Physical abuse"
    SEXUAL = "SAB", "Sexual abuse"
    EMOTIONAL = "EMO", "Emotional abuse"
    MULTIPLE = "MUL", "Multiple/not recommended"


class PlanEndReason(models.TextChoices):
    # Only a conference can end a plan; these are the reasons it may (domain.md §1).
    RISK_REDUCED = "risk_reduced", "No longer at risk of significant harm"
    MOVED = "moved", "Moved permanently to another local authority"
    EIGHTEEN = "eighteen", "Reached 18"
    DIED = "died", "Died"
    LEFT_UK = "left_uk", "Left the UK"
