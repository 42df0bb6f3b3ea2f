"""Where "involved" comes from, without this app depending on the AlpCafé app.

A stakeholder is involved when one of its contacts attended an AlpCafé. The app that records
attendance registers the condition (a Q on Stakeholder) in its AppConfig.ready(); until one does,
no stakeholder is involved.
"""

from django.db.models import Q

_condition: Q | None = None


def register_involved_condition(condition: Q) -> None:
    global _condition  # a one-time registration at start-up
    _condition = condition


def involved_condition() -> Q | None:
    return _condition
