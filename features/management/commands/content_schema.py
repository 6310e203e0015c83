import json

from django.core.management.base import BaseCommand

from features.content_io import SCHEMA_PATH, build_schema


class Command(BaseCommand):
    help = (
        f"Print the JSON Schema of the content format (published at {SCHEMA_PATH}). After "
        "changing the format: manage.py content_schema > "
        "features/content_io/content-v1.schema.json"
    )

    def handle(self, *args, **options):
        self.stdout.write(json.dumps(build_schema(), ensure_ascii=False, indent=2))
