"""Keys for the partners' API, and the record of every child-protection lookup.

The answer to a lookup is never stored: it is read from the live record each time (issue 17:
nobody keeps a list). What is kept is who asked, how, and whether a child was found, so that
keys can be rate-limited and a lookup that found nobody is on record too (it has no person
for the access log).
"""

import hashlib
from datetime import date

from django.conf import settings
from django.db import models
from django.utils import timezone

from safeguard.core.models import BaseModel
from safeguard.core.workdays import add_working_days
from safeguard.protection.models import PlanActionProgress


class Scope(models.TextChoices):
    CP_LOOKUP = "cp-lookup", "Child-protection lookup"


class Setting(models.TextChoices):
    """Where the clinician is working: the unscheduled-care settings of issue 17."""

    EMERGENCY_DEPARTMENT = "emergency_department", "Emergency department"
    URGENT_CARE = "urgent_care", "Urgent treatment centre or minor injuries unit"
    OUT_OF_HOURS = "out_of_hours", "GP out-of-hours service"
    MATERNITY = "maternity", "Maternity unit"
    AMBULANCE = "ambulance", "Ambulance service"


def hash_key(key: str) -> str:
    """The stored form of a key: SHA-256. A key is 256 random bits, so a fast hash is enough;
    a slow password hash would only slow every call."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


class ApiKey(models.Model):
    """An organisation's key to the API. Only its hash is kept; the key is shown once.

    ``account`` is the organisation's API account: the user the access log names for every
    call made with the key (it has no password and cannot sign in)."""

    organisation = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="api_keys"
    )
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="api_keys"
    )
    # The first characters of the key, shown in lists and the log so a key can be named
    # without revealing it.
    prefix = models.CharField(max_length=16, unique=True)
    key_hash = models.CharField(max_length=64, unique=True)
    scopes = models.JSONField(default=list)
    rate_limit_per_minute = models.PositiveIntegerField(default=60)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "API key"

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.organisation})"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    def allows(self, scope: str) -> bool:
        return scope in self.scopes


class LookupWay(models.TextChoices):
    WEB = "web", "Lookup page"
    API = "api", "API (JSON)"
    FHIR = "fhir", "API (FHIR Flag)"


class LookupAnswer(models.TextChoices):
    CURRENT_PLAN = "current_plan", "On a child protection plan now"
    RECENT_PLAN = "recent_plan", "On a child protection plan in the last 12 months"
    NO_PLAN = "no_plan", "No plan now or in the last 12 months"
    NOT_FOUND = "not_found", "No child found"
    SEVERAL = "several", "More than one child matched"


class Lookup(models.Model):
    """One child-protection lookup: by whom, how, and what it answered. Never the search
    terms themselves (an NHS number, a name), which would make this a second index of
    children."""

    at = models.DateTimeField(default=timezone.now)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    api_key = models.ForeignKey(
        ApiKey, on_delete=models.PROTECT, related_name="lookups", null=True, blank=True
    )
    way = models.CharField(max_length=10, choices=LookupWay.choices)
    by_nhs_number = models.BooleanField()
    setting = models.CharField(max_length=30, choices=Setting.choices, blank=True)
    answer = models.CharField(max_length=20, choices=LookupAnswer.choices)
    # Plain ids, as in the access log: the record of a lookup never blocks a lawful deletion.
    person_id = models.UUIDField(null=True, blank=True)
    notified = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-at"]
        indexes = [
            # The calls a key made in the last minute (its rate limit).
            models.Index(fields=["api_key", "at"], name="lookup_key_at"),
            models.Index(fields=["person_id", "at"], name="lookup_person_at"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.way} {self.answer}"


class Consent(models.TextChoices):
    GIVEN = "given", "Yes: the family agreed to the referral"
    REFUSED = "refused", "Asked, and the family refused"
    NOT_SOUGHT = "not_sought", "Not asked"


class Urgency(models.TextChoices):
    """How soon the referrer thinks the front door must act. It sets the contact's priority
    when the front door records it (``services.URGENCY_PRIORITY``), which the front door may
    change with its reason."""

    IMMEDIATE = "immediate", "Today: the child may be at risk of significant harm now"
    SOON = "soon", "Within a working day"
    ROUTINE = "routine", "Not urgent: support may be needed"


class PartnerReferral(BaseModel):
    """A referral sent by partner staff through Safeguard's web form (issue 17 item 3): the
    child as the referrer knows them, what worries them, consent, and urgency. The front door
    records it as a contact (``contact``), about a child it has found or created; the referrer
    then sees its status and outcome, and nothing else of the record.

    The child's details are kept as the referrer gave them, even after the contact names a
    child on record: they are what the partner said."""

    authority = models.ForeignKey(
        "accounts.LocalAuthority", on_delete=models.PROTECT, related_name="+"
    )
    referrer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="partner_referrals"
    )
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    received_at = models.DateTimeField()
    referrer_phone = models.CharField(max_length=30)
    referrer_role = models.CharField(max_length=100)
    given_names = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    date_of_birth = models.DateField(null=True, blank=True)
    nhs_number = models.CharField(max_length=10, blank=True)
    address = models.TextField(blank=True)
    postcode = models.CharField(max_length=8, blank=True)
    worries = models.TextField()
    consent = models.CharField(max_length=12, choices=Consent.choices)
    consent_note = models.TextField(blank=True)
    urgency = models.CharField(max_length=10, choices=Urgency.choices)
    contact = models.OneToOneField(
        "referrals.Contact", on_delete=models.PROTECT, null=True, blank=True,
        related_name="partner_referral",
    )  # fmt: skip
    # When the referrer was told the outcome (Working Together asks for feedback).
    outcome_told_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-received_at"]
        indexes = [
            # The front door's list of referrals still to record, oldest first.
            models.Index(
                fields=["authority", "contact", "received_at"], name="partner_ref_waiting"
            ),
        ]

    def __str__(self) -> str:
        return f"Referral from {self.agency} at {self.received_at:%Y-%m-%d %H:%M}"

    @property
    def child_name(self) -> str:
        return f"{self.given_names} {self.family_name}".strip()


# --- Information requests (issue 17 item 4, decision 0066) --------------------------------


class RequestStage(models.TextChoices):
    """Where in the child's journey social care asks: the checks of the front door, an
    assessment, a section 47 enquiry, or another time."""

    FRONT_DOOR = "front_door", "Front door (contact)"
    ASSESSMENT = "assessment", "Assessment"
    SECTION_47 = "section47", "Section 47 enquiry"
    OTHER = "other", "Other"


class InformationRequest(BaseModel):
    """Social care asks a partner agency (a GP, a health visitor, a school, the police) what
    it knows of a child, by a date; the agency's practitioner answers in Safeguard, once.

    The agency sees only the child's name, date of birth and NHS number with the question:
    nothing else of the record (``permissions``). ``days_to_answer`` (calendar days from the
    day sent to the day answered) is kept with the answer, which never changes, so that the
    response times by agency are one aggregate over plain numbers."""

    authority = models.ForeignKey(
        "accounts.LocalAuthority", on_delete=models.PROTECT, related_name="+"
    )
    child = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="information_requests"
    )
    case = models.ForeignKey(
        "casework.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    contact = models.ForeignKey(
        "referrals.Contact", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    stage = models.CharField(max_length=12, choices=RequestStage.choices)
    agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="information_requests"
    )
    # The practitioner asked by name (the child's GP, their health visitor); empty: anyone of
    # the agency answers.
    practitioner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="information_requests_named",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    sent_at = models.DateTimeField(default=timezone.now)
    question = models.TextField()
    due_date = models.DateField()
    answer = models.TextField(blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    days_to_answer = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-sent_at"]
        indexes = [
            # An agency's requests, open ones first by due date; and the figures by agency.
            models.Index(fields=["agency", "answered_at", "due_date"], name="info_req_agency"),
            models.Index(fields=["child", "sent_at"], name="info_req_child"),
        ]
        constraints = [
            # An answer has who gave it and when; no answer has neither.
            models.CheckConstraint(
                condition=(
                    models.Q(
                        answer="",
                        answered_by__isnull=True,
                        answered_at__isnull=True,
                        days_to_answer__isnull=True,
                    )
                    | (
                        ~models.Q(answer="")
                        & models.Q(
                            answered_by__isnull=False,
                            answered_at__isnull=False,
                            days_to_answer__isnull=False,
                        )
                    )
                ),
                name="info_request_answer_has_who_and_when",
            ),
        ]

    def __str__(self) -> str:
        return f"Information request to {self.agency_id} due {self.due_date:%Y-%m-%d}"

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None

    def is_late(self, on: date) -> bool:
        """Open past its due date: late on the day after the due date."""
        return not self.is_answered and self.due_date < on

    @property
    def answered_on_time(self) -> bool | None:
        """Answered on or before the due date (None while open)."""
        if not self.is_answered:
            return None
        return timezone.localdate(self.answered_at) <= self.due_date

    def status(self, on: date) -> str:
        if self.is_answered:
            return "answered"
        return "late" if self.is_late(on) else "open"


class InformationAnswer(InformationRequest):
    """The answer to a request, as the source of its own chronology entry: the child's
    chronology keeps one entry per source, and the request (asked on one day) and its answer
    (given on another, by the agency) are two events."""

    class Meta:
        proxy = True


# --- Contributions to steps and plans (issue 17 item 5, decision 0069) ----------------------

# A local standard: an agency's report for a conference is due this many working days before
# it, so that the chair can read it and the family can be shown it before they walk in
# (decision 0069). A review conference keeps the same standard.
REPORT_DUE_WORKING_DAYS = 3
# In calendar days, the most a report can be due before its conference: three working days, a
# weekend and the Christmas or Easter bank holidays fit well inside it. Who looks for the
# reports due in a span of days reads the conferences up to this much after it (decision 0073).
REPORT_DUE_AT_MOST_DAYS_BEFORE = 21


def report_due_on(kind: str, meeting_date: date) -> date:
    """The day an agency's report for a step of ``kind`` on ``meeting_date`` is due by:
    ``REPORT_DUE_WORKING_DAYS`` working days before a conference; the day itself for the
    other steps."""
    if kind == "conference":
        return add_working_days(meeting_date, -REPORT_DUE_WORKING_DAYS)
    return meeting_date


class StepKind(models.TextChoices):
    """The steps of child protection a partner practitioner is invited to."""

    STRATEGY = "strategy", "Strategy discussion"
    SECTION_47 = "section47", "Section 47 enquiry"
    CONFERENCE = "conference", "Child protection conference"
    CORE_GROUP = "core_group", "Core group meeting"


class ConferenceKind(models.TextChoices):
    INITIAL = "initial", "Initial child protection conference"
    REVIEW = "review", "Review child protection conference"


class Attendance(models.TextChoices):
    """Whether the practitioner invited came to the conference (decision 0073)."""

    ATTENDED = "attended", "Attended"
    APOLOGIES = "apologies", "Sent apologies"
    ABSENT = "absent", "Did not attend"


class StepInvitation(BaseModel):
    """Social care invites a partner practitioner by name to a step of a child's child
    protection work (a strategy discussion, a section 47 enquiry, a conference or a core
    group) on a date, saying what it is for; the practitioner sees only that (with the child's
    name, date of birth and NHS number) and sends their agency's report before it, once.

    A step is recorded once it has happened, and the invitation comes before: the invitation
    names its step by the case, the kind and the date (``meeting_date``: the meeting's day, or
    for an enquiry the day the agency's contribution is needed by). The conference recorded on
    that case on that day is the one its reports were for (``selectors.conference_reports``).

    The report's submission time is stored; whether it was on time is worked out from the due
    date (``report_due_on``), never stored."""

    authority = models.ForeignKey(
        "accounts.LocalAuthority", on_delete=models.PROTECT, related_name="+"
    )
    case = models.ForeignKey("casework.Case", on_delete=models.PROTECT, related_name="+")
    child = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=12, choices=StepKind.choices)
    conference_kind = models.CharField(max_length=12, choices=ConferenceKind.choices, blank=True)
    meeting_date = models.DateField()
    purpose = models.TextField()
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    practitioner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="step_invitations"
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    invited_at = models.DateTimeField(default=timezone.now)
    # The agency's report (a child protection conference's agency report): empty until sent.
    known = models.TextField("what the agency knows of the child and family", blank=True)
    concerns = models.TextField("the agency's concerns", blank=True)
    strengths = models.TextField("strengths and protective factors", blank=True)
    recommendation = models.TextField("the agency's recommendation", blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reported_at = models.DateTimeField(null=True, blank=True)
    # Withdrawn by whoever may invite to the step, with a reason, while no report has been
    # sent (decision 0073): the practitioner no longer sees the step, and no report is due.
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    withdrawal_reason = models.TextField("why the invitation was withdrawn", blank=True)
    # When the practitioner was reminded that their conference report is overdue (decision
    # 0073): once per invitation, by the nightly job.
    reminded_at = models.DateTimeField(null=True, blank=True)
    # Whether they came to the conference, marked by social care or the chair once it was held
    # (decision 0073): attendance by named agency. Empty until marked.
    attendance = models.CharField(max_length=10, choices=Attendance.choices, blank=True)

    class Meta:
        ordering = ["meeting_date", "invited_at"]
        indexes = [
            # A practitioner's invitations, soonest first.
            models.Index(fields=["practitioner", "meeting_date"], name="invitation_practitioner"),
            # A conference's invitations and reports: its case, kind and day.
            models.Index(fields=["case", "kind", "meeting_date"], name="invitation_step"),
        ]
        constraints = [
            # Once per step while not withdrawn: one withdrawn may be made again.
            models.UniqueConstraint(
                fields=["case", "kind", "meeting_date", "practitioner"],
                condition=models.Q(withdrawn_at__isnull=True),
                name="invitation_once_per_step",
            ),
            # A withdrawal has who, when and why; an invitation not withdrawn has none; an
            # invitation whose report was sent is never withdrawn.
            models.CheckConstraint(
                condition=(
                    models.Q(
                        withdrawn_at__isnull=True, withdrawn_by__isnull=True, withdrawal_reason=""
                    )
                    | (
                        models.Q(
                            withdrawn_at__isnull=False,
                            withdrawn_by__isnull=False,
                            reported_at__isnull=True,
                        )
                        & ~models.Q(withdrawal_reason="")
                    )
                ),
                name="invitation_withdrawal_has_who_when_why",
            ),
            # A report has who sent it and when; no report has neither.
            models.CheckConstraint(
                condition=(
                    models.Q(
                        known="",
                        concerns="",
                        strengths="",
                        recommendation="",
                        reported_by__isnull=True,
                        reported_at__isnull=True,
                    )
                    | (
                        ~models.Q(known="")
                        & models.Q(reported_by__isnull=False, reported_at__isnull=False)
                    )
                ),
                name="invitation_report_has_who_and_when",
            ),
            # A conference says whether it is an initial or a review conference; nothing else does.
            models.CheckConstraint(
                condition=(models.Q(kind="conference") & ~models.Q(conference_kind=""))
                | (~models.Q(kind="conference") & models.Q(conference_kind="")),
                name="invitation_conference_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"Invitation to a {self.kind} on {self.meeting_date:%Y-%m-%d}"

    @property
    def step_label(self) -> str:
        if self.kind == StepKind.CONFERENCE and self.conference_kind:
            return ConferenceKind(self.conference_kind).label
        return StepKind(self.kind).label

    @property
    def is_reported(self) -> bool:
        return self.reported_at is not None

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    def report_due_on(self) -> date:
        """The day the agency's report is due by: ``REPORT_DUE_WORKING_DAYS`` working days
        before a conference; the day itself for the other steps."""
        return report_due_on(self.kind, self.meeting_date)

    @property
    def reported_on_time(self) -> bool | None:
        """Sent on or before its due day (None while not sent)."""
        if not self.is_reported:
            return None
        return timezone.localdate(self.reported_at) <= self.report_due_on()

    def report_status(self, on: date) -> str:
        """ "on_time" or "late" once sent; "withdrawn"; "overdue" while missing after its due
        day; else "waiting"."""
        if self.is_withdrawn:
            return "withdrawn"
        if self.is_reported:
            return "on_time" if self.reported_on_time else "late"
        return "overdue" if self.report_due_on() < on else "waiting"


class InvitationReport(StepInvitation):
    """An agency's report, as the source of its own chronology entry (the invitation's id):
    the invitation and the report are two events."""

    class Meta:
        proxy = True


class AgencyProgress(PlanActionProgress):
    """Progress a partner agency recorded on a plan action it owns, as the source of its
    chronology entry (marked with the agency), which links to the progress's page."""

    class Meta:
        proxy = True


