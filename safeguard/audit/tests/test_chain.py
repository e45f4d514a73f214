"""The hash chains and ``safeguard verify-audit``."""

import hashlib
import io

import pytest
from django.core.management import CommandError, call_command

from safeguard.audit import checkpoints
from safeguard.audit.chain import GENESIS, canonical, row_hash
from safeguard.audit.models import AccessEvent, ChangeEvent
from safeguard.audit.services import record_access, record_change
from safeguard.audit.testing import remove, tamper
from safeguard.cli import main


@pytest.fixture
def trail(world):
    for i in range(3):
        record_access(
            by=world.sw_amy,
            person_ids=[world.child_sam.pk, world.child_tom.pk],
            purpose="view",
            route=f"/people/{i}",
            ip_address="::ffff:10.0.0.1" if i else "127.0.0.1",
        )
        record_change(by=world.sw_amy, verb="updated", obj=world.child_sam, before={"i": i})
    return world


def verify() -> tuple[int, str]:
    out = io.StringIO()
    try:
        call_command("verify_audit", stdout=out)
    except CommandError as error:
        return error.returncode, out.getvalue() + str(error)
    return 0, out.getvalue()


def test_every_row_is_chained_to_the_one_before(trail):
    for model in (AccessEvent, ChangeEvent):
        rows = list(model.objects.order_by("sequence"))
        assert [r.sequence for r in rows] == list(range(1, len(rows) + 1))
        previous = GENESIS
        for row in rows:
            assert row.hash == row_hash(previous, row)
            previous = row.hash
    # One bulk insert per call still writes one event per person.
    assert AccessEvent.objects.count() == 6


def test_verify_audit_passes_on_an_intact_trail(trail):
    code, out = verify()
    assert code == 0
    assert "audit_accessevent: 6 rows, chain intact (last sequence 6" in out
    assert "Audit verified" in out


def test_verify_audit_reports_a_tampered_row(trail):
    third = AccessEvent.objects.get(sequence=3)
    tamper(AccessEvent, third.pk, route="/somewhere/else")
    code, out = verify()
    assert code == 1
    assert f"audit_accessevent: row id {third.pk}, sequence 3: stored hash" in out
    assert f"audit_changeevent: {ChangeEvent.objects.count()} rows, chain intact" in out


def test_verify_audit_reports_a_tampered_change_after_the_hash_was_recomputed(trail):
    """Rewriting a row and its hash breaks the link to the next row."""
    second = ChangeEvent.objects.get(sequence=2)
    second.after = {"forged": True}
    first = ChangeEvent.objects.get(sequence=1)
    tamper(ChangeEvent, second.pk, after={"forged": True}, hash=row_hash(first.hash, second))
    third = ChangeEvent.objects.get(sequence=3)
    code, out = verify()
    assert code == 1
    assert f"audit_changeevent: row id {third.pk}, sequence 3: stored hash" in out


def test_verify_audit_reports_a_deleted_row_as_a_gap(trail):
    gone = ChangeEvent.objects.get(sequence=2)
    remove(ChangeEvent, gone.pk)
    third = ChangeEvent.objects.get(sequence=3)
    code, out = verify()
    assert code == 1
    assert f"row id {third.pk}, sequence 3: sequence jumps from 1 to 3: 1 row missing" in out


def test_the_hyphenated_command_name_works(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["verify-audit", "--help"])
    assert exit_.value.code == 0
    assert "Check the hash chains" in capsys.readouterr().out


# --- Tampering by someone who holds only the database (issue 11, item 4) --------------------


def _plain_rechain(model) -> None:
    """What anyone with the database could do: renumber the rows left and recompute every
    hash as plain SHA-256 of the previous hash and the row, as the chain was first defined."""
    previous = GENESIS
    for number, row in enumerate(model._base_manager.order_by("sequence"), start=1):
        row.sequence = number
        link = hashlib.sha256(previous.encode() + b"\n" + canonical(row)).hexdigest()
        tamper(model, row.pk, sequence=number, hash=link)
        previous = link


