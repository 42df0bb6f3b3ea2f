import factory
from allauth.account.models import EmailAddress

from stakeholders.models import User

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
