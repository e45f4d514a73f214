from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from safeguard.audit.models import ChangeEvent
from safeguard.core.concurrency import StaleRecord
from safeguard.core.errors import ApplicationError
from safeguard.governance import selectors, services
from safeguard.governance.models import Action, ActionRating, ActionStatus, Plan, Risk

pytestmark = pytest.mark.django_db

ON = date(2026, 12, 1)


def plan(world, title="Partnership improvement plan", by=None, **kw):
    fields = {"owner_body": "Safeguarding partnership", "lead": world.sm_dan,
              "start_date": date(2026, 1, 1), "end_date": date(2028, 12, 31)} | kw  # fmt: skip
    return services.plan_create(by=by or world.sm_dan, title=title, **fields)


def police_plan(world, parent):
    return plan(
        world, "Borough police plan", owner_body="Borough police", lead=world.police_pat,
        agency=world.police, incorporated_into=parent,
    )  # fmt: skip


def action(world, objective, title="Audit chronologies", **kw):
    fields = {"owner": world.sw_amy, "agency": world.csc, "due_date": ON + timedelta(days=30)} | kw
    return services.action_add(by=objective.plan.lead if objective.plan.lead.role == "service_manager" else world.sm_dan, objective=objective, title=title, **fields)  # fmt: skip


def update(by, act, **kw):
    act.refresh_from_db()
    fields = {"status": act.status, "due_date": act.due_date, "rag": act.rag,
              "rag_reason": act.rag_reason, "version": act.version} | kw  # fmt: skip
    return services.action_update(by=by, action=act, **fields)


# --- Nested plans and an action in two plans ------------------------------------------------


def test_an_incorporated_agency_action_is_monitored_in_both_plans(world, client):
    parent = plan(world)
    police = police_plan(world, parent)
    objective = services.objective_add(by=world.sm_dan, plan=police, title="Desk checks")
    desk = action(world, objective, "Desk checks within 24 hours", owner=world.police_pat,
                  agency=world.police, due_date=ON - timedelta(days=10), rag="red",
                  rag_reason="No cover for the desk")  # fmt: skip

    summary = selectors.rag_summary([parent, police], ON)
    by_plan = {row.plan_id: row for row in summary.rows}
    assert (by_plan[parent.pk].red, by_plan[parent.pk].late, by_plan[parent.pk].total) == (1, 1, 1)
    assert by_plan[parent.pk].incorporated == ("Borough police plan",)
    assert (by_plan[police.pk].red, by_plan[police.pk].total) == (1, 1)
    report = selectors.highlight_report(parent, ON)
    assert [a.title for a in report.actions] == ["Desk checks within 24 hours"]
    assert report.actions[0].owner == "Pat Patel" and report.actions[0].agency == "Testshire Police"

    client.force_login(world.school_sid)
    page = client.get(reverse("governance:plan", args=[parent.pk])).content.decode()
    assert "Incorporated:" in page and "Desk checks within 24 hours" in page
    assert reverse("governance:action", args=[desk.pk]) in page


def test_plans_nest_below_an_incorporated_plan_but_never_into_themselves(world):
    parent = plan(world)
    police = police_plan(world, parent)
    health = plan(world, "Health plan", incorporated_into=police)  # three levels (decision 0086)
    assert selectors.descendant_ids(parent) == {police.pk, health.pk}
    parent.refresh_from_db()
    with pytest.raises(ApplicationError, match="is incorporated into this plan"):
        services.plan_update(
            by=world.sm_dan, plan=parent, version=parent.version, title=parent.title,
            owner_body=parent.owner_body, lead=parent.lead, start_date=parent.start_date,
            end_date=parent.end_date, status="active", incorporated_into=health,
        )  # fmt: skip


def test_one_action_serves_two_plans(world, client):
    first, second = plan(world), plan(world, "Children's trust plan")
    o1 = services.objective_add(by=world.sm_dan, plan=first, title="Supervision")
    o2 = services.objective_add(by=world.sm_dan, plan=second, title="Workforce")
    act = action(world, o1, "Monthly supervision for every worker", rag="amber",
                 rag_reason="Two teams behind")  # fmt: skip
    services.action_serve(by=world.sm_dan, action=act, objective=o2)

    rows = selectors.rag_summary([first, second], ON).rows
    assert [(r.amber, r.total) for r in rows] == [(1, 1), (1, 1)]
    client.force_login(world.tm_carol)
    for p in (first, second):
        assert (
            "Monthly supervision for every worker"
            in client.get(reverse("governance:plan", args=[p.pk])).content.decode()
        )
    page = client.get(reverse("governance:action", args=[act.pk])).content.decode()
    assert "Children&#x27;s trust plan" in page and "Partnership improvement plan" in page
    with pytest.raises(ApplicationError, match="already serves"):
        services.action_serve(by=world.sm_dan, action=act, objective=o2)


