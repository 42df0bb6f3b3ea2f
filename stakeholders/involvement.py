"""Where "involved" comes from, without this app depending on the AlpCafé app.

A stakeholder is involved when one of its contacts attended an AlpCafé. The app that records
attendance registers the condition (a Q on Stakeholder) in its AppConfig.ready(); until one does,
no stakeholder is involved.
"""

from django.db.models import Q

from common import sections

_condition: Q | None = None


def register_involved_condition(condition: Q) -> None:
    global _condition  # a one-time registration at start-up
    _condition = condition


def involved_condition() -> Q | None:
    return _condition


# Sections other apps add to a stakeholder's public page (e.g. the AlpCafés it attended), through
# the portal's one mechanism for that (common/sections.py).
DETAIL_SLOT = "stakeholders.detail"


def register_detail_section(section) -> None:
    sections.register(DETAIL_SLOT, section)


def detail_sections(stakeholder) -> list[tuple[str, dict]]:
    return sections.render(DETAIL_SLOT, stakeholder)
