"""Wording for the demo's case records: reasons, notes, decisions and plans.

Short, plain and invented. They name no one: a record's people are the child and family it
belongs to, and staff appear only through the fields that name them.
"""

from __future__ import annotations

from safeguard.casework.codes import ReferralSource as Source

# Why someone contacted the front door, by who made the contact.
# The contact about several children waiting at the front door (decision 0065).
SIBLING_CONTACT_REASON = (
    "The school's designated safeguarding lead: the children have come in hungry and in the "
    "same clothes all week, and the younger ones were collected late three days running."
)

CONTACT_REASONS: dict[str, tuple[str, ...]] = {
    "police": (
        "Police attended a domestic incident at the home; the children were present.",
        "Police found the home in a poor state during a welfare check.",
        "Young person arrested with others for shoplifting; concerns about exploitation.",
        "Police report of a verbal argument between the parents overnight.",
        "Young person reported missing overnight and found the next morning.",
    ),
    "school": (
        "School reports the child arrives hungry and in unwashed clothes.",
        "Child disclosed to a teacher that they were hit at home.",
        "Attendance has fallen below 70% this term and the parent is not responding.",
        "Child has an unexplained bruise on the arm and was reluctant to talk about it.",
        "Child told staff that there is often shouting at home and they feel scared.",
    ),
    "health": (
        "Midwife reports a pregnant mother with a history of substance misuse.",
        "Health visitor concerned about weight loss and missed appointments.",
        "Child brought to the emergency department with an injury not matching the account.",
        "GP concerned about the parent's deteriorating mental health.",
        "Several missed health appointments and the family could not be contacted.",
    ),
    "family": (
        "Grandparent worried about the children's care while the parent is drinking.",
        "Parent asking for help: cannot manage the child's behaviour at home.",
        "Neighbour reports children left alone in the flat in the evenings.",
        "Young person asked for help after an argument at home.",
    ),
    "services": (
        "Housing officer reports the family is in rent arrears and the home is overcrowded.",
        "Adult social care reports the parent's care needs are affecting the children.",
        "Family moved in from another authority, where the children were known.",
        "Early help worker reports no progress on the family plan after six months.",
        "Youth offending service concerned about the young person's associates.",
    ),
    "other": (
        "Anonymous caller concerned about shouting and crying from the flat.",
        "Voluntary sector worker concerned about the family's food and heating.",
        "Probation service shares that a new partner with relevant convictions lives there.",
    ),
}

SOURCE_GROUP: dict[str, str] = {
    Source.FAMILY: "family",
    Source.ACQUAINTANCE: "family",
    Source.SELF: "family",
    Source.OTHER_INDIVIDUAL: "family",
    Source.SCHOOLS: "school",
    Source.EDUCATION_SERVICES: "school",
    Source.GP: "health",
    Source.HEALTH_VISITOR: "health",
    Source.SCHOOL_NURSE: "health",
    Source.OTHER_PRIMARY_HEALTH: "health",
    Source.A_AND_E: "health",
    Source.OTHER_HEALTH: "health",
    Source.HOUSING: "services",
    Source.LA_SOCIAL_CARE: "services",
    Source.LA_OTHER_INTERNAL: "services",
    Source.LA_EXTERNAL: "services",
    Source.LA_EARLY_HELP: "services",
    Source.POLICE: "police",
    Source.OTHER_LEGAL: "other",
    Source.OTHER: "other",
    Source.ANONYMOUS: "other",
    Source.UNKNOWN: "other",
}

# The front door's rationale for its decision, by the outcome chosen.
RATIONALES: dict[str, tuple[str, ...]] = {
    "nfa": (
        "Single low-level concern; universal services are meeting the child's needs.",
        "Information shared for awareness; no unmet needs identified.",
    ),
    "advice": (
        "Advice given to the referrer on support available through universal services.",
        "Parent signposted to the family hub; no role for social care.",
    ),
    "early_help": (
        "Needs are additional but the family consents to and can use early help.",
        "Several agencies involved; a lead practitioner and family plan should help.",
    ),
    "referral": (
        "Possible significant harm: needs a social work assessment.",
        "Needs are complex and early help has not made enough difference.",
        "Child's needs cannot be met without social care services.",
    ),
}

# A manager's reason for deciding differently from what the threshold level suggests.
MANAGER_REASONS: dict[str, tuple[str, ...]] = {
    "referral": (
        "Pattern of repeated contacts: escalated for an assessment despite the level.",
        "History of previous involvement: an assessment is needed to understand the risk.",
    ),
    "early_help": (
        "Family already working with early help and making progress; kept there.",
        "Family consents to early help, which can start this week.",
    ),
    "advice": (
        "Information passed to the allocated early help worker; no further contact needed.",
    ),
    "nfa": ("Concern already addressed by the school and health visitor together.",),
}

