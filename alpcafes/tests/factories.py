from datetime import timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from alpcafes.models import AlpCafe, Participation
from stakeholders.tests.factories import ContactFactory


class AlpCafeFactory(factory.django.DjangoModelFactory):
    """A scheduled AlpCafé a week from now, open for registration."""

    class Meta:
        model = AlpCafe
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"AlpCafé {n}")
    slug = factory.Sequence(lambda n: f"alpcafe-{n}")
    theme = "Internationalisation of SMEs"
    description = "An informal meeting."
    format = AlpCafe.Format.IN_PERSON
    venue = "Cluster House"
    address = "Via Roma 1"
    city = "Bolzano"
    country = "IT"
    latitude = Decimal("46.49835")
    longitude = Decimal("11.35479")
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=3))
    capacity = 20
    state = AlpCafe.State.SCHEDULED

    @factory.post_generation
    def organisers(alpcafe, create, extracted, **kwargs):
        if create and extracted:
            alpcafe.organisers.set(extracted)


class ParticipationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participation

    alpcafe = factory.SubFactory(AlpCafeFactory)
    contact = factory.SubFactory(ContactFactory)
    status = Participation.Status.INVITED
