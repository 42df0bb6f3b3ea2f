from datetime import timedelta

import factory
from django.utils import timezone
from django.utils.text import slugify

from partnerships.models import Opportunity
from partnerships.services import opportunity_refresh_search
from stakeholders.tests.factories import StakeholderFactory


class OpportunityFactory(factory.django.DjangoModelFactory):
    """A published, open offer of a published stakeholder; its search index is refreshed."""

    class Meta:
        model = Opportunity
        skip_postgeneration_save = True

    stakeholder = factory.SubFactory(StakeholderFactory)
    type = Opportunity.Type.OFFER
    category = Opportunity.Category.TECHNOLOGY
    title = factory.Sequence(lambda n: f"Opportunity {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.title))
    summary = "A fictional opportunity for tests."
    expires_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=90))
    state = Opportunity.State.PUBLISHED
    published_at = factory.LazyAttribute(
        lambda o: timezone.now() if o.state == Opportunity.State.PUBLISHED else None
    )

    @factory.post_generation
    def sectors(opportunity, create, extracted, **kwargs):
        if create and extracted:
            opportunity.sectors.set(extracted)
        if create:
            opportunity_refresh_search(ids=[opportunity.pk])
