"""Factors identified at the end of assessment (CIN census AssessmentFactors, 2022 schema on).

Suffix A is the child, B a parent or carer, C another person in the household. The labels
follow the 2025-26 code list (``returns/schemas/CIN_schema_2026.xsd``); see the note on
``Factor``.
"""

from django.db import models


class Factor(models.TextChoices):
    # Each label is the code list's heading (its words before the first colon or dash) and,
    # after a colon, whom or what the code is about in the list's words, shortened.
    F1A = "1A", "Alcohol misuse: by the child"
    F1B = "1B", "Alcohol misuse: by the parent(s) or carer(s)"
    F1C = "1C", "Alcohol misuse: by another person living in the household"
    F2A = "2A", "Drug misuse: by the child"
    F2B = "2B", "Drug misuse: by the parent(s) or carer(s)"
    F2C = "2C", "Drug misuse: by another person living in the household"
    F3A = "3A", "Domestic violence: the child is the subject"
    F3B = "3B", "Domestic violence: the child’s parent(s) or carer(s) are the subject"
    F3C = "3C", "Domestic violence: another person living in the household is the subject"
    F4A = "4A", "Mental health: of the child"
    F4B = "4B", "Mental health: of the parent(s) or carer(s)"
    F4C = "4C", "Mental health: of another person in the family or household"
    F5A = "5A", "Learning disability: of the child"
    F5B = "5B", "Learning disability: of the parent(s) or carer(s)"
    F5C = "5C", "Learning disability: of another person in the family or household"
    F6A = "6A", "Physical disability or illness: of the child"
    F6B = "6B", "Physical disability or illness: of the parent(s) or carer(s)"
    F6C = "6C", "Physical disability or illness: of another person in the family or household"
    F7A = "7A", "Young carer"
    F8B = "8B", "Privately fostered: overseas children who intend to return"
    F8C = "8C", "Privately fostered: overseas children who intend to stay"
    F8D = "8D", "Privately fostered: UK children in educational placements"
    F8E = "8E", "Privately fostered: UK children making alternative family arrangements"
    F8F = "8F", "Privately fostered: other"
    F9A = "9A", "UASC: unaccompanied asylum-seeking child"
    F10A = "10A", "Missing: going or being missing"
    F11A = "11A", "Child sexual exploitation"
    F12A = "12A", "Trafficking"
    F13A = "13A", "Gangs: involvement in or with gangs"
    F14A = "14A", "Socially unacceptable behaviour"
    F15A = "15A", "Self-harm"
    F16A = "16A", "Abuse or neglect: neglect"
    F17A = "17A", "Abuse or neglect: emotional abuse"
    F18B = "18B", "Abuse or neglect: physical abuse (child on child)"
    F18C = "18C", "Abuse or neglect: physical abuse (adult on child)"
    F19B = "19B", "Abuse or neglect: sexual abuse (child on child)"
    F19C = "19C", "Abuse or neglect: sexual abuse (adult on child)"
    F20 = "20", "Other"
    F21 = (
        "21",
        "No factors identified: only if there is no evidence of any factor and no further "
        "action is being taken",
    )
    F22A = "22A", "Female genital mutilation (FGM)"
    F23A = "23A", "Abuse linked to faith or belief"
    F24A = "24A", "Child criminal exploitation"


NO_FACTORS = Factor.F21


def factor_label(code: str) -> str:
    """A factor in words. A code the list does not hold (an old import) is named as such
    rather than shown bare."""
    try:
        return Factor(code).label
    except ValueError:
        return f"A factor not in the current list (census code {code})"
