from datetime import date
from decimal import Decimal

import factory
from django.utils.text import slugify

from impact.models import Initiative, InitiativePartner


class InitiativeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Initiative

    name = factory.Sequence(lambda n: f"Earlier Project {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    programme = "Alpine Space"
    programme_period = "2007–2013"
    start_date = date(2010, 1, 1)
    end_date = date(2012, 12, 31)
    budget_eur = Decimal("1000000.00")
    eu_cofunding_percent = Decimal("76.0")


class InitiativePartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InitiativePartner

    initiative = factory.SubFactory(InitiativeFactory)
    name = factory.Sequence(lambda n: f"Partner Organisation {n}")
    country = "AT"
    position = factory.Sequence(lambda n: n)
