"""The governance sections of a board pack (decisions 0083, 0084): the plans' RAG summary and
the highlight reports, registered with ``boards.packs`` from ``GovernanceConfig.ready()``.

A pack reports the authority's partnership plans in progress (an agency's plan incorporated
into one is reported inside it) as they stood at the end of the pack's period. The counts are
of actions, not of children, so they are shown whole: small-number suppression protects
children, and no child is in a plan.
"""

from safeguard.governance.models import Plan, PlanStatus
from safeguard.governance.selectors import highlight_report, rag_summary


def _plans(body) -> list[Plan]:
    return list(
        Plan.objects.filter(
            authority_id=body.authority_id,
            status=PlanStatus.ACTIVE,
            incorporated_into__isnull=True,
        ).order_by("title")
    )


def build_plans(body, period_start, period_end) -> dict:
    summary = rag_summary(_plans(body), on=period_end)
    return {
        "notes": [
            f"Every action of the plans in progress on {period_end:%-d %B %Y}, with those of "
            "the plans incorporated into them, by RAG rating; done actions are counted apart, "
            "and late ones (past their due date, not done) are counted again as late."
        ],
        "tables": [
            {
                "caption": "Actions by RAG rating",
                "header": ["Plan", "Red", "Amber", "Green", "Done", "Late", "All actions"],
                "rows": [
                    [
                        row.title
                        + (f" (with {', '.join(row.incorporated)})" if row.incorporated else ""),
                        str(row.red),
                        str(row.amber),
                        str(row.green),
                        str(row.done),
                        str(row.late),
                        str(row.total),
                    ]
                    for row in summary.rows
                ],
            }
        ],
    }


def build_highlights(body, period_start, period_end) -> dict:
    notes, tables = [], []
    for plan in _plans(body):
        report = highlight_report(plan, period_end)
        notes.append(
            f"{report.plan_title}: {len(report.actions)} action"
            f"{'' if len(report.actions) == 1 else 's'} late or red and {len(report.risks)} "
            f"open risk{'' if len(report.risks) == 1 else 's'} on {period_end:%-d %B %Y}."
        )
        tables.append(
            {
                "caption": f"{report.plan_title}: actions late or red",
                "header": ["Action", "Owner", "Due", "Rating", "Why"],
                "text": [1, 3, 4],
                "empty": "No action is late or red.",
                "rows": [
                    [
                        action.title,
                        f"{action.owner}, {action.agency}" if action.agency else action.owner,
                        f"{action.due_date:%-d %b %Y}"
                        + (f" ({action.days_late} days late)" if action.late else ""),
                        action.rag_label,
                        action.reason,
                    ]
                    for action in report.actions
                ],
            }
        )
        tables.append(
            {
                "caption": f"{report.plan_title}: risks that threaten it",
                "header": ["Risk", "Score", "Owner", "Mitigation", "Review"],
                "text": [2, 3],
                "empty": "No open risk is recorded against this plan.",
                "rows": [
                    [
                        risk.title,
                        f"{risk.score} ({risk.band})",
                        risk.owner,
                        risk.mitigation,
                        f"{risk.review_date:%-d %b %Y}"
                        + (" (overdue)" if risk.review_overdue else ""),
                    ]
                    for risk in report.risks
                ],
            }
        )
    return {"notes": notes or ["No plan was in progress."], "tables": tables}


def register() -> None:
    from safeguard.boards.packs import register_section

    register_section("plans", "Improvement plans: RAG summary", build_plans)
    register_section(
        "highlights", "Highlight reports: late and red actions, risks", build_highlights
    )
