"""core.prepared: a read compiled once answers exactly what the queryset answers, for every
value it binds, and refuses what it cannot bind faithfully (issue 17 point 1)."""

import datetime

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import staff
from zwfw.core import sessions
from zwfw.core.prepared import PreparedRead
from zwfw.org.models import Department, Person

pytestmark = pytest.mark.django_db


def _fields(obj) -> dict:
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


def test_answers_what_the_queryset_answers_with_joined_rows_and_decrypted_fields(department):
    people = [staff("window_staff", department=department) for _ in range(3)]

    def build(department, names):
        return (
            Person.objects.filter(department_id=department, name__in=names)
            .select_related("department", "user")
            .order_by("id")
        )

    read = PreparedRead(Person, build)
    names = [p.name for p in people[:2]]
    got = read(department=department.pk, names=names)
    want = list(build(department.pk, names))
    assert [_fields(p) for p in got] == [_fields(p) for p in want]
    # The encrypted phone and id number come back decrypted (the field's converters ran),
    # and the joined rows are there without another query.
    assert [p.phone for p in got] == [p.phone for p in people[:2]]
    with CaptureQueriesContext(connection) as captured:
        assert [p.department.code for p in got] == [department.code] * 2
        assert [p.user.username for p in got] == [p.user.username for p in people[:2]]
    assert captured.captured_queries == []


def test_compiles_once_per_shape_and_binds_each_call_s_values(department, other_department):
    calls = []

    def build(code):
        calls.append(code)
        return Department.objects.filter(code=code)

    read = PreparedRead(Department, build)
    assert [d.pk for d in read(code=department.code)] == [department.pk]
    assert [d.pk for d in read(code=other_department.code)] == [other_department.pk]
    assert read(code="no such code") == []
    assert len(calls) == 1  # built once, with a marker, never with a caller's value
    assert calls[0] not in (department.code, other_department.code)


def test_a_list_s_length_is_its_own_shape_and_an_empty_list_reads_nothing(
    department, other_department
):
    read = PreparedRead(Department, lambda ids: Department.objects.filter(pk__in=ids))
    assert {d.pk for d in read(ids=[department.pk])} == {department.pk}
    both = {department.pk, other_department.pk}
    assert {d.pk for d in read(ids=sorted(both))} == both
    with CaptureQueriesContext(connection) as captured:
        assert read(ids=[]) == []
    assert captured.captured_queries == []


def test_binds_dates_on_every_database(department):
    person = staff("window_staff", department=department)
    read = PreparedRead(
        Person,
        lambda pk, on: Person.objects.filter(pk=pk, birth_date__lte=on),
    )
    born = person.birth_date or datetime.date(1990, 1, 1)
    Person.objects.filter(pk=person.pk).update(birth_date=born)
    assert [p.pk for p in read(pk=person.pk, on=born)] == [person.pk]
    assert read(pk=person.pk, on=born - datetime.timedelta(days=1)) == []


def test_refuses_a_lookup_that_rewrites_its_value(department):
    read = PreparedRead(Department, lambda text: Department.objects.filter(name__contains=text))
    with pytest.raises(TypeError, match="text"):
        read(text="局")


def test_refuses_a_value_it_cannot_bind(department):
    read = PreparedRead(Department, lambda at: Department.objects.filter(id__gt=at))
    with pytest.raises(TypeError, match="float"):
        read(at=1.5)


def test_the_database_session_store_refuses_an_expired_session(clerk):
    """core.sessions compares the expiry itself (the statement binds only the key)."""
    store = sessions.SessionStore()
    store["k"] = "v"
    store.create()
    key = store.session_key
    assert sessions.SessionStore(key).load() == {"k": "v"}
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert sessions.SessionStore(key).load() == {}


def test_refuses_what_it_would_silently_drop(department):
    """Rows as tuples or a prefetch are not what a PreparedRead answers: refused, not lost."""
    values = PreparedRead(Department, lambda code: Department.objects.filter(code=code).values())
    with pytest.raises(TypeError, match="prefetch"):
        values(code=department.code)
    prefetch = PreparedRead(
        Department, lambda code: Department.objects.filter(code=code).prefetch_related("people")
    )
    with pytest.raises(TypeError, match="prefetch"):
        prefetch(code=department.code)
