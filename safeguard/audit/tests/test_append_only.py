"""The audit tables refuse UPDATE and DELETE (and TRUNCATE on PostgreSQL) at the database."""

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from safeguard.audit import guard
from safeguard.audit.models import AccessEvent, ChangeEvent
from safeguard.audit.services import record_access, record_change
from safeguard.audit.testing import clear_access_log


@pytest.fixture
def events(world):
    record_access(by=world.sw_amy, person_ids=[world.child_sam.pk], purpose="view", route="/x")
    record_change(by=world.sw_amy, verb="updated", obj=world.child_sam, before={"a": 1})
    return AccessEvent.objects.get(), ChangeEvent.objects.order_by("-sequence").first()


def _refused(sql: str, params=()) -> str:
    with pytest.raises(DatabaseError) as error, transaction.atomic(), connection.cursor() as c:
        c.execute(sql, params)
    return str(error.value)


@pytest.mark.parametrize("model", [AccessEvent, ChangeEvent])
def test_update_and_delete_are_refused_by_the_database(events, model):
    table = model._meta.db_table
    assert "append-only" in _refused(f"UPDATE {table} SET role = 'admin'")  # noqa: S608
    assert "append-only" in _refused(f"DELETE FROM {table}")  # noqa: S608
    assert model.objects.exclude(role="admin").count() == model.objects.count() > 0


@pytest.mark.parametrize("model", [AccessEvent, ChangeEvent])
def test_the_orm_refuses_too(events, model):
    row = model.objects.first()
    with pytest.raises(ValueError, match="append-only"):
        row.save()
    with pytest.raises(ValueError, match="append-only"):
        row.delete()
    with pytest.raises(DatabaseError), transaction.atomic():
        model.objects.filter(pk=row.pk).update(role="admin")
    with pytest.raises(DatabaseError), transaction.atomic():
        model.objects.all().delete()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("model", [AccessEvent, ChangeEvent])
def test_emptying_the_table_is_refused(events, model):
    """TRUNCATE on PostgreSQL; on SQLite (which has no TRUNCATE) its truncate optimisation, an
    unqualified DELETE, which the triggers turn off."""
    table = model._meta.db_table
    sql = f"TRUNCATE {table} CASCADE" if connection.vendor == "postgresql" else f"DELETE FROM {table}"  # noqa: S608
    assert "append-only" in _refused(sql)
    assert model.objects.exists()


def test_the_guard_is_lifted_only_inside_its_transaction(events):
    clear_access_log()
    assert not AccessEvent.objects.exists()
    # Straight after, the guard is back.
    record_access(by=events[0].user, person_ids=[events[0].person_id], purpose="view", route="/")
    assert "append-only" in _refused("DELETE FROM audit_accessevent")


def test_a_rolled_back_lift_leaves_the_guard_in_place(events):
    with pytest.raises(LookupError), transaction.atomic(), guard.lifted():
        raise LookupError("a failure half-way through maintenance")
    assert "append-only" in _refused("DELETE FROM audit_changeevent")


def test_all_four_triggers_are_installed(db):
    assert guard.triggers_present() == guard.EXPECTED_TRIGGERS[connection.vendor]


@pytest.mark.django_db(transaction=True)
def test_flush_empties_the_audit_tables_and_leaves_the_guard(world):
    with pytest.raises(RuntimeError, match="inside a transaction"), guard.lifted():
        pass
    record_access(by=world.sw_amy, person_ids=[world.child_sam.pk], purpose="view", route="/x")
    call_command("flush", interactive=False, verbosity=0)
    assert not AccessEvent.objects.exists() and not ChangeEvent.objects.exists()
    assert guard.triggers_present() == guard.EXPECTED_TRIGGERS[connection.vendor]
