"""Census code lists for people (CIN census 2024-25 onward)."""

from django.db import models


class Sex(models.TextChoices):
    # CIN census <Sex> (N00783) from 2024-25; an unborn child is recorded as U (rule 4180).
    MALE = "M", "Male"
    FEMALE = "F", "Female"
    UNKNOWN = "U", "Unknown"


class UPNUnknown(models.TextChoices):
    # CIN census <UPNunknown> (N00135): why a child has no UPN. The 2025-26 layout allows
    # UN1 to UN7 (standards.md); a school-age child without a UPN or one of UN2-UN7 raises
    # the DfE query 8770Q.
    UN1 = "UN1", "UN1: aged under 6 and not yet attending school"
    UN2 = "UN2", "UN2: has never attended a state-funded school in England"
    UN3 = "UN3", "UN3: educated at home"
    UN4 = "UN4", "UN4: attending a school outside England"
    UN5 = "UN5", "UN5: sources collating UPNs reflect a discrepancy"
    UN6 = "UN6", "UN6: unaccompanied asylum-seeking child, no UPN yet"
    UN7 = "UN7", "UN7: referral with no further action"


class Ethnicity(models.TextChoices):
    WBRI = "WBRI", "White British"
    WIRI = "WIRI", "White Irish"
    WIRT = "WIRT", "Traveller of Irish heritage"
    WOTH = "WOTH", "Any other White background"
    WROM = "WROM", "Gypsy/Roma"
    MWBC = "MWBC", "White and Black Caribbean"
    MWBA = "MWBA", "White and Black African"
    MWAS = "MWAS", "White and Asian"
    MOTH = "MOTH", "Any other mixed background"
    AIND = "AIND", "Indian"
    APKN = "APKN", "Pakistani"
    ABAN = "ABAN", "Bangladeshi"
    AOTH = "AOTH", "Any other Asian background"
    BCRB = "BCRB", "Caribbean"
    BAFR = "BAFR", "African"
    BOTH = "BOTH", "Any other black background"
    CHNE = "CHNE", "Chinese"
    OOTH = "OOTH", "Any other ethnic group"
    REFU = "REFU", "Refused"
    NOBT = "NOBT", "Information not yet obtained"


class Disability(models.TextChoices):
    NONE = "NONE", "No disability"
    MOB = "MOB", "Mobility"
    HAND = "HAND", "Hand function"
    PC = "PC", "Personal care"
    INC = "INC", "Incontinence"
    COMM = "COMM", "Communication"
    LD = "LD", "Learning"
    HEAR = "HEAR", "Hearing"
    VIS = "VIS", "Vision"
    BEH = "BEH", "Behaviour"
    CON = "CON", "Consciousness"
    AUT = "AUT", "Autism"
    DDA = "DDA", "Other"


class RelationshipKind(models.TextChoices):
    """How ``person`` is related to ``other``: "Alex is the parent of Sam" (issue 16 item 6:
    the family network, beyond the household)."""

    PARENT = "parent", "Parent"
    STEP_PARENT = "step_parent", "Step-parent"
    PARENTS_PARTNER = "parents_partner", "Parent's partner"
    CARER = "carer", "Carer"
    GRANDPARENT = "grandparent", "Grandparent"
    WIDER_FAMILY = "wider_family", "Other relative (aunt, uncle, cousin...)"
    SIBLING = "sibling", "Sibling"
    HOUSEHOLD_MEMBER = "household_member", "Household member"
    SIGNIFICANT_ADULT = "significant_adult", "Significant adult, not living with the child"
    VISITING_ADULT = "visiting_adult", "Adult who visits the home"


# How a relationship reads from the other person's side.
RELATIONSHIP_INVERSE_LABEL = {
    RelationshipKind.PARENT: "Child",
    RelationshipKind.STEP_PARENT: "Stepchild",
    RelationshipKind.PARENTS_PARTNER: "Child of partner",
    RelationshipKind.CARER: "Cared for",
    RelationshipKind.GRANDPARENT: "Grandchild",
    RelationshipKind.WIDER_FAMILY: "Relative",
    RelationshipKind.SIBLING: "Sibling",
    RelationshipKind.HOUSEHOLD_MEMBER: "Household member",
    RelationshipKind.SIGNIFICANT_ADULT: "Child they are significant to",
    RelationshipKind.VISITING_ADULT: "Child whose home they visit",
}

# The relationships that can carry parental responsibility (Children Act 1989 s.3): a
# parent, a step-parent or a carer (by a court order, say) may hold it; the others may not.
class AlertKind(models.TextChoices):
    """Why staff must know about an adult before they meet the child (issue 16 item 6)."""

    RISK_TO_CHILDREN = "risk_to_children", "Risk to children"
    VIOLENCE_TO_STAFF = "violence_to_staff", "Violence or threats towards staff"
    DOMESTIC_ABUSE = "domestic_abuse", "Domestic abuse perpetrator"
    WEAPONS = "weapons", "Known to carry or keep weapons"
    DOGS = "dogs", "Dangerous dogs at the address"
    OTHER = "other", "Other risk"


PARENTAL_RESPONSIBILITY_KINDS = frozenset(
    {RelationshipKind.PARENT, RelationshipKind.STEP_PARENT, RelationshipKind.CARER}
)


class NameKind(models.TextChoices):
    ALIAS = "alias", "Also known as"
    PREVIOUS = "previous", "Previous name"
    PREFERRED = "preferred", "Preferred name"
    BIRTH = "birth", "Name at birth"
