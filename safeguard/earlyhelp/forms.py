"""Forms for early help pages: input checks only. The rules (dates against the child's birth
and each other, consent, one team at a time, no team while a case is open, who may lead)
live in the services."""

from django import forms

from safeguard.accounts.models import Agency
from safeguard.accounts.selectors import working_agencies
from safeguard.core.forms import GovukDateField, GovukForm, PeopleRowsField, PeopleRowsWidget
from safeguard.directory.codes import Need
from safeguard.earlyhelp import selectors
from safeguard.earlyhelp.codes import AssessmentOutcome, TAFEndReason
from safeguard.earlyhelp.models import CAF_DOMAINS
from safeguard.people import identifiers
from safeguard.people.codes import Sex

YES_NO = [("yes", "Yes"), ("no", "No")]
MAX_TEXT = 200


def _yes_no(value) -> bool:
    return value == "yes"


def _text(label: str, required_message: str = "", *, rows=None, help_text="", max_length=None):
    """A text field; it is required when it has a message for leaving it empty."""
    widget = forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput
    return forms.CharField(
        label=label,
        required=bool(required_message),
        max_length=max_length,
        widget=widget,
        help_text=help_text,
        error_messages={"required": required_message} if required_message else None,
    )


def _choice_errors(what: str) -> dict:
    return {"required": f"Choose {what}", "invalid_choice": f"Choose {what} from the list"}


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj}, {obj.agency} ({obj.job_title or obj.get_role_display()})"


class ContactChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"Contact of {obj.contact_date:%d %B %Y} ({obj.get_source_display()})"


class CaseChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        if obj.closure_date:
            return f"Case referred {obj.referral_date:%d %B %Y}, closed {obj.closure_date:%d %B %Y}"
        return f"Case referred {obj.referral_date:%d %B %Y} (open)"


class AssessmentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        state = (
            f"completed {obj.completed_date:%d %B %Y}: {obj.get_outcome_display().lower()}"
            if obj.completed_date
            else "in progress"
        )
        return f"Assessment started {obj.start_date:%d %B %Y}, {state}"


# --- Members of a team around the family --------------------------------------------------------


def agency_names(authority_id) -> list[str]:
    """Suggestions for agency inputs, so that the same agency is written the same way."""
    return list(working_agencies(authority_id).values_list("name", flat=True))


# --- The lead professional, shared by both start forms ------------------------------------------


