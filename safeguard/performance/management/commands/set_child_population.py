"""``safeguard set-child-population --la-code NNN --year 2024 KM1=4210 KM2=3875 ...``: the
authority's children (aged 0 to 17) by postcode district, from the ONS mid-year estimates,
the denominator of contacts per 10,000 children by area (decision 0082)."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from safeguard.accounts.commandline import acting_administrator, add_by_argument
from safeguard.core.errors import ApplicationError
from safeguard.partners.selectors import authority_by_code
from safeguard.performance.services import child_population_set


class Command(BaseCommand):
    help = "Set the authority's child population by postcode district (ONS mid-year estimates)."

    def add_arguments(self, parser):
        parser.add_argument("--la-code", required=True)
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("districts", nargs="+", metavar="DISTRICT=CHILDREN")
        add_by_argument(parser)

    def handle(self, *args, **options):
        by = acting_administrator(options)
        pairs = []
        for item in options["districts"]:
            district, _, number = item.partition("=")
            if not number.isdigit():
                raise CommandError(
                    f"{item}: write each district as DISTRICT=CHILDREN, like KM4=3120"
                )
            pairs.append((district, int(number)))
        try:
            authority = authority_by_code(options["la_code"])
            with transaction.atomic():  # all the districts or none
                rows = [
                    child_population_set(
                        by=by,
                        authority=authority,
                        district=district,
                        children=children,
                        year=options["year"],
                    )  # fmt: skip
                    for district, children in pairs
                ]
        except ApplicationError as error:
            raise CommandError(error.message) from error
        for row in rows:
            self.stdout.write(f"{row.district}: {row.children} children ({row.year})")
