import json

from django.core.management.base import BaseCommand, CommandError

from features.content_io import build_schema
from features.content_io import format as fmt
from features.content_io.schema import schema_path


class Command(BaseCommand):
    help = (
        f"Print the JSON Schema of a version of the content format (the current, "
        f"{fmt.SCHEMA_VERSION}, unless --schema-version says otherwise; published at "
        f"{schema_path()}). After changing the format: manage.py content_schema > "
        f"features/content_io/content-v{fmt.SCHEMA_VERSION}.schema.json"
    )

    def add_arguments(self, parser):
        parser.add_argument("--schema-version", type=int, default=fmt.SCHEMA_VERSION)

    def handle(self, *args, **options):
        version = options["schema_version"]
        if version not in fmt.READABLE_VERSIONS:
            readable = ", ".join(map(str, fmt.READABLE_VERSIONS))
            raise CommandError(f"This site reads versions {readable}, not {version}.")
        self.stdout.write(json.dumps(build_schema(version), ensure_ascii=False, indent=2))
