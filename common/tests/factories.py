import factory
from django.contrib.auth import get_user_model

from common.models import Membership, Programme
from common.roles import Role


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="it_IT")
    last_name = factory.Faker("last_name", locale="it_IT")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("pw")


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme

    name = factory.Sequence(lambda n: f"Programme {n}")
    slug = factory.Sequence(lambda n: f"programme-{n}")
    municipalities = factory.LazyFunction(lambda: ["Montichiari", "Calcinato"])


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    programme = factory.SubFactory(ProgrammeFactory)
    role = Role.OPERATOR

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # Through the service, like the admin and the demo: tests see the same audit trail.
        from common.services import membership_grant

        return membership_grant(actor=kwargs.pop("actor", None), **kwargs)
