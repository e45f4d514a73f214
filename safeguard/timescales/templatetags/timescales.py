"""The timescales panel on a case page. A template tag, so that the case page (in casework,
below this app) can show it without casework importing the engine."""

from django import template
from django.urls import reverse
from django.utils import timezone

from safeguard.timescales.engine import case_timescales
from safeguard.timescales.selectors import last_seen

register = template.Library()


@register.inclusion_tag("timescales/_case_panel.html")
def case_timescales_panel(case):
    today = timezone.localdate()
    items = sorted(case_timescales(case, on=today), key=lambda i: (i.due_date, i.rule.label))
    return {
        "outstanding": [i for i in items if i.is_outstanding],
        "history": [i for i in items if not i.is_outstanding],
        "rule_set": case.authority.get_rule_set_display(),
        # When and by whom the child was last seen, whatever the stage (one query).
        "last_seen": last_seen(case),
        "today": today,
    }


@register.filter
def days_ago(seen, today) -> int:
    """Calendar days from a ``LastSeen`` to ``today``."""
    return seen.days_ago(today)


# The form that meets each kind of item: where a due list's "what is due" leads (issue 13,
# item 1: from the home page to a saved visit in at most 3 page loads). An assessment to
# complete leads to the assessment's page, where its worker writes and submits it and a
# manager decides on it.
def _case(row) -> dict:
    return {"case_id": row.case.pk}


def _subject(name: str):
    return lambda row: {name: row.item.subject_id}


MEETS = {
    "cp_visit": ("casework:visit-new", _case),
    "cin_visit": ("casework:visit-new", _case),
    "referral_child_seen": ("casework:visit-new", _case),
    "referral_assessment": ("assessments:start", _case),
    "single_assessment": ("assessments:detail", _subject("assessment_id")),
    "initial_assessment": ("assessments:detail", _subject("assessment_id")),
    "core_assessment": ("assessments:detail", _subject("assessment_id")),
    "referral_strategy": ("protection:strategy-new", _case),
    "assessment_strategy": ("protection:strategy-new", _case),
    "strategy_section47": ("protection:s47-new", _subject("discussion_id")),
    "icpc": ("protection:icpc-new", _subject("enquiry_id")),
    "first_core_group": ("protection:core-group-new", _subject("plan_id")),
    "core_group": ("protection:core-group-new", _subject("plan_id")),
    "first_review_conference": ("protection:review-new", _subject("plan_id")),
    "review_conference": ("protection:review-new", _subject("plan_id")),
    "cin_plan_review": ("protection:cin-review-new", _subject("plan_id")),
    "assessment_cin_plan": ("casework:cin-plan-new", _case),
    "assessment_early_help": ("earlyhelp:eha-new", lambda row: {"person_id": row.child.pk}),
    "unallocated_review": ("casework:unallocated-review-new", _case),
    "conference_minutes": ("protection:minutes", _subject("conference_id")),
    "plan_action": ("protection:action-progress", _subject("action_id")),
}
# A contact's next steps carry the contact, so that the record made answers it.
CONTACT_MEETS = {
    "contact_referral": "referrals:referral-new",
    "contact_early_help": "earlyhelp:eha-new",
}


@register.simple_tag
def meet_link(row) -> dict | None:
    """``{"url": ...}`` of the form that meets a due row's item, or None."""
    rule_id = row.item.rule.id
    if rule_id in CONTACT_MEETS and row.item.contact_id:
        url = reverse(CONTACT_MEETS[rule_id], kwargs={"person_id": row.child.pk})
        return {"url": f"{url}?contact={row.item.contact_id}"}
    if rule_id in MEETS and row.case is not None:
        name, kwargs = MEETS[rule_id]
        return {"url": reverse(name, kwargs=kwargs(row))}
    return None