class LeadProfessionalForm(GovukForm):
    lead_user = StaffChoiceField(
        label="Lead professional",
        queryset=None,
        required=False,
        empty_label="Someone without a Safeguard account (enter their details below)",
        help_text="Staff who may record this child's early help",
        error_messages={"invalid_choice": "Choose the lead professional from the list"},
    )
    lead_name = _text(
        "Lead professional's name",
        help_text="Leave the name, agency and role blank to use those of the person chosen above",
        max_length=MAX_TEXT,
    )
    lead_agency = forms.CharField(
        label="Lead professional's agency", required=False, max_length=MAX_TEXT
    )
    lead_role = _text("Lead professional's role", max_length=MAX_TEXT)

    def __init__(self, *args, child, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_user"].queryset = selectors.possible_leads(child)


# --- Early help assessments ---------------------------------------------------------------------


# The directory's needs under the CAF domain they belong to (directory.codes.Need is listed
# domain by domain: the child's development, parents and carers, family and environment).
NEEDS_BY_DOMAIN = {
    "child_development": [
        Need.PHYSICAL_HEALTH,
        Need.EMOTIONAL_WELLBEING,
        Need.BEHAVIOUR,
        Need.SCHOOL_ATTENDANCE,
        Need.SEND,
        Need.YOUNG_CARER,
        Need.EXPLOITATION_RISK,
        Need.OFFENDING_RISK,
    ],
    "parents_carers": [
        Need.PARENTING,
        Need.DOMESTIC_ABUSE,
        Need.PARENTAL_MENTAL_HEALTH,
        Need.SUBSTANCE_MISUSE,
    ],
    "family_environment": [Need.HOUSING, Need.FINANCIAL, Need.EMPLOYMENT, Need.ISOLATION],
}


def _domain_fields() -> dict:
    fields = {}
    for key, label, elements in CAF_DOMAINS:
        fields[f"{key}_strengths"] = _text(
            f"{label}: strengths", rows=4, help_text=f"What is going well. {elements}."
        )
        fields[f"{key}_needs"] = _text(f"{label}: needs", rows=4, help_text="What needs to change")
        needs = NEEDS_BY_DOMAIN[key]
        fields[f"{key}_codes"] = forms.MultipleChoiceField(
            label=f"{label}: needs identified",
            choices=[(n.value, n.label) for n in needs],
            required=False,
            widget=forms.CheckboxSelectMultiple,
            help_text="Used to suggest local services",
            error_messages={"invalid_choice": "Choose the needs identified from the list"},
        )
    return fields


DOMAIN_FIELD_NAMES = list(_domain_fields())


class AssessmentStartForm(LeadProfessionalForm):
    field_order = [
        "start_date",
        "organisation",
        "organisation_other",
        "consent_given",
        "consent_date",
        "consent_by",
        "consent_not_sought_reason",
        *DOMAIN_FIELD_NAMES,
        "lead_user",
        "lead_name",
        "lead_agency",
        "lead_role",
        "needs",
        "contact",
        "stepped_down_from",
    ]

    start_date = GovukDateField(label="Date the assessment started", error_label="Start date")
    organisation = forms.ModelChoiceField(
        label="Organisation completing the assessment",
        queryset=Agency.objects.none(),
        required=False,
        empty_label="Another organisation (enter its name below)",
        error_messages={"invalid_choice": "Choose the organisation from the list"},
    )
    organisation_other = _text(
        "Other organisation",
        help_text="For example a nursery, a GP practice or a school outside the list",
        max_length=MAX_TEXT,
    )
    consent_given = forms.TypedChoiceField(
        label="Has the family consented to the early help assessment?",
        choices=[("yes", "Yes"), ("no", "No: consent was not sought")],
        coerce=_yes_no,
        widget=forms.RadioSelect,
        help_text="Early help is voluntary: the family (and the child, if old enough) must agree",
        error_messages={"required": "Say whether the family has consented"},
    )
    consent_date = GovukDateField(
        label="Date consent was given", error_label="Date consent was given", required=False
    )
    consent_by = _text(
        "Who gave consent",
        help_text="For example: Ms Smith (mother) and the child",
        max_length=MAX_TEXT,
    )
    consent_not_sought_reason = _text(
        "Why consent was not sought", rows=3, help_text="Needed when consent was not sought"
    )
    locals().update(_domain_fields())
    needs = _text(
        "Summary of needs",
        rows=6,
        help_text="What the child and family need. You can finish it when you complete the "
        "assessment.",
    )
    contact = ContactChoiceField(
        label="Contact that led to the assessment",
        queryset=None,
        required=False,
        empty_label="None",
        help_text="A contact the front door decided as early help",
        error_messages={"invalid_choice": "Choose a contact from the list"},
    )
    stepped_down_from = CaseChoiceField(
        label="Stepped down from",
        queryset=None,
        required=False,
        empty_label="Not a step-down",
        help_text="The children's social care case this follows",
        error_messages={"invalid_choice": "Choose a case from the list"},
    )

    def __init__(self, *args, child, contacts=None, cases=None, **kwargs):
        super().__init__(*args, child=child, **kwargs)
        self.fields["organisation"].queryset = working_agencies(child.authority_id)
        if child._state.adding:
            # A child not yet on record (the start page): no contacts nor cases to name.
            contacts = cases = None
        # The front door and the case file are for children's social care: the view passes
        # contacts and cases only for those who may see them.
        if contacts is not None and contacts.exists():
            self.fields["contact"].queryset = contacts
        else:
            del self.fields["contact"]
        if cases is not None and cases.exists():
            self.fields["stepped_down_from"].queryset = cases
        else:
            del self.fields["stepped_down_from"]

    def clean(self):
        data = super().clean()
        codes = []
        for key, _, _ in CAF_DOMAINS:
            codes += data.pop(f"{key}_codes", None) or []
        data["identified_needs"] = codes
        return data


class AssessmentCompleteForm(GovukForm):
    completed_date = GovukDateField(
        label="Date the assessment was completed", error_label="Completion date"
    )
    outcome = forms.ChoiceField(
        label="Outcome",
        choices=AssessmentOutcome.choices,
        widget=forms.RadioSelect,
        error_messages=_choice_errors("the outcome of the assessment"),
    )
    needs = _text(
        "Summary of needs",
        "Enter the summary of the child's and family's needs",
        rows=8,
    )


# --- Teams around the family --------------------------------------------------------------------


class TAFStartForm(LeadProfessionalForm):
    field_order = [
        "start_date",
        "assessment",
        "stepped_down_from",
        "lead_user",
        "lead_name",
        "lead_agency",
        "lead_role",
        "members",
        "plan",
    ]

    start_date = GovukDateField(label="Date of the first team meeting", error_label="Start date")
    assessment = AssessmentChoiceField(
        label="Early help assessment",
        queryset=None,
        required=False,
        empty_label="None",
        error_messages={"invalid_choice": "Choose an assessment from the list"},
    )
    stepped_down_from = CaseChoiceField(
        label="Stepped down from",
        queryset=None,
        required=False,
        empty_label="Not a step-down",
        help_text="Only the child's latest closed case",
        error_messages={"invalid_choice": "Choose a case from the list"},
    )
    members = PeopleRowsField(
        widget=PeopleRowsWidget(rows=8),
        label="Members of the team",
        help_text="The lead professional is added if you leave them out. Leave rows you do not "
        "need empty.",
    )
    plan = _text("The family's plan", rows=8, help_text="What each member will do, and by when")

    def __init__(self, *args, child, assessments=None, cases=None, **kwargs):
        super().__init__(*args, child=child, **kwargs)
        self.fields["members"].widget.agencies = agency_names(child.authority_id)
        if assessments is not None and assessments.exists():
            self.fields["assessment"].queryset = assessments
        else:
            del self.fields["assessment"]
        if cases is not None and cases.exists():
            self.fields["stepped_down_from"].queryset = cases
        else:
            del self.fields["stepped_down_from"]


class TAFReviewForm(GovukForm):
    review_date = GovukDateField(label="Date of the review meeting", error_label="Review date")
    progress = _text(
        "Progress and outcome",
        "Enter the progress made and what the team agreed",
        rows=8,
        help_text="What has changed for the child, and what the team agreed to do next",
    )


class TAFEndForm(GovukForm):
    end_date = GovukDateField(label="End date")
    end_reason = forms.ChoiceField(
        label="Why is the team around the family ending?",
        choices=TAFEndReason.choices,
        widget=forms.RadioSelect,
        error_messages=_choice_errors("why the team around the family ended"),
    )
    end_notes = _text(
        "About the ending",
        rows=4,
        help_text="Needed when the reason is Other",
    )


# --- The start page: find or create the child ---------------------------------------------------


class ChildSearchForm(GovukForm):
    name = forms.CharField(
        label="Child's name",
        required=False,
        max_length=200,
        help_text="First name, last name, or both",
    )
    date_of_birth = GovukDateField(label="Date of birth", required=False)
    nhs_number = forms.CharField(label="NHS number", required=False, max_length=20)

    def clean_nhs_number(self):
        raw = (self.cleaned_data["nhs_number"] or "").strip()
        if not raw:
            return ""
        return identifiers.clean_nhs_number(raw)

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        if not data.get("nhs_number") and not (data.get("name") and data.get("date_of_birth")):
            raise forms.ValidationError(
                "Enter the child's name and date of birth, or their NHS number"
            )
        return data


class NewChildAssessmentForm(AssessmentStartForm):
    """A child new to Safeguard and the start of their early help assessment, on one page."""

    given_names = forms.CharField(
        label="First name",
        max_length=MAX_TEXT,
        error_messages={"required": "Enter the child's first name"},
    )
    family_name = forms.CharField(
        label="Last name",
        max_length=MAX_TEXT,
        error_messages={"required": "Enter the child's last name"},
    )
    date_of_birth = GovukDateField(label="Date of birth", error_label="Date of birth")
    sex = forms.ChoiceField(
        label="Sex",
        choices=Sex.choices,
        widget=forms.RadioSelect,
        error_messages=_choice_errors("the child's sex"),
    )
    nhs_number = forms.CharField(label="NHS number", required=False, max_length=20)

    field_order = [
        "given_names",
        "family_name",
        "date_of_birth",
        "sex",
        "nhs_number",
        *AssessmentStartForm.field_order,
    ]

    def clean_nhs_number(self):
        raw = (self.cleaned_data["nhs_number"] or "").strip()
        if not raw:
            return None
        return identifiers.clean_nhs_number(raw)


class HandoverAcknowledgeForm(GovukForm):
    contact = ContactChoiceField(
        label="The contact the front door is deciding",
        queryset=None,
        required=False,
        empty_label="Choose a contact",
        error_messages={"invalid_choice": "Choose a contact from the list"},
    )

    def __init__(self, *args, contacts=None, **kwargs):
        super().__init__(*args, **kwargs)
        if contacts is None:
            del self.fields["contact"]
        else:
            self.fields["contact"].queryset = contacts
