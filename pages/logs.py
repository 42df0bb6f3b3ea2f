"""What each request's log line says, on top of django-structlog's middleware.

The request id is the proxy's ``X-Request-ID`` when it sends a sane one (so one id follows a request
from the load balancer through the portal into the Celery tasks it queued), else a new UUID; it is
returned in the response's ``X-Request-ID``. The request's line names method, path, status and
duration; the path without its query string and with the secrets some URLs carry (invitation and
mail-preference tokens, allauth's confirmation and password-reset keys) masked. The user is named by
id only (``user_id``, bound by django-structlog): never an address, never the client's IP address.
"""

from __future__ import annotations

import re
import time
import uuid

import structlog
from django.dispatch import receiver
from django.urls import Resolver404, resolve
from django_structlog import signals

REQUEST_ID_HEADER = "X-Request-ID"
# What a proxy's id looks like (UUIDs, nginx's $request_id, trace ids); anything else is replaced.
_SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9._:+/=-]{1,128}", re.ASCII)
# URL parameters that are credentials: the link in a mail is the key to one person's data.
SECRET_URL_KWARGS = ("token", "key", "uidb36")
MASK = "[redacted]"


def request_id_from(request) -> str:
    incoming = request.headers.get(REQUEST_ID_HEADER, "")
    return incoming if _SANE_REQUEST_ID.fullmatch(incoming) else str(uuid.uuid4())


def _match(request):
    match = getattr(request, "resolver_match", None)
    if match is not None:
        return match
    # Answered before the URL was resolved (a redirect to the address with a slash): resolve it
    # here, so that a token in it is masked all the same.
    for candidate in (request.path, request.path + "/"):
        try:
            return resolve(candidate, getattr(request, "urlconf", None))
        except Resolver404:
            continue
    return None


def loggable_path(request) -> str:
    """The request's path, its secrets masked; no query string (search terms, tokens)."""
    path = request.path
    match = _match(request)
    if match is not None:
        for name in SECRET_URL_KWARGS:
            value = match.kwargs.get(name)
            if value:
                path = path.replace(str(value), MASK)
    return path


def _describe(request, log_kwargs: dict, status: int | None) -> None:
    log_kwargs.pop("request", None)
    log_kwargs.pop("code", None)
    log_kwargs["method"] = request.method
    log_kwargs["path"] = loggable_path(request)
    if status is not None:
        log_kwargs["status"] = status
    started = getattr(request, "_log_started", None)
    if started is not None:
        log_kwargs["duration_ms"] = round((time.perf_counter() - started) * 1000, 1)


@receiver(signals.bind_extra_request_metadata)
def _request_started(sender, request, logger, log_kwargs, **kwargs):
    request._log_started = time.perf_counter()
    structlog.contextvars.bind_contextvars(request_id=request_id_from(request))
    log_kwargs.pop("user_agent", None)
    _describe(request, log_kwargs, None)


@receiver(signals.bind_extra_request_finished_metadata)
def _request_finished(sender, request, logger, response, log_kwargs, **kwargs):
    _describe(request, log_kwargs, response.status_code)
    _return_request_id(response)


@receiver(signals.bind_extra_request_failed_metadata)
def _request_failed(sender, request, logger, exception, log_kwargs, **kwargs):
    _describe(request, log_kwargs, 500)


@receiver(signals.update_failure_response)
def _failure_response(sender, request, response, logger, exception, **kwargs):
    _return_request_id(response)


def _return_request_id(response) -> None:
    request_id = structlog.contextvars.get_contextvars().get("request_id")
    if request_id:
        response[REQUEST_ID_HEADER] = request_id
