# Catalog search reads one folded column (features/search.py), with a trigram index on PostgreSQL.

from django.db import migrations, models

from features import search


def fill_search_text(apps, schema_editor):
    Feature = apps.get_model("features", "Feature")
    changed = []
    for feature in Feature.objects.select_related("area").order_by("pk").iterator(500):
        values = {name: getattr(feature, name) for name in search.source_fields()}
        feature.search_text = search.document(values, [feature.area.name_en or "", feature.area.name_ja or ""])
        changed.append(feature)
    Feature.objects.bulk_update(changed, ["search_text"], batch_size=500)


def add_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return  # SQLite reads every row: fast enough for its sizes, and no such index there
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX {search.TRIGRAM_INDEX} ON features_feature "
        "USING gin (search_text gin_trgm_ops)"
    )


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {search.TRIGRAM_INDEX}")


class Migration(migrations.Migration):

    dependencies = [
        ('features', '0009_scheduled_publishing'),
    ]

    operations = [
        migrations.AddField(
            model_name='feature',
            name='search_text',
            field=models.TextField(default='', editable=False, help_text="What catalog search reads: the feature's text, folded (kept up on save).", verbose_name='search text'),
        ),
        migrations.RunPython(fill_search_text, migrations.RunPython.noop),
        migrations.RunPython(add_trigram_index, drop_trigram_index),
    ]