# --- Information-sharing decisions (issue 17 item 6, decision 0070) -------------------------


class SharingDecision(models.TextChoices):
    SHARED = "shared", "Shared"
    NOT_SHARED = "not_shared", "Not shared"


class Article6Basis(models.TextChoices):
    """UK GDPR Article 6(1): the lawful basis for processing personal data. In safeguarding a
    public authority usually relies on public task or legal obligation, and on vital interests
    where a life is at risk; consent is rarely the right basis (HM Government, Information
    sharing advice for safeguarding practitioners, 2024)."""

    PUBLIC_TASK = (
        "6_1_e",
        "Article 6(1)(e) public task: a task in the public interest or under official authority",
    )
    LEGAL_OBLIGATION = "6_1_c", "Article 6(1)(c) legal obligation: the law requires it"
    VITAL_INTERESTS = "6_1_d", "Article 6(1)(d) vital interests: to protect someone's life"
    CONSENT = "6_1_a", "Article 6(1)(a) consent: the person agreed"
    CONTRACT = "6_1_b", "Article 6(1)(b) contract"
    LEGITIMATE_INTERESTS = (
        "6_1_f",
        "Article 6(1)(f) legitimate interests (not for public authorities' tasks)",
    )


class Article9Condition(models.TextChoices):
    """UK GDPR Article 9(2): the condition for special category data (health, ethnicity,
    religion, sex life, biometrics), with the Data Protection Act 2018's Schedule 1 condition
    safeguarding relies on. Empty: no special category information was shared."""

    NONE = "", "None: no special category information (health, ethnicity, religion, sex life)"
    SAFEGUARDING = (
        "9_2_g_sch1_18",
        "Article 9(2)(g) substantial public interest: safeguarding of children and "
        "individuals at risk (DPA 2018 Schedule 1 paragraph 18)",
    )
    STATUTORY = (
        "9_2_g_sch1_6",
        "Article 9(2)(g) substantial public interest: statutory and government purposes "
        "(DPA 2018 Schedule 1 paragraph 6)",
    )
    HEALTH_SOCIAL_CARE = "9_2_h", "Article 9(2)(h) health or social care"
    VITAL_INTERESTS = "9_2_c", "Article 9(2)(c) vital interests: the person cannot consent"
    LEGAL_CLAIMS = "9_2_f", "Article 9(2)(f) legal claims or courts acting judicially"
    EXPLICIT_CONSENT = "9_2_a", "Article 9(2)(a) explicit consent"
    EMPLOYMENT_SOCIAL_PROTECTION = (
        "9_2_b",
        "Article 9(2)(b) employment, social security and social protection law",
    )


