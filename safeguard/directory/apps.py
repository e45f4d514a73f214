from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "safeguard.directory"
    label = "directory"
    verbose_name = "Directory of services"

    def ready(self):
        # Each referral to a service, and each change of its status, is on the child's
        # chronology, linking to the referral's page (decision 0080).
        from safeguard.casework.selectors import register_step_page

        register_step_page("directory.servicereferral", "service_referrals:detail")
