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


# Sections other apps add to a stakeholder's public page (e.g. the AlpCafés it attended): each is
# a callable taking the stakeholder and returning (template name, context).
_detail_sections: list = []


def register_detail_section(section) -> None:
    if section not in _detail_sections:
        _detail_sections.append(section)


def detail_sections(stakeholder) -> list[tuple[str, dict]]:
    return [section(stakeholder) for section in _detail_sections]
