"""Fixtures shared by every app's tests: real PostgreSQL (pytest-django), real Redis, a real SMTP
server, a real Celery worker process and a real Chromium driven by Playwright."""

import os
import shutil

import pytest

# Playwright's sync API runs an event loop in the test thread; Django's ORM would otherwise refuse
# to run there. The live server itself is an ordinary thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings):
    """Per test: a fast password hasher, tasks run in-process, an empty cache (rate limits):
    this run's keys only, never another run's, and the default language (a request in German
    leaves German active in this thread, as LocaleMiddleware does not switch back)."""
    from django.utils import translation

    from alpclusters.celery import app
    from testing.cache import clear_own_cache

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    clear_own_cache()
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = True
    translation.activate(settings.LANGUAGE_CODE)
    yield
    app.conf.task_always_eager = eager
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def smtp_server():
    from testing import SMTPServer

    server = SMTPServer().start()
    yield server
    server.stop()


@pytest.fixture
def celery_worker(transactional_db, smtp_server, settings):
    """A real worker process on the Redis broker, using the test database and the SMTP server.

    Tasks queued by the test go to this worker's own queue instead of running in-process.
    """
    from django.db import connection

    from alpclusters.celery import app
    from testing import CeleryWorker

    db = connection.settings_dict
    database_url = (
        f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    )
    worker = CeleryWorker(
        env={
            "DATABASE_URL": database_url,
            "EMAIL_URL": smtp_server.url,
            "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
            # Retries a second apart, so that an SMTP outage in a test ends in seconds.
            "OUTBOX_RETRY_BASE": "1",
            "OUTBOX_RETRY_MAX": "2",
        }
    )
    old_queue = app.conf.task_default_queue
    app.conf.task_default_queue = worker.queue
    app.conf.task_always_eager = False
    # Mail handed to the worker goes to the real SMTP server, not Django's test outbox.
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", smtp_server.port
    worker.start(app)
    yield worker
    worker.stop()
    app.conf.task_default_queue = old_queue


class _BrokerDown:
    """The Celery app pointed at a port where no broker listens, until ``restore()``."""

    def __init__(self):
        from alpclusters.celery import app
        from testing import free_port

        self.app = app
        self.broker_url = app.conf.broker_url
        self.eager = app.conf.task_always_eager
        app.conf.task_always_eager = False
        app.conf.broker_url = f"redis://127.0.0.1:{free_port()}/0"
        self._reset()

    def _reset(self):
        # Drop the app's references only: kombu keeps pools per URL in a global registry, and
        # closing one would break every later use of that URL.
        self.app._pool = None
        self.app.amqp._producer_pool = None

    def restore(self):
        self.app.conf.broker_url = self.broker_url
        self.app.conf.task_always_eager = self.eager
        self._reset()


@pytest.fixture
def broker_down():
    down = _BrokerDown()
    yield down
    down.restore()


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, headless, driven by Playwright (which cannot download browsers here)."""
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        message = f"Chromium not found at {CHROMIUM} (apt-get install -y chromium)"
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()
