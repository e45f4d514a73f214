"""``safeguard check-quality [--authority-code C]``: check every child's records against the
data-quality rules and store what is wrong, replacing the last check's results."""

from django.core.management.base import BaseCommand, CommandError

from safeguard.accounts.models import LocalAuthority
from safeguard.quality.models import QualityIssue, Severity
from safeguard.quality.services import check_authority
from safeguard.returns.progress import ProgressBar


class Command(BaseCommand):
    help = "Check every child's records against the data-quality rules and store the errors."

    def add_arguments(self, parser):
        parser.add_argument(
            "--authority-code", help="DfE LA code of the authority (default: every authority)."
        )

    def handle(self, *args, authority_code=None, **options):
        authorities = LocalAuthority.objects.order_by("dfe_la_code")
        if authority_code:
            authorities = authorities.filter(dfe_la_code=authority_code)
            if not authorities.exists():
                raise CommandError(f"No authority has the DfE LA code {authority_code}")
        for authority in authorities:
            bar = ProgressBar(f"Checking {authority.name}")
            try:
                check_authority(authority, progress=bar)
            finally:
                bar.close()
            counts = []
            for severity, noun in ((Severity.ERROR, "errors"), (Severity.QUERY, "queries")):
                issues = QualityIssue.objects.filter(authority=authority, severity=severity)
                children = issues.values("person_id").distinct().count()
                counts.append(f"{issues.count()} {noun} on {children} children")
            # Queries (DfE census rules ending in Q) are to confirm, not necessarily wrong.
            self.stdout.write(f"{authority.name} ({authority.dfe_la_code}): " + "; ".join(counts))
