"""The administration pages' forms (decision 0037)."""

from django import forms
from django.db import models

from safeguard.core.forms import GovukForm


class TeamForm(GovukForm):
    """A team's manager and the team or service it sits in; either may be none."""

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
