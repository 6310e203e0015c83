from django.core.management.base import BaseCommand

from ignite.roles import sync_roles


class Command(BaseCommand):
    help = "Create or update the Editor and Publisher groups (also runs after every migrate)."

    def handle(self, *args, **options):
        sync_roles(verbosity=options["verbosity"])
        self.stdout.write("Editor and Publisher groups are up to date.")