# --- RAG history and versions ---------------------------------------------------------------


def test_each_new_rating_goes_into_the_rag_history(world, client):
    objective = services.objective_add(by=world.sm_dan, plan=plan(world), title="Audit")
    act = action(world, objective)
    update(world.sw_amy, act, status="on_track", rag="amber", rag_reason="Auditors off sick")
    update(world.sw_amy, act, status="delayed")  # no new rating: the same rating and reason
    update(world.sw_amy, act, rag="red", rag_reason="Still no auditors")
    ratings = list(ActionRating.objects.filter(action=act).order_by("rated_at"))
    assert [(r.rating, r.reason) for r in ratings] == [
        ("green", ""), ("amber", "Auditors off sick"), ("red", "Still no auditors")
    ]  # fmt: skip
    assert {r.rated_by_id for r in ratings[1:]} == {world.sw_amy.pk}
    client.force_login(world.analyst_eve)
    page = client.get(reverse("governance:action", args=[act.pk])).content.decode()
    assert page.count("govuk-tag--red") >= 2 and "Auditors off sick" in page
    plan_page = client.get(reverse("governance:plan", args=[objective.plan_id])).content.decode()
    assert "RAG rating: from Amber to Red" in plan_page and "Amy Adeyemi" in plan_page


def test_a_stale_update_is_refused_and_shown_as_a_conflict(world, client):
    objective = services.objective_add(by=world.sm_dan, plan=plan(world), title="Audit")
    act = action(world, objective)
    seen = act.version
    update(world.sm_dan, act, rag="amber", rag_reason="Slipping")
    with pytest.raises(StaleRecord):
        services.action_update(by=world.sw_amy, action=act, version=seen, status="on_track",
                               due_date=act.due_date, rag="green")  # fmt: skip
    client.force_login(world.sw_amy)
    response = client.post(
        reverse("governance:action-update", args=[act.pk]),
        {
            "status": "on_track",
            "due_date_day": act.due_date.day,
            "due_date_month": act.due_date.month,
            "due_date_year": act.due_date.year,
            "rag": "green",
            "version": seen,
        },
    )
    assert response.status_code == 409
    act.refresh_from_db()
    assert act.rag == "amber" and act.status == "not_started"


# --- Decision rights ------------------------------------------------------------------------


def test_done_by_the_owner_waits_for_the_plan_owners_sign_off(world):
    objective = services.objective_add(by=world.sm_dan, plan=plan(world), title="Audit")
    act = action(world, objective, owner=world.police_pat, agency=world.police)
    update(world.police_pat, act, status="done")
    act.refresh_from_db()
    assert act.status == ActionStatus.AWAITING_SIGN_OFF and act.done_asked_by == world.police_pat
    with pytest.raises(PermissionDenied):
        services.action_sign_off(by=world.police_pat, action=act, version=act.version)
    with pytest.raises(PermissionDenied):  # not the plan's owner
        services.action_sign_off(by=world.tm_carol, action=act, version=act.version)
    services.action_sign_off(by=world.sm_dan, action=act, version=act.version, on=ON)
    act.refresh_from_db()
    assert (act.status, act.signed_off_by, act.completed_on) == ("done", world.sm_dan, ON)
    with pytest.raises(ApplicationError, match="Only the plan's owner reopens"):
        update(world.police_pat, act, status="on_track")


def test_nobody_signs_off_their_own_action(world):
    objective = services.objective_add(by=world.sm_dan, plan=plan(world), title="Audit")
    mine = action(world, objective, owner=world.sm_dan)
    update(world.sm_dan, mine, status="done")
    mine.refresh_from_db()
    assert mine.status == ActionStatus.AWAITING_SIGN_OFF
    with pytest.raises(PermissionDenied):
        services.action_sign_off(by=world.sm_dan, action=mine, version=mine.version)


