"""Factors identified at the end of assessment (CIN census AssessmentFactors, 2022 schema on).

Suffix A is the child, B a parent or carer, C another person in the household.
"""

from django.db import models


class Factor(models.TextChoices):
    F1A = "1A", "Alcohol misuse: child"
    F1B = "1B", "Alcohol misuse: parent or carer"
    F1C = "1C", "Alcohol misuse: other person in the household"
    F2A = "2A", "Drug misuse: child"
    F2B = "2B", "Drug misuse: parent or carer"
    F2C = "2C", "Drug misuse: other person in the household"
    F3A = "3A", "Domestic abuse: child subject"
    F3B = "3B", "Domestic abuse: parent or carer subject"
    F3C = "3C", "Domestic abuse: other person in the household subject"
    F4A = "4A", "Mental health: child"
    F4B = "4B", "Mental health: parent or carer"
    F4C = "4C", "Mental health: other person in the household"
    F5A = "5A", "Learning disability: child"
    F5B = "5B", "Learning disability: parent or carer"
    F5C = "5C", "Learning disability: other person in the household"
    F6A = "6A", "Physical disability or illness: child"
    F6B = "6B", "Physical disability or illness: parent or carer"
    F6C = "6C", "Physical disability or illness: other person in the household"
    F7A = "7A", "Young carer"
    F8B = "8B", "Privately fostered: overseas child intending to return"
    F8C = "8C", "Privately fostered: overseas child intending to stay"
    F8D = "8D", "Privately fostered: UK child in educational placement"
    F8E = "8E", "Privately fostered: UK child in alternative family arrangement"
    F8F = "8F", "Privately fostered: other"
    F9A = "9A", "Unaccompanied asylum-seeking child"
    F10A = "10A", "Going or being missing"
    F11A = "11A", "Child sexual exploitation"
    F12A = "12A", "Trafficking"
    F13A = "13A", "Gangs"
    F14A = "14A", "Socially unacceptable behaviour"
    F15A = "15A", "Self-harm"
    F16A = "16A", "Neglect"
    F17A = "17A", "Emotional abuse"
    F18B = "18B", "Physical abuse: child on child"
    F18C = "18C", "Physical abuse: adult on child"
    F19B = "19B", "Sexual abuse: child on child"
    F19C = "19C", "Sexual abuse: adult on child"
    F20 = "20", "Other"
    F21 = "21", "No factors identified"
    F22A = "22A", "Female genital mutilation"
    F23A = "23A", "Abuse linked to faith or belief"
    F24A = "24A", "Child criminal exploitation"


NO_FACTORS = Factor.F21
