"""Append-only audit tables: triggers refuse UPDATE and DELETE (and TRUNCATE on PostgreSQL).

See safeguard/audit/guard.py and docs/decisions/0006. On SQLite, a later migration that
rebuilds one of these tables drops its triggers with it: run ``guard.install_sql`` again after
it (``safeguard verify-audit`` reports missing triggers).
"""

from django.db import migrations


def install(apps, schema_editor):
    from safeguard.audit.guard import install_sql

    for statement in install_sql(schema_editor.connection.vendor):
        schema_editor.execute(statement, params=None)


def uninstall(apps, schema_editor):
    from safeguard.audit.guard import uninstall_sql

    for statement in uninstall_sql(schema_editor.connection.vendor):
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):

    dependencies = [
        ("audit", "0003_chain_unique"),
    ]

    operations = [
        migrations.RunPython(install, uninstall),
    ]
