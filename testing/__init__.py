"""Support for tests and benchmarks (not part of the portal): a real SMTP server and a real Celery
worker process. Nothing under the apps imports this package."""

from .servers import CeleryWorker, SMTPServer, free_port

__all__ = ["CeleryWorker", "SMTPServer", "free_port"]
