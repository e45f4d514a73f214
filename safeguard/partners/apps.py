from django.apps import AppConfig


class PartnersConfig(AppConfig):
    name = "safeguard.partners"
    label = "partners"
    verbose_name = "Partners"

    def ready(self):
        from django.db.models.signals import post_save

        from safeguard.audit.models import ChangeEvent
        from safeguard.casework.selectors import register_step_page
        from safeguard.partners import permissions, selectors, services
        from safeguard.protection.permissions import register_progress_grant
        from safeguard.referrals.views import register_front_door_context

        # The front door's page lists the partners' referrals still to record.
        register_front_door_context(
            lambda request: {"partner_referrals": selectors.referrals_waiting(request.user)}
        )
        # A decided contact that came from a partner's referral tells the referrer the outcome,
        # in the decision's transaction. The decision is saved by a conditional UPDATE, which
        # sends no post_save of the contact: its change event is the signal.
        post_save.connect(
            services.contact_changed, sender=ChangeEvent, dispatch_uid="partners-referral-outcome"
        )
        # Contributions (decision 0069): the staff of the agency that owns a plan action record
        # its progress, and nothing else of the plan (the partners policy says who).
        register_progress_grant(
            lambda user, action: permissions.can(user, permissions.Action.UPDATE_ACTION, action)
        )
        # A report's and a partner's progress's chronology entries link to their pages.
        register_step_page("partners.invitationreport", "partners:contribution")
        register_step_page("partners.agencyprogress", "partners:agency-progress")
        # Reminders of overdue conference reports (decision 0073), each morning before work.
        from datetime import time

        from safeguard.core import schedule
        from safeguard.partners.reminders import remind_overdue_reports

        schedule.register(
            schedule.Job(
                name="remind-partner-reports",
                title="Remind partner practitioners of overdue conference reports",
                run=remind_overdue_reports,
                at=time(6, 30),
            )
        )
