"""Creates the database cache's table (settings.CACHES), so `migrate` alone prepares a new
database on every app server's behalf; nothing to remember at deployment."""

from typing import Any

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps: Any, schema_editor: Any) -> None:
    # Does nothing for a cache that is not in the database, or a table that exists.
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("core", "0002_user_confirmed_at")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