def test_deleting_rows_and_recomputing_the_plain_chain_is_reported(trail):
    before = ChangeEvent.objects.count()
    for row in ChangeEvent.objects.filter(sequence__in=[2, 3]):
        remove(ChangeEvent, row.pk)
    _plain_rechain(ChangeEvent)
    sequences = list(ChangeEvent.objects.order_by("sequence").values_list("sequence", flat=True))
    assert sequences == list(range(1, before - 1))  # no gap left to see
    code, out = verify()
    assert code == 1
    assert "audit_changeevent: BROKEN after 0 good rows" in out
    assert "sequence 1: stored hash" in out


def test_recomputing_the_chain_with_a_guessed_key_is_reported(trail, settings):
    remove(AccessEvent, AccessEvent.objects.get(sequence=4).pk)
    settings.SAFEGUARD_AUDIT_KEY = "a-guess"
    previous = GENESIS
    for number, row in enumerate(AccessEvent.objects.order_by("sequence"), start=1):
        row.sequence = number
        previous = row_hash(previous, row)
        tamper(AccessEvent, row.pk, sequence=number, hash=previous)
    settings.SAFEGUARD_AUDIT_KEY = "test-audit-key-not-for-production"
    code, out = verify()
    assert code == 1
    assert "audit_accessevent: BROKEN after 0 good rows" in out


def test_rows_cut_from_the_end_after_a_checkpoint_are_reported(trail):
    assert verify()[0] == 0  # writes a checkpoint of both heads, outside the database
    assert checkpoints.path().is_file()
    for row in AccessEvent.objects.filter(sequence__gte=5):
        remove(AccessEvent, row.pk)
    code, out = verify()
    assert code == 1
    assert (
        "audit_accessevent: the chain ends at sequence 4, but the checkpoint of" in out
        and "recorded sequence 6: rows were removed from its end" in out
    )


def test_a_checkpoint_line_changed_by_hand_is_reported(trail):
    assert verify()[0] == 0
    text = checkpoints.path().read_text().replace('"audit_accessevent": [6', '"audit_accessevent": [2')
    checkpoints.path().write_text(text)
    code, out = verify()
    assert code == 1
    assert "line 1: not written with this audit key" in out


def test_verify_audit_checkpoints_only_when_asked_and_intact(trail):
    out = io.StringIO()
    call_command("verify_audit", "--no-checkpoint", stdout=out)
    assert not checkpoints.path().exists()
    assert verify()[0] == 0
    assert verify()[0] == 0
    assert len(checkpoints.read().entries) == 2
    assert "agrees with the checkpoint of" in verify()[1]


def test_rows_written_before_the_key_stay_verifiable_and_are_sealed_by_the_first_keyed_row(trail):
    """A database upgraded with plain rows: the migration records, outside the database, the
    sequence from which rows are keyed; rewriting the plain rows is still found."""
    for model in (AccessEvent, ChangeEvent):
        _plain_rechain(model)  # as the rows were written before the key existed
    heads = {
        m._meta.db_table: (m.objects.count() + 1, "") for m in (AccessEvent, ChangeEvent)
    }
    checkpoints.append("keyed-from", heads, "as migration audit 0005 does")
    record_change(by=trail.sw_amy, verb="updated", obj=trail.child_sam, before={"i": 9})
    assert verify()[0] == 0
    # Now someone removes a plain row and recomputes the plain rows: the keyed row breaks.
    remove(ChangeEvent, ChangeEvent.objects.get(sequence=1).pk)
    previous = GENESIS
    for number, row in enumerate(ChangeEvent.objects.filter(sequence__lt=4).order_by("sequence"), 1):
        row.sequence = number
        previous = hashlib.sha256(previous.encode() + b"\n" + canonical(row)).hexdigest()
        tamper(ChangeEvent, row.pk, sequence=number, hash=previous)
    code, out = verify()
    assert code == 1
    assert "audit_changeevent: BROKEN" in out


@pytest.mark.django_db(transaction=True)  # flush empties committed tables (PostgreSQL: TRUNCATE)
def test_flush_starts_the_checkpoints_afresh(trail):
    assert verify()[0] == 0
    call_command("flush", interactive=False, verbosity=0)
    assert verify()[0] == 0
