import pytest
from django.core.exceptions import ValidationError

from impact import services
from impact.models import InitiativePartner
from impact.services import PartnerData
from stakeholders.services import stakeholders_merge
from stakeholders.tests.factories import StakeholderFactory

from .factories import InitiativeFactory, InitiativePartnerFactory

pytestmark = pytest.mark.django_db


def test_partners_are_replaced_in_order_and_validated_all_or_nothing():
    initiative = InitiativeFactory()
    lead = StakeholderFactory()
    services.initiative_set_partners(
        initiative=initiative,
        partners=[PartnerData("Lead", "AT", True, lead), PartnerData("Other", "IT")],
    )
    assert list(initiative.partners.values_list("name", "position", "is_lead")) == [
        ("Lead", 0, True),
        ("Other", 1, False),
    ]
    with pytest.raises(ValidationError, match="one lead partner"):
        services.initiative_set_partners(
            initiative=initiative,
            partners=[PartnerData("A", is_lead=True), PartnerData("B", is_lead=True)],
        )
    with pytest.raises(ValidationError):
        services.initiative_set_partners(
            initiative=initiative,
            partners=[
                PartnerData("Same", stakeholder=lead),
                PartnerData("Twice", stakeholder=lead),
            ],
        )
    # Nothing of a refused list was kept.
    assert list(initiative.partners.values_list("name", flat=True)) == ["Lead", "Other"]


def test_an_initiative_is_validated_before_it_is_saved():
    initiative = InitiativeFactory.build(slug="", start_date="2012-01-01", end_date="2011-01-01")
    with pytest.raises(ValidationError, match="cannot end before it starts"):
        services.initiative_save(initiative=initiative)
    initiative.end_date = "2013-01-01"
    saved = services.initiative_save(initiative=initiative)
    assert saved.pk and saved.slug == initiative.name.lower().replace(" ", "-")


def test_partnerships_follow_a_merge_of_stakeholders():
    survivor, duplicate, other = StakeholderFactory(), StakeholderFactory(), StakeholderFactory()
    both = InitiativeFactory(name="Both")
    InitiativePartnerFactory(initiative=both, name="Survivor", stakeholder=survivor)
    InitiativePartnerFactory(initiative=both, name="Duplicate", stakeholder=duplicate, is_lead=True)
    only_duplicate = InitiativeFactory(name="Only the duplicate")
    InitiativePartnerFactory(initiative=only_duplicate, name="Dup", stakeholder=duplicate)
    InitiativePartnerFactory(initiative=only_duplicate, name="Other", stakeholder=other)

    stakeholders_merge(survivor=survivor, duplicates=[duplicate])

    # Where the survivor was a partner already, its row stays and takes the lead role over.
    assert list(both.partners.values_list("name", "stakeholder", "is_lead")) == [
        ("Survivor", survivor.pk, True),
    ]
    assert set(only_duplicate.partners.values_list("name", "stakeholder")) == {
        ("Dup", survivor.pk),
        ("Other", other.pk),
    }
    assert InitiativePartner.objects.filter(stakeholder__isnull=True).count() == 0
