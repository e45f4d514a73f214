"""The governance policy (decision 0083).

- Read the plans, the actions, the RAG summaries, the highlight reports and the risk register:
  every active member of staff of one of the authority's agencies, social care and partners
  alike (``may_read``, the one place a new reader, such as a board member, is added). Never an
  inspector, whose read-only grant is case files of a sample.
- Start a plan: a service manager of children's social care (the partnership's business
  manager holds that role in Safeguard). The plan names its owner (``Plan.lead``).
- Change a plan, add its objectives and actions, incorporate an agency's plan into it: the
  plan's owner or a service manager.
- Update an action (status, due date, RAG rating with its reason, evidence): its owner, the
  owner of a plan it serves, or a service manager.
- Sign an action off as done: the owner of a plan it serves or a service manager, never the
  action's owner nor whoever asked for the sign-off. "Done" set by anyone else waits for it.
- The risk register: service managers and plans' owners add risks; a risk's owner or a
  service manager changes it.
- Nobody else changes anything: not system administrators (they run accounts), not
  performance analysts (they read), never an inspector.
"""

from enum import StrEnum

from django.db.models import QuerySet

from safeguard.accounts.roles import READ_ONLY_ROLES, Role, is_social_care_staff
from safeguard.governance.models import Action as PlanAction
from safeguard.governance.models import Plan, Risk


class Action(StrEnum):
    LIST = "list"  # the plans and the risk register
    READ = "read"  # a Plan, an Action or a Risk
    CREATE_PLAN = "create_plan"
    CHANGE_PLAN = "change_plan"  # a Plan: its details, objectives, new actions, incorporation
    UPDATE_ACTION = "update_action"  # an Action: status, RAG, evidence
    SIGN_OFF = "sign_off"  # an Action waiting for sign-off as done
    ADD_RISK = "add_risk"
    CHANGE_RISK = "change_risk"  # a Risk


def may_read(user) -> bool:
    """Who reads the authority's plans and register: the one list of readers. Every active
    member of staff of the authority's agencies, and board members (who read the plans their
    packs report, and change nothing: decision 0084); never inspectors."""
    return bool(
        user.is_authenticated
        and user.is_active
        and user.agency_id
        and (user.role not in READ_ONLY_ROLES or user.role == Role.BOARD_MEMBER)
    )


def _service_manager(user) -> bool:
    return is_social_care_staff(user, roles={Role.SERVICE_MANAGER})


def _same(user, obj) -> bool:
    return obj is None or obj.authority_id == user.authority_id


def visible_to(user) -> QuerySet[Plan]:
    if not may_read(user):
        return Plan.objects.none()
    return Plan.objects.filter(authority_id=user.authority_id)


def leads_plan_of(user, action: PlanAction) -> bool:
    """Does ``user`` own one of the plans ``action`` serves?"""
    return Plan.objects.filter(objectives__actions=action, lead=user).exists()


def can(user, action: Action, obj=None) -> bool:
    if not may_read(user) or not _same(user, obj):
        return False
    match action:
        case Action.LIST:
            return True
        case Action.READ:
            return obj is not None
        case Action.CREATE_PLAN:
            return _service_manager(user)
        case Action.CHANGE_PLAN:
            return isinstance(obj, Plan) and (obj.lead_id == user.pk or _service_manager(user))
        case Action.UPDATE_ACTION:
            return isinstance(obj, PlanAction) and (
                obj.owner_id == user.pk or _service_manager(user) or leads_plan_of(user, obj)
            )
        case Action.SIGN_OFF:
            return (
                isinstance(obj, PlanAction)
                and user.pk not in (obj.owner_id, obj.done_asked_by_id)
                and (_service_manager(user) or leads_plan_of(user, obj))
            )
        case Action.ADD_RISK:
            return (
                _service_manager(user)
                or Plan.objects.filter(authority_id=user.authority_id, lead=user).exists()
            )
        case Action.CHANGE_RISK:
            return isinstance(obj, Risk) and (obj.owner_id == user.pk or _service_manager(user))
    return False