REFERRAL_DECISION_REASONS: dict[str, tuple[str, ...]] = {
    "assessment": (
        "Child and family assessment to understand the child's needs.",
        "Needs appear complex: allocate for an assessment.",
    ),
    "strategy": (
        "Reasonable cause to suspect significant harm: strategy discussion today.",
        "Injury and disclosure: strategy discussion with police and health.",
    ),
    "nfa": (
        "Information only; needs met by universal services.",
        "Duplicate of a contact already dealt with; no further action.",
    ),
}

# Case notes: (subject, text, the youngest the oldest child can be for it to make sense).
NOTES: dict[str, tuple[tuple[str, str, int], ...]] = {
    "assessment": (
        ("Checks with school", "School reports attendance and presentation; shared plan.", 4),
        ("Call with health visitor", "Development checks up to date; agreed joint visit.", -1),
        ("Police checks", "Police checks returned; two previous domestic callouts.", -1),
        ("Parent's views", "Parent spoke about the pressures at home and agreed the plan.", -1),
    ),
    "cp": (
        ("Core group actions", "Actions from the core group followed up with the family.", -1),
        ("Call with school", "Attendance improved this month; child more settled.", 4),
        ("Unannounced visit", "Home conditions improved; food in the cupboards.", -1),
        ("Parenting programme", "Parent attended three of the six sessions so far.", -1),
    ),
    "cin": (
        ("Call with parent", "Parent reports things are calmer; child sleeping better.", -1),
        ("Team around the family", "Meeting with school and health: plan on track.", 4),
        ("Housing update", "Housing application submitted with a supporting letter.", -1),
        ("Respite update", "Short-break provision agreed for the summer.", 0),
    ),
}

SIGNIFICANT_NOTES: tuple[tuple[str, str, int], ...] = (
    ("Police called to a domestic incident", "Police attended overnight; children were in.", -1),
    ("Child attended A&E", "Attended with a head injury after a fall; discharged same day.", 0),
    ("Missing episode", "Young person missing for a night; return interview offered.", 11),
    ("Missed health appointment", "Third missed appointment; health visitor informed.", -1),
    ("Fixed-term exclusion", "Excluded from school for three days after an incident.", 6),
    ("New partner moved in", "Parent's new partner now lives at the home; checks requested.", -1),
    ("Family moved address", "Family moved to temporary accommodation in the borough.", -1),
    ("Positive review at school", "School reports the child is settled and doing well.", 4),
)

DECISIONS: dict[str, tuple[tuple[str, str], ...]] = {
    "allocate": (
        (
            "Allocate for a child and family assessment",
            "Needs appear complex; see the child within five working days.",
        ),
    ),
    "transfer": (
        (
            "Transfer to the child protection and CIN team",
            "Assessment complete; the plan needs a long-term worker.",
        ),
    ),
    "supervision": (
        ("Continue the current plan", "Progress is steady; review at the next supervision."),
        ("Increase visits to weekly", "Concerns about home conditions; visit weekly for now."),
        ("Request a legal planning meeting", "No progress on the plan; consider the PLO."),
        ("Refer the parent to drug and alcohol services", "Use is affecting the children."),
    ),
    "close": (
        ("Close the case", "Needs met; family agrees that the support can end."),
        ("Close with step-down to early help", "Family to work with the family hub."),
    ),
}

OUTLINE_PLANS: dict[str, str] = {
    "NEG": "Home conditions, food and hygiene to meet the child's needs; health appointments "
    "kept; school attendance above 90%.",
    "EMO": "Parents to engage with domestic abuse services; no arguments in front of the "
    "child; child to have direct work on feelings and safety.",
    "PHY": "No physical chastisement; parents to attend a parenting programme; the child "
    "seen alone at every visit.",
    "SAB": "Alleged perpetrator to have no contact with the child; protective parent "
    "supported; therapeutic support for the child.",
    "MUL": "Address neglect of basic care and the effect of domestic abuse; parents to work "
    "with substance misuse services.",
}

CIN_SUMMARIES = (
    "Support the parent to manage the child's behaviour and keep routines.",
    "Secure suitable housing and support with finances and benefits.",
    "Short breaks and support to meet the child's disability-related needs.",
    "Parent to work with adult mental health services; child to attend school daily.",
    "Stepped down from a child protection plan: keep the changes made under the plan.",
)

CIN_REVIEW_OUTCOMES = (
    "Progress made; plan continues.",
    "Some actions outstanding; plan continues with revised dates.",
    "Needs met; plan to end at the next review.",
)

