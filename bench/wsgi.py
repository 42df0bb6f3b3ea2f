"""The portal's WSGI application with bench/urls.py as its URLconf (adds the bare view)."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alpclusters.settings")

import django
from django.conf import settings

django.setup()
settings.ROOT_URLCONF = "bench.urls"

from django.core.wsgi import get_wsgi_application  # noqa: E402

application = get_wsgi_application()
