"""CIN census code lists for a child-in-need episode.

Labels are the 2025-26 code list's wording (the census XSD's annotations, kept in
``returns/schemas/CIN_schema_2026.xsd``), in sentence case with a colon where the list uses a
dash; ``tests/test_census_code_labels.py`` holds them to it."""

from django.db import models


class ReferralSource(models.TextChoices):
    FAMILY = "1A", "Individual: family member, relative or carer"
    ACQUAINTANCE = "1B", "Individual: acquaintance (including neighbours and child minders)"
    SELF = "1C", "Individual: self"
    OTHER_INDIVIDUAL = "1D", "Individual: other (including strangers)"
    SCHOOLS = "2A", "Schools"
    EDUCATION_SERVICES = "2B", "Education services"
    GP = "3A", "Health services: general practitioner (GP)"
    HEALTH_VISITOR = "3B", "Health services: health visitor"
    SCHOOL_NURSE = "3C", "Health services: school nurse"
    OTHER_PRIMARY_HEALTH = "3D", "Health services: other primary health services"
    A_AND_E = "3E", "Health services: A&E (accident and emergency department)"
    OTHER_HEALTH = "3F", "Health services: other (for example hospice)"
    HOUSING = "4", "Housing: local authority housing or housing association"
    LA_SOCIAL_CARE = "5A", "LA services: social care for example adults social care services"
    LA_OTHER_INTERNAL = (
        "5B",
        "LA services: other internal (department other than social care in local authorities, "
        "for example, youth offending (excluding housing))",
    )
    LA_EXTERNAL = (
        "5C",
        "LA services: external, for example, from another local authority’s adults social care "
        "services",
    )
    LA_EARLY_HELP = "5D", "LA services: early help"
    POLICE = "6", "Police"
    OTHER_LEGAL = (
        "7",
        "Other legal agency: including courts, probation, immigration, CAFCASS (Children and "
        "Family Court Advisory and Support Service) or prison",
    )
    OTHER = (
        "8",
        "Other: including children’s centres, independent agency providers or voluntary "
        "organisations",
    )
    ANONYMOUS = "9", "Anonymous"
    UNKNOWN = "10", "Unknown"


class PrimaryNeed(models.TextChoices):
    N1 = "N1", "Abuse, neglect and exploitation"
    N2 = "N2", "Child's disability"
    N3 = "N3", "Parental disability or illness"
    N4 = "N4", "Family in acute stress"
    N5 = "N5", "Family dysfunction"
    N6 = "N6", "Socially unacceptable behaviour"
    N7 = "N7", "Low income"
    N8 = "N8", "Absent parenting"
    N9 = "N9", "Cases other than children in need"
    N0 = "N0", "Not stated"


class ClosureReason(models.TextChoices):
    RC1 = "RC1", "Adopted"
    RC2 = "RC2", "Died"
    RC3 = "RC3", "Child arrangements order"
    RC4 = "RC4", "Special guardianship order"
    RC5 = "RC5", "Transferred to services of another local authority"
    RC6 = "RC6", "Transferred to adult social care services"
    RC7 = "RC7", "Services ceased for any other reason, including child no longer in need"
    RC8 = "RC8", "Case closed after assessment, no further action"
    RC9 = "RC9", "Case closed after assessment, referred to early help"


# Closure reasons that only make sense once an assessment has been completed.
AFTER_ASSESSMENT_REASONS = frozenset({ClosureReason.RC8, ClosureReason.RC9})


class VisitKind(models.TextChoices):
    CHILD_PROTECTION = "cp", "Child protection statutory visit"
    CHILD_IN_NEED = "cin", "Child in need visit"
    ASSESSMENT = "assessment", "Assessment visit"
    OTHER = "other", "Other visit"


class Priority(models.TextChoices):
    """A contact's or case's priority (RAG), set with a reason by a named person. An empty
    value is "not rated" (records made before priorities existed); queues put it after amber
    and before green, since nobody has yet judged it low (issue 13, item 2)."""

    RED = "red", "Red"
    AMBER = "amber", "Amber"
    GREEN = "green", "Green"


# The order every queue puts priorities in: red first, "not rated" before green.
PRIORITY_RANK = {Priority.RED: 0, Priority.AMBER: 1, "": 2, Priority.GREEN: 3}


class LegalStatus(models.TextChoices):
    """SSDA903 legal status of a child looked after (the children looked after return's
    code list). V3 and V4 are agreed series of short breaks: still looked after during a
    break, though usually left out of lists of children in care (shared/domain.md §7)."""

    INTERIM_CARE_ORDER = "C1", "Interim care order"
    FULL_CARE_ORDER = "C2", "Full care order"
    FREEING_ORDER = "D1", "Freeing order granted"
    PLACEMENT_ORDER = "E1", "Placement order granted"
    REMANDED = (
        "J1",
        "Remanded to the local authority or to youth detention accommodation",
    )
    PACE = (
        "J2",
        "Placed in local authority accommodation under the Police and Criminal Evidence Act "
        "1984, including secure accommodation",
    )
    YOUTH_REHABILITATION_ORDER = (
        "J3",
        "Sentenced to Youth Rehabilitation Order (with residence or intensive fostering "
        "requirement)",
    )
    POLICE_PROTECTION = "L1", "Under police protection and in local authority accommodation"
    EMERGENCY_PROTECTION_ORDER = "L2", "Emergency protection order (EPO)"
    CHILD_ASSESSMENT_ORDER = (
        "L3",
        "Under child assessment order and in local authority accommodation",
    )
    SECTION_20 = "V2", "Single period of accommodation under section 20 (Children Act 1989)"
    SHORT_BREAKS_EPISODES_NOT_RECORDED = (
        "V3",
        "Accommodated under an agreed series of short-term breaks, when individual episodes "
        "are not recorded",
    )
    SHORT_BREAKS_AGREEMENTS_RECORDED = (
        "V4",
        "Accommodated under an agreed series of short-term breaks, when agreements are "
        "recorded (not individual episodes of care)",
    )
