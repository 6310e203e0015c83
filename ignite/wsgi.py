import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ignite.settings")

application = get_wsgi_application()

# Serving pages: a database that hangs must cost a request seconds (ignite/postgresql).
from ignite.postgresql.base import bound_waits  # noqa: E402 (needs the settings above)

bound_waits()
