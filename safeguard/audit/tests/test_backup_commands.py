"""``safeguard restore`` refuses a file that is not a sound backup, and changes nothing.

Backups taken during writes and restored into a fresh database are tested in
safeguard/tests/test_reliability.py, with real processes.
"""

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from safeguard.audit.models import ChangeEvent


def test_restore_refuses_a_file_that_is_not_a_backup(world, tmp_path):
    junk = tmp_path / "not-a-backup"
    junk.write_bytes(b"this is not a database" * 100)
    before = ChangeEvent.objects.count()
    with pytest.raises(CommandError) as error:
        call_command("restore", str(junk))
    assert error.value.returncode == 1
    assert ChangeEvent.objects.count() == before > 0


def test_restore_refuses_a_missing_file(db, tmp_path):
    with pytest.raises(CommandError, match="No such file"):
        call_command("restore", str(tmp_path / "missing"))


def test_the_last_sound_backup_is_noted_outside_the_database(db, tmp_path):
    from safeguard.audit import backup

    assert backup.last_backup() is None
    backup.record_backup(tmp_path / "nightly.backup")
    made = backup.last_backup()
    assert made is not None and (timezone.now() - made).total_seconds() < 60