def test_who_may_change_what(world):
    p = plan(world)
    objective = services.objective_add(by=world.sm_dan, plan=p, title="Audit")
    act = action(world, objective, owner=world.police_pat, agency=world.police)
    for who in ("tm_carol", "analyst_eve", "admin_al", "health_hana", "police_pat"):
        with pytest.raises(PermissionDenied):
            plan(world, by=getattr(world, who))
        with pytest.raises(PermissionDenied):
            services.objective_add(by=getattr(world, who), plan=p, title="More")
    for who in ("sw_amy", "health_hana", "analyst_eve", "admin_al", "other_sw", "inspector_ian"):
        with pytest.raises(PermissionDenied):
            update(getattr(world, who), act, rag="green")
    update(world.police_pat, act, status="on_track")  # the owner, a partner, records progress
    risk = services.risk_add(by=world.sm_dan, kind="risk", title="Turnover", likelihood=4,
                             impact=4, owner=world.tm_carol, mitigation="Recruit",
                             review_date=ON)  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.risk_update(by=world.sw_amy, risk=risk, version=risk.version, kind="risk",
                             title="Turnover", likelihood=1, impact=1, owner=world.tm_carol,
                             mitigation="None", review_date=ON, status="closed")  # fmt: skip
    assert Plan.objects.count() == 1 and Risk.objects.get().likelihood == 4


# --- Highlight reports ----------------------------------------------------------------------


def test_highlight_report_holds_the_late_and_red_actions_and_the_open_risks(world, client):
    p = plan(world)
    other = plan(world, "Unrelated plan")
    objective = services.objective_add(by=world.sm_dan, plan=p, title="Timescales")
    action(world, objective, "Late green", due_date=ON - timedelta(days=3))
    action(world, objective, "Red not due", rag="red", rag_reason="No staff")
    action(world, objective, "Amber not due", rag="amber", rag_reason="Watch")
    done_late = action(world, objective, "Done late", due_date=ON - timedelta(days=40))
    update(world.sm_dan, done_late, status="done")
    waiting = action(world, objective, "Waiting late", due_date=ON - timedelta(days=1))
    update(world.sw_amy, waiting, status="done")

    def risk(title, likelihood, impact, plans, **kw):
        r = services.risk_add(by=world.sm_dan, kind="risk", title=title, likelihood=likelihood,
                              impact=impact, owner=world.tm_carol, mitigation="Act",
                              review_date=kw.pop("review", ON + timedelta(days=5)), plans=plans)  # fmt: skip
        return r

    risk("Medium", 2, 3, [p], review=ON - timedelta(days=1))
    risk("Very high", 4, 5, [p, other])
    closed = risk("Closed", 5, 5, [p])
    services.risk_update(by=world.sm_dan, risk=closed, version=closed.version, kind="risk",
                         title="Closed", likelihood=5, impact=5, owner=world.tm_carol,
                         mitigation="Done", review_date=ON, status="closed", plans=[p])  # fmt: skip
    risk("Elsewhere", 5, 5, [other])

    report = selectors.highlight_report(p, ON)
    assert [(a.title, a.late, a.days_late) for a in report.actions] == [
        ("Late green", True, 3), ("Waiting late", True, 1), ("Red not due", False, 0)
    ]  # fmt: skip
    assert report.actions[2].reason == "No staff" and report.actions[0].owner == "Amy Adeyemi"
    assert [(r.title, r.score, r.band, r.review_overdue) for r in report.risks] == [
        ("Very high", 20, "Very high", False), ("Medium", 6, "Medium", True)
    ]  # fmt: skip
    client.force_login(world.voluntary_val)
    url = reverse("governance:highlights", args=[p.pk])
    page = client.get(url + "?on=2026-12-01").content.decode()
    assert "3 days late" in page and "Review overdue" in page and "Elsewhere" not in page


# --- Bad input ------------------------------------------------------------------------------


