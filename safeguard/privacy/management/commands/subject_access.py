"""``safeguard subject-access PERSON_ID --output FILE.zip``: the subject access export for one
person (a readable HTML report and the whole record as JSON, with its access history; third
parties marked for redaction). The export is logged as an access to the person and to every
third party named in it."""

from pathlib import Path
from uuid import UUID

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from safeguard.people import permissions as people_permissions
from safeguard.people.models import Person
from safeguard.privacy import export, permissions
from safeguard.privacy.commandline import acting_user, log_reads
from safeguard.privacy.permissions import Action


class Command(BaseCommand):
    help = "Write the subject access export for one person to a ZIP file."

    def add_arguments(self, parser):
        parser.add_argument("person_id", metavar="PERSON_ID", help="The person's id (a UUID)")
        parser.add_argument("--output", required=True, metavar="FILE.zip", help="Where to write")
        parser.add_argument("--by", metavar="USERNAME", help="The service manager answering")

    def handle(self, *args, person_id, output, by=None, **options):
        try:
            pid = UUID(person_id)
        except ValueError:
            raise CommandError(f"{person_id!r} is not a person id") from None
        target = Path(output)
        if target.suffix.lower() != ".zip":
            raise CommandError("The output file must end in .zip")
        if not target.parent.is_dir():
            raise CommandError(f"There is no folder {target.parent}")
        user = acting_user(by)
        with transaction.atomic():
            person = Person.objects.filter(pk=pid).select_related("authority").first()
            if person is None or (
                user.agency_id and not permissions.can(user, Action.MANAGE, person)
            ):
                raise CommandError("No such person")
            if user.agency_id and not people_permissions.can(
                user, people_permissions.Action.VIEW, person
            ):
                # A sealed record the member of staff is not named on (decision 0005).
                raise CommandError(f"The record {person.reference} is restricted")
            data = export.gather(person)
            named = list(Person.objects.filter(pk__in=export.third_party_ids(data)))
            route = f"command subject-access {person.pk}"
            log_reads(user=user, people_list=[person], purpose="view", route=route,
                      reason="Subject access export")  # fmt: skip
            log_reads(user=user, people_list=named, purpose="view", route=route,
                      reason=f"Named in the subject access export of {person.pk}")  # fmt: skip
            # A third party the member of staff may not see is named by reference only.
            export.withhold(data, {p.pk: p.reference for p in named if p.withheld})
            content = export.to_zip(data)
        target.write_bytes(content)
        self.stdout.write(
            f"Wrote {target} for {person.full_name}: {len(data['third_parties'])} third "
            f"part{'y' if len(data['third_parties']) == 1 else 'ies'} marked for redaction, "
            f"{len(data['access_history'])} access events"
        )
