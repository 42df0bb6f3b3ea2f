"""Writes to the catalogue of initiatives: the admin, the CSV import and the demo data come here.

Every write makes the cached impact figures stale (data version "initiatives") and the registry's
cached pages too (data version "registry"): a stakeholder's page lists its initiatives.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q

from common.slugs import unique_slug
from common.versions import changed_on_commit
from stakeholders.models import Stakeholder

from .models import Initiative, InitiativePartner

RESERVED_SLUGS: set[str] = set()


@dataclass(frozen=True)
class PartnerData:
    """A partner as the programme's record names it, and the stakeholder it is linked to."""

    name: str
    country: str = ""
    is_lead: bool = False
    stakeholder: Stakeholder | None = None


def _changed() -> None:
    changed_on_commit("initiatives", "registry")


def initiative_slug(name: str, *, exclude_pk: int | None = None) -> str:
    return unique_slug(
        Initiative, name, reserved=RESERVED_SLUGS, suffix="initiative", exclude_pk=exclude_pk
    )


@transaction.atomic
def initiative_save(*, initiative: Initiative) -> Initiative:
    """Create or update an initiative's facts after full validation (its slug follows its name
    when none is given). Side effects: the cached figures and stakeholder pages are stale."""
    if not initiative.slug:
        initiative.slug = initiative_slug(initiative.name, exclude_pk=initiative.pk)
    initiative.full_clean()
    initiative.save()
    _changed()
    return initiative


@transaction.atomic
def initiative_set_partners(
    *, initiative: Initiative, partners: Iterable[PartnerData]
) -> list[InitiativePartner]:
    """Replace the initiative's partners by ``partners``, in their order (nothing is written when
    they are the same already).

    Raises ValidationError (and changes nothing) when two partners share a name or a stakeholder,
    or when more than one is the lead partner.
    """
    rows = [
        InitiativePartner(
            initiative=initiative,
            name=partner.name,
            country=partner.country,
            is_lead=partner.is_lead,
            stakeholder=partner.stakeholder,
            position=position,
        )
        for position, partner in enumerate(partners)
    ]
    current = [
        (p.name, p.country, p.is_lead, p.stakeholder_id, p.position)
        for p in initiative.partners.order_by("position", "pk")
    ]
    if current == [(p.name, p.country, p.is_lead, p.stakeholder_id, p.position) for p in rows]:
        return list(initiative.partners.order_by("position", "pk"))
    initiative.partners.all().delete()
    for row in rows:
        # Each row against those saved before it: the unique constraints name the problem.
        row.full_clean()
        row.save()
    _changed()
    return rows


def initiative_partners_saved(*, initiative: Initiative) -> None:
    """The admin saved the initiative's partners itself (its inline form, validated by the
    model's constraints): the cached figures and stakeholder pages are stale."""
    _changed()


@transaction.atomic
def initiative_import(*, facts: dict, partners: list[PartnerData]) -> tuple[Initiative, bool]:
    """Create the initiative of one imported record, or update the one with the same name and
    programme (only where a fact differs), and set its partners. Returns the initiative and
    whether it is new."""
    key = (facts["name"].casefold(), facts["programme"].casefold())
    same_name = Initiative.objects.filter(Q(name__iexact=facts["name"]) | Q(name=facts["name"]))
    initiative = next(
        (i for i in same_name if (i.name.casefold(), i.programme.casefold()) == key), None
    )
    created = initiative is None
    if created:
        initiative = Initiative()
    if created or any(getattr(initiative, name) != value for name, value in facts.items()):
        for name, value in facts.items():
            setattr(initiative, name, value)
        initiative_save(initiative=initiative)
    initiative_set_partners(initiative=initiative, partners=partners)
    return initiative, created


@transaction.atomic
def partnerships_move(*, survivor: Stakeholder, duplicates: Iterable[Stakeholder]) -> None:
    """When stakeholders merge, their partnerships go to the survivor; where the survivor was
    already a partner of the same initiative, the duplicate's row goes (its lead role with it to
    the survivor's row)."""
    ids = [d.pk for d in duplicates]
    moved = InitiativePartner.objects.filter(stakeholder_id__in=ids).order_by("pk")
    if not moved.exists():
        return
    for partner in moved.select_for_update():
        kept = InitiativePartner.objects.filter(
            initiative_id=partner.initiative_id, stakeholder=survivor
        ).first()
        if kept is None:
            partner.stakeholder = survivor
            partner.save(update_fields=["stakeholder"])
            continue
        lead = partner.is_lead
        partner.delete()
        if lead and not kept.is_lead:
            kept.is_lead = True
            kept.save(update_fields=["is_lead"])
    _changed()
