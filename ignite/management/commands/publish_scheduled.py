from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from ignite import rules
from ignite.staging import changes


class Command(BaseCommand):
    help = (
        "Publish the staged changes whose scheduled time has come. Not needed for them to go "
        "live (the first request after their moment publishes them); running it again changes "
        "nothing."
    )

    def handle(self, *args, **options):
        with transaction.atomic(), rules.acting_as(None):
            applied = changes.apply_due(timezone.now())
        for edit in applied:
            self.stdout.write(f"Published staged change #{edit.pk}: {edit.object_label}")
        self.stdout.write(f"{len(applied)} scheduled staged change(s) published.")
