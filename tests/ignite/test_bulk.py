"""ignite.bulk: new rows inserted in bulk are stored, checked and recorded as save() would."""

import datetime

import pytest
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from features.models import Area, Feature, StatusChange
from ignite import bulk
from ignite.models import ContentRevision
from ignite.publishing import PublicationState
from ignite.rules import CONTENT_APPS, Refused, acting_as
from tests.factories import (
    AreaFactory,
    ComparisonCellFactory,
    ComparisonColumnFactory,
    ComparisonRowFactory,
    EventFactory,
    FeatureFactory,
    SessionFactory,
    StatusChangeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

# Columns a clock or a counter fills: compared as "both within a minute", not equal.
MOMENTS = {"created_at", "updated_at", "first_published_at", "followed_at", "recorded_at"}


def _row_of_parents(label):
    """An unsaved row whose save() works something out (with its parents saved)."""
    if label == "published feature":
        return FeatureFactory.build(
            area=AreaFactory(),
            session=SessionFactory(),
            first_published_at=None,
            body_en="Body about **node pools**.",
        )
    if label == "draft feature":
        return FeatureFactory.build(
            area=AreaFactory(), session=None, state=PublicationState.DRAFT, first_published_at=None
        )
    if label == "session":
        return SessionFactory.build(event=EventFactory(), code="  brk999 ", first_published_at=None)
    if label == "status change":
        return StatusChangeFactory.build(
            feature=FeatureFactory(), date=datetime.date(2025, 11, 19), date_precision="month"
        )
    if label == "area":
        return AreaFactory.build(name_ja=None)
    if label == "comparison cell":
        row = ComparisonRowFactory()
        return ComparisonCellFactory.build(
            row=row, column=ComparisonColumnFactory(comparison=row.comparison)
        )
    raise AssertionError(label)


def _twin(obj: models.Model) -> models.Model:
    model = type(obj)
    return model(
        **{
            field.attname: getattr(obj, field.attname)
            for field in model._meta.concrete_fields
            if not field.generated
        }
    )


def _stored(model, pk) -> dict:
    return model._base_manager.filter(pk=pk).values().get()


def _same(first: dict, second: dict) -> None:
    assert first.keys() == second.keys()
    for name, value in first.items():
        if name in MOMENTS and value is not None:
            assert abs(second[name] - value) < datetime.timedelta(minutes=1), name
        elif name not in {"id", "history_id", "history_date"}:
            assert second[name] == value, name


@pytest.mark.parametrize(
    "label",
    ["published feature", "draft feature", "session", "status change", "area", "comparison cell"],
)
def test_a_bulk_insert_stores_and_records_what_a_save_does(label):
    editor = UserFactory(is_superuser=True)
    saved = _row_of_parents(label)
    model = type(saved)
    inserted = _twin(saved)
    for obj in (saved, inserted):
        obj._change_reason, obj._history_user = "import_content", editor
    saved.save()
    stored = _stored(model, saved.pk)
    record = saved.history.values().get()
    # Away with the saved one (and its record): the twin takes the same slug, code or date.
    model._base_manager.filter(pk=saved.pk).delete()
    model.history.all().delete()

    bulk.insert_as_saved(model, [inserted])

    assert inserted.pk is not None and not inserted._state.adding
    _same(stored, _stored(model, inserted.pk))
    _same(record, inserted.history.values().get())
    assert record["history_type"] == "+"
    assert record["history_change_reason"] == "import_content"
    assert record["history_user_id"] == editor.pk


def test_the_saves_own_work_happens_in_bulk_too():
    """What the comparison above holds equal is worked out, not copied."""
    feature = FeatureFactory.build(area=AreaFactory(), session=None, first_published_at=None)
    session = SessionFactory.build(event=EventFactory(), code=" lab517 ")
    change = StatusChangeFactory.build(
        feature=FeatureFactory(), date=datetime.date(2025, 11, 19), date_precision="month"
    )
    bulk.insert_as_saved(Feature, [feature])
    bulk.insert_as_saved(type(session), [session])
    bulk.insert_as_saved(StatusChange, [change])
    feature.refresh_from_db()
    assert feature.first_published_at is not None
    assert feature.name.lower() in feature.search_text
    assert feature.followed_at == feature.first_published_at
    session.refresh_from_db()
    assert session.code == "LAB517"
    change.refresh_from_db()
    assert change.date == datetime.date(2025, 11, 1)  # a month's date is its first day
    change.feature.refresh_from_db()
    assert change.feature.followed_at == change.recorded_at


def test_a_parent_saved_after_it_was_assigned_is_seen_by_the_rows_own_work():
    """save() takes the id of a parent saved since it was assigned before anything else: the
    date of a status entry "during an event" is then the event's first day."""
    event = EventFactory.build(start_date=datetime.date(2025, 11, 18))
    change = StatusChangeFactory.build(
        feature=FeatureFactory(),
        event=event,
        date_precision="event",
        date=datetime.date(2025, 12, 24),
    )
    event.save()
    bulk.insert_as_saved(StatusChange, [change])
    change.refresh_from_db()
    assert change.event_id == event.pk
    assert change.date == datetime.date(2025, 11, 18)


def test_a_bulk_insert_changes_the_content_revision():
    before = ContentRevision.current().number
    bulk.insert_as_saved(Area, [AreaFactory.build()])
    assert ContentRevision.current().number > before


def test_a_bulk_insert_asks_the_acting_users_role_and_writes_nothing_it_refuses(editor):
    area = AreaFactory()
    rows = [
        FeatureFactory.build(area=area, session=None, state=PublicationState.DRAFT),
        FeatureFactory.build(area=area, session=None),  # published: a Publisher's call
    ]
    with acting_as(editor), pytest.raises(Refused):
        bulk.insert_as_saved(Feature, rows)
    assert not Feature.objects.exists()


def test_a_bulk_insert_refuses_rows_already_stored():
    area = AreaFactory()
    with pytest.raises(ValueError, match="not a new row"):
        bulk.insert_as_saved(Area, [area])


def test_a_database_refusal_leaves_no_row_of_the_batch():
    rows = [AreaFactory.build(slug="fine"), AreaFactory.build(slug="")]  # blank slug refused
    with pytest.raises(IntegrityError), transaction.atomic():  # the caller's transaction
        bulk.insert_as_saved(Area, rows)
    assert not Area.objects.exists()


def test_every_content_model_inserts_in_bulk():
    from django.apps import apps

    from ignite.history import is_history_model

    content = [
        model
        for label in CONTENT_APPS
        for model in apps.get_app_config(label).get_models()
        if not is_history_model(model)
    ]
    assert Feature in content and len(content) >= 12
    assert [model for model in content if not bulk.inserts_in_bulk(model)] == []


def test_a_save_override_without_its_insert_twin_is_saved_row_by_row():
    class Plain:
        pass

    class OwnSave(Plain):
        def save(self): ...

    class OwnSaveAndTwin(OwnSave):
        def save(self): ...

        def prepare_insert(self): ...

    assert bulk.inserts_in_bulk(Plain)
    assert not bulk.inserts_in_bulk(OwnSave)
    assert bulk.inserts_in_bulk(OwnSaveAndTwin)


def test_many_rows_over_many_statements_each_get_their_own_id_and_record():
    """Rows go in as several INSERTs when the database limits a statement's values (here
    SQLite's limit is lowered to force it): every object still gets the id of its own row,
    and every history record names its row's id and values."""
    from django.db import connection

    area = AreaFactory()
    features = [
        FeatureFactory.build(area=area, session=None, name=f"Feature {n:03}", slug=f"f-{n:03}")
        for n in range(120)
    ]
    for feature in features:
        feature._change_reason = "import_content"
    limit = None
    if connection.vendor == "sqlite":
        import sqlite3

        connection.ensure_connection()
        limit = connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
        connection.connection.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, 200)  # 6 rows each
    try:
        bulk.insert_as_saved(Feature, features)
    finally:
        if limit is not None:
            connection.connection.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, limit)
    stored = dict(Feature.objects.values_list("pk", "slug"))
    assert len(stored) == 120
    assert {feature.pk: feature.slug for feature in features} == stored
    records = Feature.history.values_list("id", "slug", "history_type", "history_change_reason")
    assert sorted(records) == sorted(
        (feature.pk, feature.slug, "+", "import_content") for feature in features
    )
    found = Feature.objects.filter(search_text__contains="feature 077").values_list("slug")
    assert list(found) == [("f-077",)]


def test_a_value_the_database_works_out_is_inserted_as_django_would():
    """An expression among the values (here the database's clock) is left to bulk_create."""
    from django.db.models.functions import Now

    change = StatusChangeFactory.build(feature=FeatureFactory(), date=datetime.date(2025, 11, 19))
    change.recorded_at = Now()
    bulk.insert_as_saved(StatusChange, [change])
    change = StatusChange.objects.get(pk=change.pk)
    assert abs(change.recorded_at - timezone.now()) < datetime.timedelta(minutes=1)


def test_what_the_database_works_out_is_on_the_inserted_rows_as_bulk_create_leaves_it():
    """A generated column (the status's rank) is read back with the ids: no query later."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    feature = FeatureFactory.build(area=AreaFactory(), session=None, status="ga")
    bulk.insert_as_saved(Feature, [feature])
    with CaptureQueriesContext(connection) as queries:
        rank = feature.status_rank
    assert len(queries) == 0
    assert rank == Feature.objects.values_list("status_rank", flat=True).get(pk=feature.pk)