STRATEGY_NOTES = {
    "s47": "Threshold for a section 47 enquiry met; joint visit with police agreed.",
    "no_s47": "Threshold for section 47 not met; continue the assessment as a child in need.",
}


# Why a contact or case was given its priority (issue 13): red always says why; amber and
# green often do.
PRIORITY_REASONS: dict[str, tuple[str, ...]] = {
    "red": (
        "Injury to a non-mobile baby with no explanation",
        "Child says they are afraid to go home tonight",
        "Police attended a domestic incident with a weapon; children present",
        "Disclosure of sexual abuse by a member of the household",
        "Child missing overnight and thought to be with older men",
        "Parent under the influence and alone in charge of a toddler",
    ),
    "amber": (
        "Repeated concerns from school about hunger and hygiene",
        "Third police notification of arguments at the home this year",
        "Mother's mental health has declined; support from family is limited",
        "Unexplained absences from school and a change in behaviour",
        "New adult in the household not known to services",
    ),
    "green": (
        "Family asking for support; no sign of immediate risk",
        "Needs are being met by universal services",
        "Concern resolved by the school's own response",
        "Parents engaging well with early help",
    ),
}


# The worker's assessment (issue 16 item 1), section by section: a few plain sentences each,
# chosen at random so that no two assessments read quite alike.
ASSESSMENT_SECTIONS: dict[str, tuple[str, ...]] = {
    "developmental_needs": (
        "Growing and meeting milestones; up to date with immunisations. Speech is a little "
        "behind for their age and the school has asked for a speech and language referral.",
        "Attendance at school is 82% this year; teachers describe a bright child who is often "
        "tired and sometimes hungry in the mornings. Dental check is overdue.",
        "Healthy weight and no concerns from the health visitor. Can be withdrawn with adults "
        "they do not know; plays well with their siblings.",
        "Struggles with anger at school and has had two short exclusions. Says they sleep "
        "badly. Identity: proud of their family's heritage and speaks two languages.",
        "Disability-related needs are well understood by the family; the child needs help "
        "with personal care and has a one-to-one at school.",
    ),
    "parenting_capacity": (
        "Mother is warm and affectionate and knows the child well. Routines around meals and "
        "bedtime have broken down since the family moved. Boundaries are inconsistent.",
        "Both parents attended every visit and engaged openly. Basic care is good; emotional "
        "warmth is evident. They find it hard to keep the child safe from the conflict "
        "between them.",
        "Father is the main carer and manages well day to day, but his drinking at weekends "
        "means the children are sometimes left to look after themselves.",
        "Parent's low mood affects their ability to get up and get the children to school. "
        "They recognise this and have asked for help.",
        "Grandmother provides much of the day-to-day care and stability. Mother's contact is "
        "regular but unpredictable.",
    ),
    "family_environment": (
        "Two-bedroom flat shared by five people; damp in the children's room. Rent arrears "
        "of about two months. Little support from wider family, who live abroad.",
        "Settled housing. Father works nights; money is tight but managed. Maternal aunt "
        "lives nearby and helps with school runs.",
        "Temporary accommodation since the family left the previous address after domestic "
        "abuse. The children changed school this term and have few friends nearby.",
        "Household income is benefits only; the family uses the food bank. Good links with "
        "the local church, which offers practical help.",
    ),
    "history": (
        "Two earlier contacts from the school about hunger and hygiene, both closed with "
        "advice. No previous social care assessment.",
        "Known to early help last year for parenting support, closed when things improved. "
        "Police attended the home twice in the past six months.",
        "A previous child in need plan ended two years ago. Mother has a history of "
        "depression; father had contact with substance misuse services in the past.",
        "First contact with this family. Health visitor records note missed appointments in "
        "the child's first year.",
    ),
    "analysis": (
        "The child's needs are not consistently met because of the parent's low mood and "
        "money worries. There is love and a willingness to change; with support the risks "
        "can be reduced.",
        "The conflict between the parents is the main risk: the child is frightened and "
        "their behaviour at school reflects this. The parents minimise the effect on the "
        "child.",
        "Neglect is cumulative rather than acute. Strengths: the child's relationship with "
        "the grandmother and the school's support. The risk is that things slip again "
        "without a plan.",
        "The family has coped with a difficult period and the needs identified are met by "
        "the support already in place. No further social care involvement is needed.",
        "The injury has not been explained and the account has changed. The child's words "
        "and the pattern of previous concerns point to significant harm.",
    ),
    "recommendation": (
        "A child in need plan: parenting support, a referral to adult mental health services "
        "and help with the rent arrears. Review in three months.",
        "A strategy discussion with the police and health, given the unexplained injury.",
        "Step down to early help through the school's family support worker.",
        "Close with advice; the family knows how to ask for help again.",
        "A child in need plan focused on safety at home and the child's school attendance.",
    ),
}

