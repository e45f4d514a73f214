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


# The census factors identified at the end of a social care assessment (DfE CIN census
# AssessmentFactors; the codes of ``assessments.codes.Factor``) mapped to the needs a service
# meets, so that a child's latest completed assessment can be matched against the directory.
# Neglect (16A) is met by parenting support. Factors naming abuse itself (17A to 19C, 22A,
# 23A), private fostering (8B to 8F), an unaccompanied asylum-seeking child (9A), "other" (20)
# and "no factors" (21) name no need of the directory's list: they are social care's own work,
# not a service to refer to.
FACTOR_NEEDS: dict[str, tuple[str, ...]] = {
    # Alcohol and drug misuse: by the child, by a parent or carer, by another household member
    "1A": (Need.SUBSTANCE_MISUSE, Need.BEHAVIOUR),
    "1B": (Need.SUBSTANCE_MISUSE,),
    "1C": (Need.SUBSTANCE_MISUSE,),
    "2A": (Need.SUBSTANCE_MISUSE, Need.BEHAVIOUR),
    "2B": (Need.SUBSTANCE_MISUSE,),
    "2C": (Need.SUBSTANCE_MISUSE,),
    # Domestic violence: the child, a parent or carer, another household member the subject
    "3A": (Need.DOMESTIC_ABUSE,),
    "3B": (Need.DOMESTIC_ABUSE,),
    "3C": (Need.DOMESTIC_ABUSE,),
    # Mental health: of the child; of a parent or carer or another household member
    "4A": (Need.EMOTIONAL_WELLBEING,),
    "4B": (Need.PARENTAL_MENTAL_HEALTH,),
    "4C": (Need.PARENTAL_MENTAL_HEALTH,),
    # Learning disability
    "5A": (Need.SEND,),
    "5B": (Need.PARENTING,),
    "5C": (Need.ISOLATION,),
    # Physical disability or illness
    "6A": (Need.PHYSICAL_HEALTH, Need.SEND),
    "6B": (Need.PHYSICAL_HEALTH, Need.YOUNG_CARER),
    "6C": (Need.PHYSICAL_HEALTH,),
    "7A": (Need.YOUNG_CARER,),
    "10A": (Need.EXPLOITATION_RISK,),
    "11A": (Need.EXPLOITATION_RISK,),
    "12A": (Need.EXPLOITATION_RISK,),
    "13A": (Need.EXPLOITATION_RISK, Need.OFFENDING_RISK),
    "14A": (Need.BEHAVIOUR, Need.OFFENDING_RISK),
    "15A": (Need.EMOTIONAL_WELLBEING,),
    "16A": (Need.PARENTING,),
    "24A": (Need.EXPLOITATION_RISK, Need.OFFENDING_RISK),
}
