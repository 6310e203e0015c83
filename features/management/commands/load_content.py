from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

LAUNCH_CONTENT = settings.BASE_DIR / "content" / "ignite-2025.json"


class Command(BaseCommand):
    help = (
        "Load the launch content (content/ignite-2025.json) through import_content. "
        "Running it again changes nothing; after editing the file it updates what changed."
    )

    def handle(self, *args, **options):
        call_command("import_content", LAUNCH_CONTENT, stdout=self.stdout, stderr=self.stderr)
