"""The directory's code lists: kinds of service, the needs a service meets (the vocabulary a
child's recorded needs are matched against), and the states and outcomes of a referral to a
service."""

from django.db import models


class ServiceKind(models.TextChoices):
    EARLY_HELP = "early_help", "Early help"
    VOLUNTARY = "voluntary", "Voluntary sector"
    HEALTH = "health", "Health"
    EDUCATION = "education", "Education"
    HOUSING = "housing", "Housing"
    DOMESTIC_ABUSE = "domestic_abuse", "Domestic abuse"
    MENTAL_HEALTH = "mental_health", "Mental health"
    SUBSTANCE_MISUSE = "substance_misuse", "Drug and alcohol"
    PARENTING = "parenting", "Parenting support"
    YOUTH = "youth", "Youth services"
    SEND = "send", "Special educational needs and disabilities"
    FINANCIAL = "financial", "Money, debt and benefits"
    OTHER = "other", "Other"


class Need(models.TextChoices):
    """What a child or family needs help with: recorded on an early help assessment under the
    common assessment framework's domains, and served by directory entries."""

    # The child's development
    PHYSICAL_HEALTH = "physical_health", "Physical health"
    EMOTIONAL_WELLBEING = "emotional_wellbeing", "Emotional wellbeing and mental health"
    BEHAVIOUR = "behaviour", "Behaviour"
    SCHOOL_ATTENDANCE = "school_attendance", "School attendance and learning"
    SEND = "send", "Special educational needs or disability"
    YOUNG_CARER = "young_carer", "Young carer"
    EXPLOITATION_RISK = "exploitation_risk", "Risk of exploitation or going missing"
    OFFENDING_RISK = "offending_risk", "Risk of offending or anti-social behaviour"
    # Parents and carers
    PARENTING = "parenting", "Parenting: basic care, boundaries and routines"
    DOMESTIC_ABUSE = "domestic_abuse", "Domestic abuse"
    PARENTAL_MENTAL_HEALTH = "parental_mental_health", "Parental mental health"
    SUBSTANCE_MISUSE = "substance_misuse", "Parental drug or alcohol misuse"
    # Family and environment
    HOUSING = "housing", "Housing"
    FINANCIAL = "financial", "Money, debt and benefits"
    EMPLOYMENT = "employment", "Employment and training"
    ISOLATION = "isolation", "Social isolation and family support"


class ReferralStatus(models.TextChoices):
    SENT = "sent", "Sent"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    STARTED = "started", "Started"
    ENDED = "ended", "Ended"
    WITHDRAWN = "withdrawn", "Withdrawn"


class ReferralOutcome(models.TextChoices):
    NEEDS_MET = "needs_met", "Needs met"
    PARTLY_MET = "partly_met", "Needs partly met"
    NOT_MET = "not_met", "Needs not met"
    DISENGAGED = "disengaged", "Family stopped taking part"
    MOVED_AWAY = "moved_away", "Family moved away"
    ESCALATED = "escalated", "Stepped up to children's social care"
