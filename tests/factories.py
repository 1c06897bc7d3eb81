"""factory_boy factories, one per model."""

import datetime

import factory
from django.contrib.auth import get_user_model

from zwfw.core.crypto import blind_index
from zwfw.org.models import (
    Department,
    Person,
    Region,
    RoleAssignment,
    Section,
    ServiceCenter,
    Window,
)

PASSWORD = "Zwfw#2026pass"


def valid_id_number(birth: datetime.date, seq: int, region: str = "370302") -> str:
    from zwfw.core.validators import id_number_check_digit

    first17 = f"{region}{birth:%Y%m%d}{seq % 1000:03d}"
    return first17 + id_number_check_digit(first17)


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region

    code = factory.Sequence(lambda n: f"3799{n:04d}")
    name = factory.Sequence(lambda n: f"测试区{n}")
    level = Region.Level.CITY

    @factory.post_generation
    def path(obj, create, extracted, **kwargs):
        obj.refresh_path()


class CenterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceCenter

    code = factory.Sequence(lambda n: f"C{n:03d}")
    name = factory.Sequence(lambda n: f"测试政务服务中心{n}")
    level = ServiceCenter.Level.CITY
    region = factory.SubFactory(RegionFactory)

    @factory.post_generation
    def path(obj, create, extracted, **kwargs):
        obj.refresh_path()


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    code = factory.Sequence(lambda n: f"D{n:03d}")
    name = factory.Sequence(lambda n: f"测试局{n}")
    center = factory.SubFactory(CenterFactory)


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section

    department = factory.SubFactory(DepartmentFactory)
    name = factory.Sequence(lambda n: f"第{n}股")


class WindowFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Window

    center = factory.SubFactory(CenterFactory)
    number = factory.Sequence(lambda n: f"{n + 1}")
    name = "综合窗口"
    kind = Window.Kind.DEPARTMENT
    department = factory.SubFactory(DepartmentFactory)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def saved(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"测试员{n}")
    gender = Person.Gender.MALE
    birth_date = datetime.date(1985, 6, 1)
    phone = factory.Sequence(lambda n: f"139{n:08d}")
    phone_index = factory.LazyAttribute(lambda o: blind_index(o.phone))
    department = factory.SubFactory(DepartmentFactory)
    unit_start_date = datetime.date(2015, 3, 1)
    service_start_date = datetime.date(2018, 3, 1)


def staff(role: str | None = None, *, department=None, center=None, **person_fields):
    """A person with an account holding `role` scoped to a department or a center."""
    department = department or DepartmentFactory()
    user = UserFactory()
    person = PersonFactory(department=department, user=user, **person_fields)
    if role:
        if center is not None:
            RoleAssignment.objects.create(user=user, role=role, center=center)
        else:
            RoleAssignment.objects.create(user=user, role=role, department=department)
    return person


def global_staff(role: str, *, department=None, **person_fields):
    """A person holding `role` without a scope, i.e. globally (platform-wide, issue 11 point 9)."""
    person = staff(None, department=department, **person_fields)
    RoleAssignment.objects.create(user=person.user, role=role)
    return person
