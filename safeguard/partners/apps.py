from django.apps import AppConfig


class PartnersConfig(AppConfig):
    name = "safeguard.partners"
    label = "partners"
    verbose_name = "Partners"

    def ready(self):
        from django.db.models.signals import post_save

        from safeguard.audit.models import ChangeEvent
        from safeguard.partners import selectors, services
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
