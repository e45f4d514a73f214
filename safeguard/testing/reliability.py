"""Processes for the reliability tests (safeguard/tests/test_reliability.py).

Run as ``python -m safeguard.testing.reliability COMMAND`` with ``DATABASE_URL`` naming the
database to work on; each command prints one line of JSON last. They use the real services,
so every write goes through the same transactions, version checks and audit chain as a page.

- ``setup``: the test world and an open case (``--migrate`` first for a new SQLite file).
- ``increment``: threads that each try N version-checked increments of a child's record.
- ``crash``: fork a writer of case notes and SIGKILL it at a random moment, K times.
- ``write``: write case notes for S seconds (the backup test runs a backup meanwhile).
- ``check``: integrity, no half-written batch, both audit chains.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import sys
import threading
import time
from pathlib import Path

BATCH = 10  # case notes per transaction: a kill mid-batch must leave none of it


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safeguard.test_settings")
    import django

    django.setup()


def _ids() -> dict:
    from safeguard.accounts.models import User
    from safeguard.casework.models import Case

    case = Case.objects.order_by("created_at").first()
    return {
        "case": str(case.pk),
        "child": str(case.child_id),
        "user": User.objects.get(username="amy").pk,
    }


def setup(args) -> dict:
    from django.core.management import call_command
    from django.utils import timezone

    if args.migrate:
        call_command("migrate", verbosity=0)
    from safeguard.testing.journey import open_case
    from safeguard.testing.world import build_world

    world = build_world()
    open_case(world, received=timezone.localdate() - timezone.timedelta(days=30))
    return _ids()


def increment(args) -> dict:
    """Each thread: read the record, write back its counter plus one at the version read."""
    from django.db import OperationalError, connections

    from safeguard.accounts.models import User
    from safeguard.core.concurrency import StaleRecord
    from safeguard.people.models import Person
    from safeguard.people.services import person_update

    ids = _ids()
    user = User.objects.get(pk=ids["user"])
    saved, conflicts, errors = [0], [0], []
    lock = threading.Lock()
    start = threading.Barrier(args.threads)

    def work() -> None:
        start.wait()
        try:
            for _ in range(args.attempts):
                person = Person.objects.get(pk=ids["child"])
                counter = int(person.police_reference or 0)
                try:
                    person_update(
                        by=user,
                        person=person,
                        version=person.version,
                        police_reference=str(counter + 1),
                    )
                except StaleRecord:
                    with lock:
                        conflicts[0] += 1
                except OperationalError as error:  # a lock wait that timed out
                    with lock:
                        errors.append(str(error))
                else:
                    with lock:
                        saved[0] += 1
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work) for _ in range(args.threads)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return {"saved": saved[0], "conflicts": conflicts[0], "errors": errors}


def _write_notes(
    case_id: str, user_id: int, batches: int | None, until: float | None, tell: int | None = None
) -> int:
    from django.db import transaction
    from django.utils import timezone

    from safeguard.accounts.models import User
    from safeguard.audit.services import record_access
    from safeguard.casework.models import Case
    from safeguard.casework.services import case_note_add

    user = User.objects.get(pk=user_id)
    case = Case.objects.select_related("child").get(pk=case_id)
    today = timezone.localdate()
    done = 0
    while (batches is None or done < batches) and (until is None or time.monotonic() < until):
        with transaction.atomic():
            record_access(by=user, person_ids=[case.child_id], purpose="edit", route="/test")
            for i in range(BATCH):
                case_note_add(
                    by=user,
                    case=case,
                    note_date=today,
                    subject=f"Batch {done} note {i}",
                    text="Synthetic note written by the reliability test. " * 8,
                    significant=True,
                )
        done += 1
        if tell is not None:  # a batch committed: let the parent know
            os.write(tell, b".")
    return done


def crash(args) -> dict:
    """Fork a writer and kill it with SIGKILL at a random moment, ``--kills`` times."""
    from django.db import connections

    ids = _ids()
    rng = random.Random(args.seed)
    connections.close_all()
    for _ in range(args.kills):
        read, tell = os.pipe()
        pid = os.fork()
        if pid == 0:  # the writer: write until killed
            os.close(read)
            try:
                _write_notes(ids["case"], ids["user"], None, None, tell)
            finally:
                os._exit(0)
        os.close(tell)
        # Once the writer has committed a batch (so it is up and writing, however loaded the
        # machine), kill it at a random moment of the batches that follow.
        if not os.read(read, 1):
            raise RuntimeError("The writer ended without committing anything")
        time.sleep(rng.uniform(0.0, 0.3))
        os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
        os.close(read)
        if not (os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL):
            raise RuntimeError(f"The writer ended before it was killed (status {status})")
    return {"kills": args.kills}


def write(args) -> dict:
    """Write batches of notes until the file ``--until`` exists (at most ``--seconds``)."""
    ids = _ids()
    stop = Path(args.until)
    deadline = time.monotonic() + args.seconds
    batches = _write_notes(ids["case"], ids["user"], 1, None)
    print("writing", flush=True)
    while not stop.exists() and time.monotonic() < deadline:
        batches += _write_notes(ids["case"], ids["user"], 5, None)
    return {"batches": batches, "stopped": stop.exists()}


def check(args) -> dict:
    from django.db import connection

    from safeguard.audit.integrity import sqlite_integrity, verify_all
    from safeguard.audit.models import AccessEvent, ChangeEvent
    from safeguard.casework.models import CaseNote, ChronologyEntry
    from safeguard.people.models import Person

    integrity = sqlite_integrity() if connection.vendor == "sqlite" else "ok (PostgreSQL)"
    notes = CaseNote.objects.count()
    note_ids = {str(pk) for pk in CaseNote.objects.values_list("pk", flat=True)}
    entries = set(
        ChronologyEntry.objects.filter(source_type="casework.casenote").values_list(
            "source_id", flat=True
        )
    )
    created = set(
        ChangeEvent.objects.filter(target_type="casework.casenote", verb="created").values_list(
            "target_id", flat=True
        )
    )
    audit = verify_all()
    child = Person.objects.filter(pk=_ids()["child"]).values("police_reference", "version").get()
    return {
        "counter": [int(child["police_reference"] or 0), child["version"]],
        "accesses": AccessEvent.objects.filter(route="/test").count(),
        "integrity": integrity,
        "notes": notes,
        "whole_batches": notes % BATCH == 0,
        "notes_without_entry": len(note_ids - entries),
        "entries_without_note": len(entries - note_ids),
        "notes_without_event": len(note_ids - created),
        "events_without_note": len(created - note_ids),
        "audit_ok": audit.ok,
        "audit": audit.lines(),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m safeguard.testing.reliability")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("setup")
    p.add_argument("--migrate", action="store_true")
    p = sub.add_parser("increment")
    p.add_argument("--threads", type=int, default=8)
    p.add_argument("--attempts", type=int, default=50)
    p = sub.add_parser("crash")
    p.add_argument("--kills", type=int, default=25)
    p.add_argument("--seed", type=int, default=2009)
    p = sub.add_parser("write")
    p.add_argument("--until", required=True)
    p.add_argument("--seconds", type=float, default=60)
    sub.add_parser("check")
    args = parser.parse_args(argv)
    _django()
    result = {
        "setup": setup,
        "increment": increment,
        "crash": crash,
        "write": write,
        "check": check,
    }[args.command](args)
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