def test_bad_input_is_refused_with_a_message_and_the_typing_kept(world, client):
    p = plan(world)
    objective = services.objective_add(by=world.sm_dan, plan=p, title="Audit")
    act = action(world, objective)
    client.force_login(world.sm_dan)
    url = reverse("governance:action-update", args=[act.pk])
    response = client.post(url, {"status": "delayed", "due_date_day": "40", "due_date_month": "13", "due_date_year": "2026", "rag": "red",
                                 "rag_reason": "", "version": act.version})  # fmt: skip
    assert (
        response.status_code == 400 and "Due date must be a real date" in response.content.decode()
    )
    response = client.post(url, {"status": "delayed", "due_date_day": "5", "due_date_month": "1", "due_date_year": "2027", "rag": "red",
                                 "rag_reason": "", "version": act.version})  # fmt: skip
    body = response.content.decode()
    assert response.status_code == 400 and "Say why the action is rated amber or red" in body
    assert 'value="2027"' in body  # the typing is kept
    act.refresh_from_db()
    assert act.rag == "green" and ActionRating.objects.filter(action=act).count() == 1

    response = client.post(reverse("governance:plan-new"), {
        "title": "Backwards", "owner_body": "Board", "lead": world.sm_dan.pk,
        "start_date_day": "1", "start_date_month": "1", "start_date_year": "2027",
        "end_date_day": "1", "end_date_month": "1", "end_date_year": "2026", "status": "draft"})  # fmt: skip
    assert response.status_code == 400 and "The end date must be after the start date" in (
        response.content.decode()
    )
    response = client.post(reverse("governance:risk-new"), {
        "kind": "risk", "title": "Odd", "likelihood": "7", "impact": "2", "owner": world.sm_dan.pk,
        "mitigation": "x", "review_date_day": "1", "review_date_month": "1",
        "review_date_year": "2027"})  # fmt: skip
    assert response.status_code == 400 and 'value="Odd"' in response.content.decode()
    response = client.post(reverse("governance:evidence-new", args=[act.pk]),
                           {"title": "Minutes", "url": "javascript:alert(1)"})  # fmt: skip
    assert response.status_code == 400
    assert Plan.objects.count() == 1 and not Risk.objects.exists()
    assert not act.evidence.exists()


def test_writes_leave_change_events(world):
    p = plan(world)
    objective = services.objective_add(by=world.sm_dan, plan=p, title="Audit")
    act = action(world, objective)
    services.evidence_add(by=world.sw_amy, action=act, title="Audit report",
                          url="https://example.org/audit")  # fmt: skip
    kinds = set(ChangeEvent.objects.values_list("target_type", flat=True))
    assert {"governance.plan", "governance.objective", "governance.action",
            "governance.evidence"} <= kinds  # fmt: skip


# --- Query counts ---------------------------------------------------------------------------


def _grow(world, n):
    parent = Plan.objects.filter(incorporated_into=None).first() or plan(world)
    police = police_plan(world, parent)
    for i in range(n):
        o = services.objective_add(by=world.sm_dan, plan=parent, title=f"Objective {i}")
        a = action(world, o, f"Action {i}", rag="red", rag_reason="Behind",
                   due_date=ON - timedelta(days=i))  # fmt: skip
        services.action_serve(by=world.sm_dan, action=a, objective=services.objective_add(
            by=world.sm_dan, plan=police, title=f"Police {i}"))  # fmt: skip
        services.risk_add(by=world.sm_dan, kind="issue", title=f"Risk {i}", likelihood=3,
                          impact=3, owner=world.sw_amy, mitigation="m", review_date=ON,
                          plans=[parent, police])  # fmt: skip
        services.evidence_add(by=world.sw_amy, action=a, title=f"E{i}", url="https://e.org/")
    return parent


@pytest.mark.parametrize("name", ["plans", "plan", "highlights", "risks", "action"])
def test_pages_make_a_fixed_number_of_queries(world, client, django_assert_max_num_queries, name):
    client.force_login(world.sm_dan)
    counts = []
    for n in (1, 6):
        parent = _grow(world, n)
        args = {
            "plan": [parent.pk], "highlights": [parent.pk],
            "action": [Action.objects.order_by("-created_at").first().pk],
        }.get(name, [])  # fmt: skip
        with django_assert_max_num_queries(30) as captured:
            assert client.get(reverse(f"governance:{name}", args=args)).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]


def test_the_navigation_offers_governance_to_its_readers_only(world, client):
    for who, shown in (("police_pat", True), ("sw_amy", True), ("inspector_ian", False)):
        client.force_login(getattr(world, who))
        page = client.get(reverse("work:home")).content.decode()
        assert (reverse("governance:plans") in page) is shown, who
