"""The administration pages' forms (decision 0037)."""

from django import forms
from django.db import models

from safeguard.core.forms import GovukForm


class TeamForm(GovukForm):
    """A team's name (unique in the authority, decision 0077), its manager and the team or
    service it sits in; either of the last two may be none."""

    name = forms.CharField(
        label="Name of the team",
        max_length=200,
        error_messages={
            "required": "Enter the name of the team",
            "max_length": "The name is 200 characters or fewer",
        },
    )
    manager = forms.ModelChoiceField(
        queryset=None,
        required=False,
        empty_label="No manager",
        label="Manager",
        help_text="An active team or service manager of the authority",
    )
    parent = forms.ModelChoiceField(
        queryset=None,
        required=False,
        empty_label="It sits in no other team or service",
        label="Sits in",
        help_text="The service or team it belongs to",
    )

    def __init__(self, *args, managers, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["manager"].queryset = managers
        self.fields["parent"].queryset = teams


class StaffAction(models.TextChoices):
    DISABLE = "disable", "Disable the account"
    ENABLE = "enable", "Enable the account"
    RESET_SECOND_FACTOR = "reset_second_factor", "Reset the second factor"
    END_SESSIONS = "end_sessions", "Sign out everywhere"
    INVITE = "invite", "Email an invitation to set a password"


class StaffActionForm(GovukForm):
    """One of the account actions, chosen by the button pressed."""

    action = forms.ChoiceField(choices=StaffAction.choices, widget=forms.HiddenInput)


class RoleAndTeamsForm(GovukForm):
    """An account's role and the teams (of its own agency) it works in."""

    role = forms.ChoiceField(label="Role", choices=())
    teams = forms.ModelMultipleChoiceField(
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Teams",
        help_text="The teams of the account's agency it works in",
    )

    def __init__(self, *args, roles, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = roles
        self.fields["teams"].queryset = teams


class NewTeamForm(GovukForm):
    """A new team of one of the authority's agencies."""

    agency = forms.ModelChoiceField(queryset=None, label="Agency", empty_label=None)
    name = forms.CharField(
        label="Name of the team",
        max_length=200,
        error_messages={"required": "Enter the name of the team"},
    )

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies

    def clean(self):
        data = super().clean()
        agency, name = data.get("agency"), (data.get("name") or "").strip()
        if agency is not None and name and agency.teams.filter(name__iexact=name).exists():
            self.add_error("name", f"{agency} already has a team called {name}")
        data["name"] = name
        return data


class AgencyForm(GovukForm):
    """An agency's name and kind (decision 0077): names unique in the authority."""

    name = forms.CharField(
        label="Name of the agency",
        max_length=200,
        error_messages={
            "required": "Enter the name of the agency",
            "max_length": "The name is 200 characters or fewer",
        },
    )
    kind = forms.ChoiceField(
        label="Kind of agency",
        choices=(),
        widget=forms.RadioSelect,
        help_text="Only an agency with no staff may change its kind",
        error_messages={"required": "Choose the kind of agency"},
    )

    def __init__(self, *args, kinds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = kinds


class NewAgencyForm(GovukForm):
    """A new agency of the authority: a partner, or its children's social care."""

    name = forms.CharField(
        label="Name of the agency",
        max_length=200,
        error_messages={"required": "Enter the name of the agency"},
    )
    kind = forms.ChoiceField(label="Kind of agency", choices=(), widget=forms.RadioSelect)

    def __init__(self, *args, kinds, existing, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = kinds
        self.existing = existing

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if self.existing.filter(name__iexact=name).exists():
            raise forms.ValidationError(f"The authority already has an agency called {name}")
        return name


# --- The threshold of need (decision 0074) ---------------------------------------------------


class ThresholdLevelForm(GovukForm):
    """A level's wording: its name, what it means and the outcome it suggests. A new level
    also takes its number and its first indicators."""

    number = forms.IntegerField(
        label="Number of the level",
        min_value=1,
        max_value=20,
        help_text="Levels are shown in number order, from the least need to the most",
        error_messages={
            "required": "Enter the level's number",
            "invalid": "Enter the level's number as a whole number, like 3",
            "min_value": "The level's number is a whole number from 1 to 20",
            "max_value": "The level's number is a whole number from 1 to 20",
        },
    )
    name = forms.CharField(
        label="Name", max_length=100, error_messages={"required": "Enter the level's name"}
    )
    description = forms.CharField(
        label="Description",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What the level means, as the front door reads it",
    )
    implied_outcome = forms.ChoiceField(
        label="The outcome it suggests",
        choices=(),
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the outcome the level suggests"},
    )
    indicators = forms.CharField(
        label="Indicators",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="One a line: the signs of need that place a child at this level",
        error_messages={"required": "Enter at least one indicator, one a line"},
    )

    def __init__(self, *args, outcomes, new: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["implied_outcome"].choices = outcomes
        if not new:  # a level's number and indicators are changed elsewhere
            del self.fields["number"]
            del self.fields["indicators"]


class IndicatorForm(GovukForm):
    """An indicator's words."""

    text = forms.CharField(
        label="Indicator",
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Enter the indicator's words"},
    )


class RetireLevelForm(GovukForm):
    """Why a whole level stops being offered (decision 0077)."""

    reason = forms.CharField(
        label="Why is the level retired?",
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Shown in the level's history and the administration history",
        error_messages={
            "required": "Enter why the level is retired",
            "max_length": "The reason is 300 characters or fewer",
        },
    )


class IndicatorAction(models.TextChoices):
    REWORD = "reword", "Save the new words"
    RETIRE = "retire", "Retire the indicator"


# --- Local standards and the rule set (decision 0074) --------------------------------------


class StandardsForm(GovukForm):
    """The authority's Working Together rule set and each local standard, whole numbers
    within the bounds ``timescales.services.STANDARDS`` sets."""

    rule_set = forms.ChoiceField(
        label="Timescale rule set",
        choices=(),
        widget=forms.RadioSelect,
        help_text="The edition of Working Together whose statutory timescales apply",
        error_messages={"required": "Choose the rule set"},
    )

    def __init__(self, *args, rule_sets, standards: dict, labels: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rule_set"].choices = rule_sets
        for name, (low, high) in standards.items():
            label = labels[name][:1].upper() + labels[name][1:]
            bounds = f"a whole number from {low} to {high}"
            self.fields[name] = forms.IntegerField(
                label=label,
                min_value=low,
                max_value=high,
                help_text=bounds[:1].upper() + bounds[1:],
                widget=forms.NumberInput(attrs={"class": "govuk-input--width-3"}),
                error_messages={
                    "required": f"Enter {label[:1].lower() + label[1:]}: {bounds}",
                    "invalid": f"{label}: enter {bounds}",
                    "min_value": f"{label}: enter {bounds}",
                    "max_value": f"{label}: enter {bounds}",
                },
            )


# --- Retention rules (decision 0074) ------------------------------------------------------------


class RetentionRuleForm(GovukForm):
    """One type of record's retention period, in whole years."""

    years = forms.IntegerField(
        label="Years to keep the record",
        min_value=1,
        max_value=150,
        help_text="A whole number from 1 to 150, counted from the date the rule starts from",
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-3"}),
        error_messages={
            "required": "Enter the number of years",
            "invalid": "Enter the number of years as a whole number, like 25",
            "min_value": "A retention period is between 1 and 150 years",
            "max_value": "A retention period is between 1 and 150 years",
        },
    )
    years_after_death = forms.IntegerField(
        label="Years to keep it after the child's death",
        required=False,
        min_value=1,
        max_value=150,
        help_text="Looked-after children who died before 18 only; leave empty to keep the rule",
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-3"}),
        error_messages={
            "invalid": "Enter the years after death as a whole number, like 15",
            "min_value": "A period after death is between 1 and 150 years",
            "max_value": "A period after death is between 1 and 150 years",
        },
    )

    def __init__(self, *args, after_death: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not after_death:
            del self.fields["years_after_death"]


# --- A new staff account ------------------------------------------------------------------------


class NewAccountForm(GovukForm):
    """A new account of one of the authority's agencies. It has no password: its holder sets
    one through the invitation emailed from the account's page."""

    username = forms.RegexField(
        label="Username",
        max_length=150,
        regex=r"^[\w.@+-]+$",
        help_text="Letters, digits and @ . + - _ only",
        error_messages={
            "required": "Enter the username",
            "invalid": "A username has letters, digits and @ . + - _ only",
        },
    )
    first_name = forms.CharField(
        label="Given name", max_length=150, error_messages={"required": "Enter the given name"}
    )
    last_name = forms.CharField(
        label="Family name", max_length=150, error_messages={"required": "Enter the family name"}
    )
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        error_messages={
            "required": "Enter the email address: the invitation is sent to it",
            "invalid": "Enter an email address like name@example.org",
        },
    )
    job_title = forms.CharField(label="Job title", max_length=100, required=False)
    agency = forms.ModelChoiceField(
        queryset=None,
        label="Agency",
        empty_label=None,
        error_messages={"invalid_choice": "Choose one of the authority's agencies"},
    )
    role = forms.ChoiceField(
        label="Role", choices=(), error_messages={"required": "Choose the role"}
    )

    def __init__(self, *args, agencies, roles, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies
        self.fields["role"].choices = roles