# The child's wishes and feelings, in their own words (young child, then older).
CHILD_WORDS: dict[str, tuple[str, ...]] = {
    "young": (
        "Drew a picture of home with everyone in it. Said: “I like it when Mummy reads to me. "
        "I don't like it when they shout.”",
        "Said: “My tummy hurts when I'm hungry at school.” Wants to have friends round to play.",
        "Too young to give views in words; observed to go to their mother for comfort and to "
        "be relaxed and playful at home.",
    ),
    "older": (
        "Said: “I just want it to be calm at home. I don't want anyone to get in trouble.”",
        "Said: “I'm OK at Nan's, it's quieter there.” Would like to see their dad more often.",
        "Said they are worried about their mum and try to look after their little brother. "
        "“I'd like someone to help Mum, not take us away.”",
        "Told me they feel safe at school but not always at home at night. Wants the "
        "shouting to stop.",
    ),
}

# Why a manager returned an assessment to the worker, and what a manager says on agreeing.
RETURN_REASONS = (
    "Please say more about what the school told you and how it fits with the parents' account.",
    "The analysis does not yet weigh the father's drinking: add what you found and what it "
    "means for the children.",
    "Add the child's own words from your visit; the views section is written about them, not by "
    "them.",
    "The recommendation does not follow from the analysis: explain why early help is enough.",
)
AUTHORISATION_COMMENTS = (
    "Agreed. A clear analysis with the child's voice throughout.",
    "Agreed: proceed as recommended.",
    "Agreed. Please make sure the plan includes the school.",
    "Agreed; the recommendation follows from the analysis.",
)

# Early help: the needs an early help assessment summarises, by the child's age ("young" under
# five, else "older"), and the team around the family's plan, reviews and endings.
EARLY_HELP_NEEDS: dict[str, tuple[str, ...]] = {
    "young": (
        "Parent finding it hard to manage the baby's sleep and feeding; low mood since the "
        "birth and little family support nearby.",
        "Missed health reviews and vaccinations; the home is cold and the family is behind with "
        "the rent.",
        "Child's speech is behind for their age; the parent would like help with play and "
        "routines and a nursery place.",
        "Arguments between the parents in front of the child; both want help to manage conflict.",
        "Family newly arrived in the borough, with no GP, no nursery and debts from the move.",
    ),
    "older": (
        "Attendance has fallen to 82% and the child is often late; the parent struggles with "
        "morning routines while working shifts.",
        "Child's behaviour at home and school has become hard to manage since the parents "
        "separated; the parent asks for parenting support.",
        "Young person low in mood and withdrawing from friends; spends most nights online.",
        "Overcrowded housing and money worries; the children share a room and homework suffers.",
        "Parent's health condition means the eldest child does much of the caring for siblings.",
        "Child excluded twice this term for fighting; the family wants help before it escalates.",
    ),
}
EARLY_HELP_OTHER_ORGANISATIONS = (
    "Kingsmere Family Hub",
    "Kingsmere Youth Service",
    "Kingsmere Housing Service",
    "Kingsmere Children's Centre",
)
TAF_PLANS = (
    "Parenting programme for eight weeks; school to offer a morning club; family support "
    "worker to visit weekly and help with routines.",
    "Referral to the benefits advice service; housing to review the family's application; "
    "health visitor to review development in three months.",
    "School counsellor weekly; parent to attend the family hub's support group; lead "
    "professional to check in every fortnight.",
    "Young carers' service assessment; GP to review the parent's treatment; school to give "
    "homework time at lunch.",
)
TAF_PROGRESS = (
    "Good progress: routines are settling and attendance is up. Plan continues unchanged.",
    "Some progress; the housing review is still awaited. Actions carried forward.",
    "Parent attending the group and reports feeling more confident. Two actions completed.",
    "Little change this period: the family missed two appointments. Lead to visit weekly.",
    "Child says things are calmer at home. The team agreed to review again in six weeks.",
)
TAF_END_NOTES = {
    "needs_met": "The plan's outcomes were met; the family knows how to ask for help again.",
    "consent_withdrawn": "The parent asked to end the support; universal services continue.",
    "moved_away": "The family moved out of the borough; the plan was shared with their new "
    "authority's early help service.",
    "stepped_up": "Concerns grew during the plan; the lead professional contacted the front "
    "door.",
    "other": "A new concern about the child led to a fresh early help assessment.",
}