class StatutoryGateway(models.TextChoices):
    """The law that lets or requires the information to be shared: the gateways safeguarding
    commonly relies on. Empty: none named (the Article 6 basis stands on its own)."""

    NONE = "", "None named"
    CA1989_S17 = "ca1989_s17", "Children Act 1989 section 17: services for children in need"
    CA1989_S27 = "ca1989_s27", "Children Act 1989 section 27: co-operation between authorities"
    CA1989_S47 = "ca1989_s47", "Children Act 1989 section 47: enquiries about significant harm"
    CA2004_S10 = "ca2004_s10", "Children Act 2004 section 10: co-operation to improve well-being"
    CA2004_S11 = "ca2004_s11", "Children Act 2004 section 11: duty to safeguard and promote welfare"
    CDA1998_S115 = (
        "cda1998_s115",
        "Crime and Disorder Act 1998 section 115: preventing and detecting crime",
    )
    CSA2017_S16H = (
        "csa2017_s16h",
        "Children and Social Work Act 2017 section 16H: safeguarding partners' information",
    )
    EA2002_S175 = "ea2002_s175", "Education Act 2002 section 175: schools' safeguarding duty"
    DPA2018_S8 = "dpa2018_s8", "Data Protection Act 2018 section 8: processing for a public task"
    COURT_ORDER = "court_order", "An order of the court"


