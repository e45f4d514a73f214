"""Code lists for early help. These are local lists, not census codes: early help is not in
the CIN census; Ofsted's Annex A (list 2) asks only for the assessment's dates and the
organisation that completed it."""

from django.db import models


class AssessmentOutcome(models.TextChoices):
    """What an early help assessment led to."""

    TEAM_AROUND_FAMILY = "taf", "Team around the family"
    SINGLE_AGENCY = "single_agency", "Single-agency support"
    STEP_UP = "step_up", "Step up to children's social care"
    NO_FURTHER_ACTION = "nfa", "No further action"


class TAFEndReason(models.TextChoices):
    NEEDS_MET = "needs_met", "Needs met"
    STEPPED_UP = "stepped_up", "Stepped up to children's social care"
    CONSENT_WITHDRAWN = "consent_withdrawn", "Family withdrew consent"
    MOVED_AWAY = "moved_away", "Family moved away"
    OTHER = "other", "Other"


class HandoverDirection(models.TextChoices):
    STEP_UP = "step_up", "Step-up from early help to the front door"
    STEP_DOWN = "step_down", "Step-down from children's social care to early help"
