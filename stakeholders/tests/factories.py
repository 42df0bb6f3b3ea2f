from decimal import Decimal

import factory
from allauth.account.models import EmailAddress
from django.utils import timezone
from django.utils.text import slugify

from stakeholders.models import Contact, Country, Sector, Stakeholder, User
from stakeholders.services import stakeholder_refresh_search

PASSWORD = "a-long-test-password-42"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"member{n}@example.org")
    first_name = factory.Sequence(lambda n: f"Member{n}")
    last_name = "Example"
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified(user, create, extracted, **kwargs):
        """A verified primary address, as allauth's mandatory verification requires to log in."""
        if create and extracted is not False:
            user.save()
            EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)


class SectorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Sector
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Sector {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))


class StakeholderFactory(factory.django.DjangoModelFactory):
    """A published, mapped stakeholder; its search index is refreshed after creation."""

    class Meta:
        model = Stakeholder
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Alpine Organisation {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    kind = Stakeholder.Kind.CLUSTER
    country = Country.AUSTRIA
    region = "Tirol"
    city = "Innsbruck"
    latitude = Decimal("47.26920")
    longitude = Decimal("11.40410")
    website = factory.LazyAttribute(lambda o: f"https://{o.slug}.example.org/")
    description = "A fictional organisation for tests."
    state = Stakeholder.State.PUBLISHED
    origin = Stakeholder.Origin.MAPPED

    @factory.post_generation
    def sectors(stakeholder, create, extracted, **kwargs):
        if create and extracted:
            stakeholder.sectors.set(extracted)
        if create:
            stakeholder_refresh_search(ids=[stakeholder.pk])


class ContactFactory(factory.django.DjangoModelFactory):
    """A contact who agreed to be listed and to receive mail."""

    class Meta:
        model = Contact

    stakeholder = factory.SubFactory(StakeholderFactory)
    first_name = factory.Sequence(lambda n: f"Contact{n}")
    last_name = "Person"
    email = factory.Sequence(lambda n: f"contact{n}@private.example.net")
    phone = factory.Sequence(lambda n: f"+43 512 {n:06d}")
    role = "Cluster manager"
    language = "en"
    listing_consent_at = factory.LazyFunction(timezone.now)
    listing_consent_source = "test"
    mail_consent_at = factory.LazyFunction(timezone.now)
    mail_consent_source = "test"
