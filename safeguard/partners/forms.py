"""The lookup form, and the partner referral forms: input checks only."""

from django import forms
from django.core.exceptions import ValidationError

from safeguard.casework.forms import priority_field, priority_reason_field
from safeguard.core.forms import GovukDateField, GovukForm
from safeguard.partners.models import (
    REPORT_DUE_WORKING_DAYS,
    Article6Basis,
    Article9Condition,
    Attendance,
    ConferenceKind,
    Consent,
    RequestStage,
    Setting,
    SharingConsent,
    SharingDecision,
    StatutoryGateway,
    StepKind,
    Urgency,
)
from safeguard.partners.selectors import Search
from safeguard.people import identifiers
from safeguard.protection.models import ActionStatus
from safeguard.referrals.forms import SOURCE_CHOICES


class LookupForm(GovukForm):
    setting = forms.ChoiceField(
        label="Where are you seeing the child?",
        choices=Setting.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select where you are seeing the child"},
    )
    nhs_number = forms.CharField(
        label="NHS number",
        required=False,
        max_length=20,
        help_text=(
            "10 digits, like 943 476 5919; or leave it empty and give the name and date of birth"
        ),
    )
    given_name = forms.CharField(label="First name", required=False, max_length=100)
    family_name = forms.CharField(label="Last name", required=False, max_length=100)
    birth_date = GovukDateField(label="Date of birth", required=False)

    def clean_nhs_number(self):
        raw = (self.cleaned_data["nhs_number"] or "").strip()
        return identifiers.clean_nhs_number(raw) if raw else ""

    def clean(self):
        data = super().clean()
        if self.errors or data.get("nhs_number"):
            return data
        missing = [
            label
            for key, label in (
                ("given_name", "first name"),
                ("family_name", "last name"),
                ("birth_date", "date of birth"),
            )
            if not (data.get(key) and str(data[key]).strip())
        ]
        if missing:
            raise ValidationError(
                "Enter the NHS number, or the first name, last name and date of birth "
                f"(missing: {', '.join(missing)})"
            )
        return data

    def search(self) -> Search:
        data = self.cleaned_data
        if data["nhs_number"]:
            return Search(nhs_number=data["nhs_number"])
        return Search(
            given_name=data["given_name"],
            family_name=data["family_name"],
            birth_date=data["birth_date"],
        )


def _box(label: str, required_message: str = "", *, rows: int = 5, help_text: str = ""):
    return forms.CharField(
        label=label,
        required=bool(required_message),
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"required": required_message} if required_message else None,
    )


class ReferralForm(GovukForm):
    """A partner's referral to the front door (issue 17 item 3)."""

    given_names = forms.CharField(
        label="Child's first name", max_length=100,
        error_messages={"required": "Enter the child's first name"},
    )  # fmt: skip
    family_name = forms.CharField(
        label="Child's last name", max_length=100,
        error_messages={"required": "Enter the child's last name"},
    )  # fmt: skip
    date_of_birth = GovukDateField(
        label="Child's date of birth (if you know it)", required=False,
        error_label="Date of birth",
    )  # fmt: skip
    nhs_number = forms.CharField(
        label="NHS number (if you know it)", required=False, max_length=20,
        help_text="10 digits, like 943 476 5919",
    )  # fmt: skip
    address = _box("Where the child lives (if you know)", rows=3)
    postcode = forms.CharField(label="Postcode (if you know it)", required=False, max_length=8)
    worries = _box(
        "What are you worried about?",
        "Enter what you are worried about",
        rows=8,
        help_text=(
            "What you have seen or been told, by whom and when; what is happening for the "
            "child; anything already done to keep them safe"
        ),
    )
    consent = forms.ChoiceField(
        label="Did the family agree to this referral?",
        choices=Consent.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the family agreed to the referral"},
    )
    consent_note = _box(
        "If not, why not, or what did the family say?",
        rows=3,
        help_text=(
            "Needed unless the family agreed. Do not ask if asking would put the child at risk"
        ),
    )
    urgency = forms.ChoiceField(
        label="How urgent is this?",
        choices=Urgency.choices,
        widget=forms.RadioSelect,
        help_text="If a child is in immediate danger, ring 999 first",
        error_messages={"required": "Select how urgent this is"},
    )
    referrer_role = forms.CharField(
        label="Your role", max_length=100, error_messages={"required": "Enter your role"}
    )
    referrer_phone = forms.CharField(
        label="A telephone number the front door can reach you on", max_length=30,
        error_messages={"required": "Enter a telephone number"},
    )  # fmt: skip

    def clean_nhs_number(self):
        raw = (self.cleaned_data["nhs_number"] or "").strip()
        return identifiers.clean_nhs_number(raw) if raw else ""


NEW_CHILD = "new"