class SharingConsent(models.TextChoices):
    AGREED = "agreed", "Yes: sought, and the family (or the young person) agreed"
    REFUSED = "refused", "Yes: sought, and they refused"
    NOT_SOUGHT = "not_sought", "No: consent was not sought"


class InformationSharingDecision(BaseModel):
    """A decision to share, or not to share, information about a child (issue 17 item 6):
    what, with whom (an agency of the authority, or a recipient outside it named in words),
    why, the lawful basis (Article 6, an Article 9 condition for special category
    information, and the statutory gateway), whether consent was sought (or why not), who
    decided and when, and who recorded it.

    ``agency`` is whose decision it is: children's social care's, or a partner agency's, made
    by its own staff (decision 0070). A decision is a record of what was decided, and is
    never changed: a later decision is recorded as a new one."""

    authority = models.ForeignKey(
        "accounts.LocalAuthority", on_delete=models.PROTECT, related_name="+"
    )
    child = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="sharing_decisions"
    )
    case = models.ForeignKey(
        "casework.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    agency = models.ForeignKey(
        "accounts.Agency",
        on_delete=models.PROTECT,
        related_name="sharing_decisions",
        verbose_name="whose decision (agency)",
    )
    decision = models.CharField(max_length=12, choices=SharingDecision.choices)
    information = models.TextField(verbose_name="what information")
    recipient_agency = models.ForeignKey(
        "accounts.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sharing_decisions_received",
        verbose_name="with whom (an agency of the authority)",
    )
    recipient_name = models.CharField(
        max_length=200, blank=True, verbose_name="with whom (named outside the authority)"
    )
    reason = models.TextField(verbose_name="why")
    article_6_basis = models.CharField(
        max_length=8,
        choices=Article6Basis.choices,
        blank=True,
        verbose_name="UK GDPR Article 6 basis",
    )
    article_9_condition = models.CharField(
        max_length=16, choices=Article9Condition.choices, blank=True,
        verbose_name="UK GDPR Article 9 condition",
    )  # fmt: skip
    statutory_gateway = models.CharField(
        max_length=16, choices=StatutoryGateway.choices, blank=True
    )
    consent = models.CharField(
        max_length=12, choices=SharingConsent.choices, verbose_name="consent sought"
    )
    consent_not_sought_reason = models.TextField(
        blank=True, verbose_name="why consent was not sought"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_on = models.DateField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-decided_on", "-created_at"]
        indexes = [
            models.Index(fields=["child", "decided_on"], name="sharing_child"),
        ]
        constraints = [
            # With whom: an agency of the authority, or a recipient named in words; never both.
            models.CheckConstraint(
                condition=(
                    (models.Q(recipient_agency__isnull=False) & models.Q(recipient_name=""))
                    | (models.Q(recipient_agency__isnull=True) & ~models.Q(recipient_name=""))
                ),
                name="sharing_one_recipient",
            ),
            # Consent not sought has its reason; sought has none.
            models.CheckConstraint(
                condition=(models.Q(consent="not_sought") & ~models.Q(consent_not_sought_reason=""))
                | (~models.Q(consent="not_sought") & models.Q(consent_not_sought_reason="")),
                name="sharing_consent_reason",
            ),
            # Information shared names its Article 6 basis.
            models.CheckConstraint(
                condition=~models.Q(decision="shared") | ~models.Q(article_6_basis=""),
                name="sharing_shared_has_basis",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_decision_display()} with {self.recipient} on {self.decided_on:%Y-%m-%d}"

    @property
    def recipient(self) -> str:
        return self.recipient_agency.name if self.recipient_agency_id else self.recipient_name
