"""A published pack is never changed, whoever connects (decision 0084): a trigger refuses
every UPDATE of a row of boards_pack whose stored status is "published". Deleting is left to
the foreign keys (a pack is protected by its commentary and its correction) and to the
services, which never delete, so that ``flush`` still empties the table between tests."""

from django.db import migrations

SQLITE = [
    "DROP TRIGGER IF EXISTS boards_pack_published_frozen",
    "CREATE TRIGGER boards_pack_published_frozen BEFORE UPDATE ON boards_pack "
    "WHEN OLD.status = 'published' "
    "BEGIN SELECT RAISE(ABORT, 'A published pack is never changed'); END",
]
SQLITE_REVERSE = ["DROP TRIGGER IF EXISTS boards_pack_published_frozen"]
POSTGRESQL = [
    "CREATE OR REPLACE FUNCTION boards_pack_published_frozen() RETURNS trigger AS $$ "
    "BEGIN IF OLD.status = 'published' THEN "
    "RAISE EXCEPTION 'A published pack is never changed'; END IF; RETURN NEW; END; "
    "$$ LANGUAGE plpgsql",
    "DROP TRIGGER IF EXISTS boards_pack_published_frozen ON boards_pack",
    "CREATE TRIGGER boards_pack_published_frozen BEFORE UPDATE ON boards_pack "
    "FOR EACH ROW EXECUTE FUNCTION boards_pack_published_frozen()",
]
POSTGRESQL_REVERSE = [
    "DROP TRIGGER IF EXISTS boards_pack_published_frozen ON boards_pack",
    "DROP FUNCTION IF EXISTS boards_pack_published_frozen()",
]


def _run(statements):
    def run(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        chosen = statements.get(vendor, [])
        for sql in chosen:
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("boards", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRESQL}),
            _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRESQL_REVERSE}),
        )
    ]
