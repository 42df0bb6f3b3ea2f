"""Thin tasks: they take ids, fetch, and call the mail functions; retries live here."""

from smtplib import SMTPException

from celery import shared_task

from . import mail
from .models import Post, Report

RETRY = {
    "autoretry_for": (SMTPException, OSError),
    "retry_backoff": True,
    "retry_backoff_max": 600,
    "max_retries": 10,
}


@shared_task(**RETRY)
def send_post_decision_task(*, post_id: int) -> None:
    post = Post.objects.select_related("author").filter(pk=post_id).first()
    if post is not None:
        mail.send_post_decision(post=post)


@shared_task(**RETRY)
def send_report_outcome_task(*, report_id: int) -> None:
    report = (
        Report.objects.select_related("reporter", "post", "comment__post")
        .filter(pk=report_id)
        .first()
    )
    if report is not None:
        mail.send_report_outcome(report=report)
