"""The outbox's tasks: send a batch, sweep what is stuck. Retries follow OUTBOX_RETRY_* settings."""

from celery import shared_task

from . import services


@shared_task(bind=True)
def send_messages_task(self, *, message_ids: list[int]) -> dict:
    try:
        return services.messages_send(message_ids=message_ids)
    except services.TemporaryFailure as failure:
        if self.request.is_eager:
            # In-process (the embedded default): the sweep retries, the request goes on.
            return {"retry_in": failure.retry_in}
        raise self.retry(countdown=failure.retry_in, max_retries=None, exc=failure) from None


@shared_task
def sweep_outbox_task() -> int:
    return services.outbox_sweep()
