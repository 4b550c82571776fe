"""PostgreSQL: unaccent and a French text search configuration that ignores accents.

``french_unaccent`` is the ``SEARCH_CONFIG`` of the database search backend
(config/settings/base.py): words go through ``unaccent`` then the French Snowball stemmer,
at index time and at query time, so « epicerie » finds « Épicerie » and « femme » finds
« femmes ». ``f_unaccent`` is the immutable wrapper modelsearch's ``FUnaccent`` expects
(the same as its ``enable_unaccent`` command creates); the autocomplete uses it.
Nothing to do on SQLite: FTS5's unicode61 tokenizer removes diacritics itself.
https://www.postgresql.org/docs/current/unaccent.html
"""

from django.db import migrations

FORWARD = """
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE OR REPLACE FUNCTION f_unaccent(text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS
$func$ SELECT public.unaccent('public.unaccent', $1) $func$;
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'french_unaccent') THEN
        CREATE TEXT SEARCH CONFIGURATION french_unaccent (COPY = french);
        ALTER TEXT SEARCH CONFIGURATION french_unaccent
            ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;
    END IF;
END
$$;
"""

BACKWARD = "DROP TEXT SEARCH CONFIGURATION IF EXISTS french_unaccent;"


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = []

    operations = [migrations.RunPython(forward, backward, elidable=False)]
