import datetime

import factory
from factory.django import DjangoModelFactory

from accounts.models import JobTitle, ServiceArea, Team, User, UserRole
from audits.models import Child, LegalStatus

PASSWORD = "correct-horse-battery"


class ServiceAreaFactory(DjangoModelFactory):
    class Meta:
        model = ServiceArea
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Service area {n}")


class TeamFactory(DjangoModelFactory):
    class Meta:
        model = Team

    name = factory.Sequence(lambda n: f"Team {n}")
    service_area = factory.SubFactory(ServiceAreaFactory)


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@council.example")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    job_title = JobTitle.SOCIAL_WORKER
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            UserRole.objects.bulk_create(UserRole(user=self, role=role) for role in extracted)
            self.__dict__.pop("role_codes", None)


class ChildFactory(DjangoModelFactory):
    class Meta:
        model = Child

    case_reference = factory.Sequence(lambda n: f"NC{100000 + n}")
    team = factory.SubFactory(TeamFactory)
    legal_status = LegalStatus.CHILD_IN_NEED
    date_of_birth = datetime.date(2015, 6, 1)
