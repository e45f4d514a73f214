from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "safeguard.referrals"
    label = "referrals"
    verbose_name = "Referrals"

    def ready(self):
        # The person page's record history shows this app's events to those who see the
        # case file (people.history, issue 11 item 2).
        from safeguard.people import history
        from safeguard.referrals.permissions import sees_history

        history.register("referrals", sees_history)

        # No further action on a referral waits for the front door's manager (decision 0041).
        from safeguard.casework.services import register_decision_right
        from safeguard.referrals import services

        register_decision_right(
            services.REFERRAL_NFA,
            label="No further action on a referral",
            apply=services.nfa_authorised,
        )

        # A contact's chronology entry links to the contact's page (issue 16 item 5).
        from safeguard.casework.selectors import register_step_page

        register_step_page("referrals.contact", "referrals:contact-detail")
