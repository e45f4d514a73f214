"""The hash chains and ``safeguard verify-audit``."""

import io

import pytest
from django.core.management import CommandError, call_command

from safeguard.audit.chain import GENESIS, row_hash
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