class RecordReferralForm(GovukForm):
    """The front door records a partner's referral as a contact: about which child (one of
    those found, or a new record), from which source, at what priority."""

    child = forms.ChoiceField(
        label="Which child is this?",
        widget=forms.RadioSelect,
        error_messages={"required": "Select the child, or make a new record"},
    )
    date_of_birth = GovukDateField(
        label="Date of birth, for a new record",
        required=False,
        error_label="Date of birth",
        help_text="Needed for a new record when the referral does not give it",
    )
    source = forms.ChoiceField(
        label="Who made the contact (census source)",
        choices=[],
        error_messages={"required": "Choose who made the contact"},
    )
    priority = priority_field()
    priority_reason = priority_reason_field("Needed for red")

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].choices = SOURCE_CHOICES
        choices = [
            (str(p.pk), f"{p.full_name}, born {p.date_of_birth:%-d %B %Y}"
             if p.date_of_birth else p.full_name)
            for p in candidates
        ]  # fmt: skip
        choices.append((NEW_CHILD, "None of these: make a new record from the referral"))
        self.fields["child"].choices = choices


class InformationRequestForm(GovukForm):
    """Social care asks a partner agency about a child (issue 17 item 4)."""

    agency = forms.ChoiceField(
        label="Which agency are you asking?",
        error_messages={"required": "Choose the agency you are asking"},
    )
    practitioner = forms.ChoiceField(
        label="Practitioner asked by name (optional)",
        required=False,
        help_text=(
            "The child's GP, health visitor or school's safeguarding lead, if they use "
            "Safeguard; otherwise anyone of the agency may answer"
        ),
    )
    stage = forms.ChoiceField(
        label="At what stage are you asking?",
        choices=RequestStage.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the stage the request is made at"},
    )
    question = _box(
        "What do you need to know?",
        "Enter what you are asking the agency",
        rows=6,
        help_text=(
            "The agency sees the child's name, date of birth and NHS number with this "
            "question, and nothing else of the record"
        ),
    )
    due_date = GovukDateField(
        label="Answer due by",
        error_messages={"required": "Enter the date the answer is due"},
        help_text="Checks at the front door are usually due within a working day",
    )

    def __init__(self, *args, agencies=(), practitioners=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.agencies = {str(a.pk): a for a in agencies}
        self.practitioners = {str(u.pk): u for u in practitioners}
        self.fields["agency"].choices = [("", "Choose an agency")] + [
            (key, f"{a.name} ({a.get_kind_display().lower()})") for key, a in self.agencies.items()
        ]
        self.fields["practitioner"].choices = [("", "Nobody by name: the agency")] + [
            (key, f"{u.get_full_name() or u.username}, {u.agency.name}"
             + (f" ({u.job_title})" if u.job_title else ""))
            for key, u in self.practitioners.items()
        ]  # fmt: skip

    def clean(self):
        data = super().clean()
        data["agency"] = self.agencies.get(data.get("agency") or "")
        data["practitioner"] = self.practitioners.get(data.get("practitioner") or "")
        return data


class InformationAnswerForm(GovukForm):
    answer = _box(
        "Your answer",
        "Enter your answer",
        rows=10,
        help_text=(
            "What your agency knows of the child and household that bears on the question: "
            "dates, sources, and what you did. It joins the child's chronology with your "
            "agency's name, and cannot be changed once sent"
        ),
    )


# --- Contributions to steps and plans (issue 17 item 5, decision 0069) ----------------------


class InvitationForm(GovukForm):
    """Social care invites a partner practitioner by name to a step of the child's case."""

    kind = forms.ChoiceField(
        label="What are you inviting them to?",
        choices=StepKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the step you are inviting them to"},
    )
    conference_kind = forms.ChoiceField(
        label="For a conference: which?",
        choices=[("", "Not a conference")] + ConferenceKind.choices,
        required=False,
    )
    meeting_date = GovukDateField(
        label="Date",
        error_messages={"required": "Enter the date"},
        help_text=(
            "The day of the meeting; for a section 47 enquiry, the day the agency's "
            "contribution is needed by. A conference's reports are due "
            f"{REPORT_DUE_WORKING_DAYS} working days before it"
        ),
    )
    practitioner = forms.ChoiceField(
        label="Practitioner invited",
        error_messages={"required": "Choose the practitioner you are inviting"},
    )
    purpose = _box(
        "What it is for, and what you ask of their agency",
        "Enter what the step is for and what you ask of the agency",
        rows=6,
        help_text=(
            "The practitioner sees the child's name, date of birth and NHS number with this, "
            "and nothing else of the record: say what they need to know"
        ),
    )

    def __init__(self, *args, practitioners=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.practitioners = {str(u.pk): u for u in practitioners}
        self.fields["practitioner"].choices = [("", "Choose a practitioner")] + [
            (key, f"{u.get_full_name() or u.username}, {u.agency.name}"
             + (f" ({u.job_title})" if u.job_title else ""))
            for key, u in self.practitioners.items()
        ]  # fmt: skip

    def clean(self):
        data = super().clean()
        data["practitioner"] = self.practitioners.get(data.get("practitioner") or "")
        return data


class AgencyReportForm(GovukForm):
    """A partner agency's report for a child protection conference (or another step)."""

    known = _box(
        "What your agency knows of the child and family",
        "Enter what your agency knows of the child and family",
        rows=8,
        help_text="Your agency's involvement, with dates: contacts, attendance, appointments",
    )
    concerns = _box(
        "Your agency's concerns",
        "",
        rows=6,
        help_text="What worries your agency about the child's safety and wellbeing, and why",
    )
    strengths = _box(
        "Strengths and protective factors",
        "",
        rows=4,
        help_text="What is working well for the child and family",
    )
    recommendation = _box(
        "Your agency's recommendation",
        "Enter your agency's recommendation",
        rows=4,
        help_text=(
            "For a conference: whether the child needs a child protection plan, and why. "
            "The report joins the child's chronology with your agency's name, and cannot be "
            "changed once sent"
        ),
    )


class InvitationWithdrawForm(GovukForm):
    """Why an invitation is withdrawn (decision 0073)."""

    reason = _box(
        "Why are you withdrawing the invitation?",
        "Enter why the invitation is withdrawn",
        rows=4,
        help_text=(
            "For example: the conference has moved, or another practitioner of the agency will "
            "report. The practitioner is told it is withdrawn; they are not shown this reason"
        ),
    )


class ConferenceAttendanceForm(GovukForm):
    """Whether each practitioner invited to a conference attended (decision 0073): one radio
    group an invitation, ``attendance_<id>``; left unanswered, it stays as it was."""

    def __init__(self, *args, invitations=(), **kwargs):
        super().__init__(*args, **kwargs)
        for invitation in invitations:
            self.fields[f"attendance_{invitation.pk}"] = forms.ChoiceField(
                label=f"{invitation.practitioner.get_full_name()}, {invitation.agency.name}",
                choices=Attendance.choices,
                widget=forms.RadioSelect,
                required=False,
                initial=invitation.attendance or None,
            )

    def marks(self) -> dict[str, str]:
        return {
            name.removeprefix("attendance_"): value
            for name, value in self.cleaned_data.items()
            if name.startswith("attendance_")
        }


class AgencyProgressForm(GovukForm):
    """Progress on a plan action, recorded today by the agency that owns it."""

    status = forms.ChoiceField(
        label="Status now",
        choices=ActionStatus.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the action's status"},
    )
    note = _box(
        "What has happened",
        "Write what has happened",
        rows=4,
        help_text="It joins the child's chronology with your agency's name",
    )


class SharingDecisionForm(GovukForm):
    """A decision to share, or not to share, information about a child (issue 17 item 6)."""

    decision = forms.ChoiceField(
        label="Was the information shared?",
        choices=SharingDecision.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the information was shared"},
    )
    information = _box(
        "What information?",
        "Enter what information was shared, or not shared",
        rows=4,
        help_text="What was asked for or offered, and what was (or was not) passed on",
    )
    recipient_agency = forms.ChoiceField(
        label="With whom: an agency of the authority",
        required=False,
        help_text="Or leave this and name the recipient below",
    )
    recipient_name = forms.CharField(
        label="With whom: someone outside the authority's agencies",
        required=False,
        max_length=200,
        help_text="Their name, role and organisation, such as a GP practice in another area",
    )
    reason = _box(
        "Why?",
        "Enter why you decided this",
        rows=4,
        help_text=(
            "Why sharing was, or was not, necessary and proportionate for the child's safety "
            "and welfare"
        ),
    )
    article_6_basis = forms.ChoiceField(
        label="Lawful basis: UK GDPR Article 6",
        required=False,
        choices=[("", "None: the information was not shared")] + Article6Basis.choices,
        help_text="Needed when the information was shared",
    )
    article_9_condition = forms.ChoiceField(
        label="Condition for special category information: UK GDPR Article 9",
        required=False,
        choices=Article9Condition.choices,
    )
    statutory_gateway = forms.ChoiceField(
        label="Statutory gateway",
        required=False,
        choices=StatutoryGateway.choices,
    )
    consent = forms.ChoiceField(
        label="Was consent sought?",
        choices=SharingConsent.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether consent was sought"},
    )
    consent_not_sought_reason = _box(
        "If consent was not sought, why not?",
        rows=3,
        help_text=(
            "Needed when it was not sought: for example, asking would put the child at risk "
            "of significant harm or prejudice a police investigation"
        ),
    )
    decided_by = forms.ChoiceField(
        label="Who decided?", error_messages={"required": "Choose who decided"}
    )
    decided_on = GovukDateField(
        label="Date of the decision",
        error_messages={"required": "Enter the date of the decision"},
    )

    def __init__(self, *args, recipients=(), deciders=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.recipients = {str(a.pk): a for a in recipients}
        self.deciders = {str(u.pk): u for u in deciders}
        self.fields["recipient_agency"].choices = [("", "Someone outside: named below")] + [
            (key, a.name) for key, a in self.recipients.items()
        ]
        self.fields["decided_by"].choices = [("", "Choose who decided")] + [
            (key, (u.get_full_name() or u.username) + (f" ({u.job_title})" if u.job_title else ""))
            for key, u in self.deciders.items()
        ]

    def clean(self):
        data = super().clean()
        data["recipient_agency"] = self.recipients.get(data.get("recipient_agency") or "")
        data["decided_by"] = self.deciders.get(data.get("decided_by") or "")
        return data
