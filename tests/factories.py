"""Factories for every content model, with deterministic values (factory.Sequence)."""

import datetime

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone
from factory.django import DjangoModelFactory

from features.models import (
    Area,
    Comparison,
    ComparisonCell,
    ComparisonColumn,
    ComparisonRow,
    DocLink,
    Feature,
    MaterialUpdate,
    ReleaseStatus,
    StatusChange,
)
from ignite.links.models import LinkCheck
from ignite.publishing import PublicationState
from sessions.models import Event, KeyPoint, Session, SessionSpeaker, Speaker, SpeakerLink

PUBLISHED_AT = datetime.datetime(2025, 11, 24, 9, 0, tzinfo=datetime.UTC)


class PublishableFactory(DjangoModelFactory):
    class Meta:
        abstract = True

    class Params:
        draft = factory.Trait(state=PublicationState.DRAFT, first_published_at=None)

    state = PublicationState.PUBLISHED
    first_published_at = PUBLISHED_AT


class UserFactory(DjangoModelFactory):
    class Meta:
        model = get_user_model()

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.com")
    is_staff = True
    password = factory.django.Password("a-long-test-password")


class EventFactory(PublishableFactory):
    class Meta:
        model = Event

    name_en = factory.Sequence(lambda n: f"Conference {n}")
    slug = factory.Sequence(lambda n: f"conference-{n}")
    start_date = datetime.date(2025, 11, 17)
    end_date = datetime.date(2025, 11, 21)
    city_en = "San Francisco"


class SpeakerFactory(PublishableFactory):
    class Meta:
        model = Speaker

    name = factory.Sequence(lambda n: f"Speaker {n}")
    slug = factory.Sequence(lambda n: f"speaker-{n}")
    role_en = "Engineer"
    affiliation = "Example Corp"


class SpeakerLinkFactory(DjangoModelFactory):
    class Meta:
        model = SpeakerLink

    speaker = factory.SubFactory(SpeakerFactory)
    label_en = "Blog"
    url = factory.Sequence(lambda n: f"https://example.com/blog/{n}")


class SessionFactory(PublishableFactory):
    class Meta:
        model = Session

    event = factory.SubFactory(EventFactory)
    code = factory.Sequence(lambda n: f"BRK{100 + n}")
    slug = factory.Sequence(lambda n: f"brk{100 + n}")
    title = factory.Sequence(lambda n: f"Session title {n}")
    summary_en = "What the session covered."


class SessionSpeakerFactory(DjangoModelFactory):
    class Meta:
        model = SessionSpeaker

    session = factory.SubFactory(SessionFactory)
    speaker = factory.SubFactory(SpeakerFactory)
    order = factory.Sequence(int)


class KeyPointFactory(DjangoModelFactory):
    class Meta:
        model = KeyPoint

    session = factory.SubFactory(SessionFactory)
    order = factory.Sequence(int)
    text_en = factory.Sequence(lambda n: f"Key point {n}.")


class AreaFactory(DjangoModelFactory):
    class Meta:
        model = Area

    name_en = factory.Sequence(lambda n: f"Area {n}")
    slug = factory.Sequence(lambda n: f"area-{n}")
    order = factory.Sequence(int)


class FeatureFactory(PublishableFactory):
    class Meta:
        model = Feature

    name = factory.Sequence(lambda n: f"Feature {n:03d}")
    slug = factory.Sequence(lambda n: f"feature-{n:03d}")
    status = ReleaseStatus.GA
    area = factory.SubFactory(AreaFactory)
    session = factory.SubFactory(SessionFactory)
    summary_en = factory.Sequence(lambda n: f"Summary of feature {n}.")


class DocLinkFactory(DjangoModelFactory):
    class Meta:
        model = DocLink

    feature = factory.SubFactory(FeatureFactory)
    title_en = "Documentation"
    url = factory.Sequence(lambda n: f"https://learn.example.com/docs/{n}")


class StatusChangeFactory(DjangoModelFactory):
    class Meta:
        model = StatusChange

    feature = factory.SubFactory(FeatureFactory)
    status = ReleaseStatus.PUBLIC_PREVIEW
    date = datetime.date(2025, 11, 17)


class MaterialUpdateFactory(DjangoModelFactory):
    class Meta:
        model = MaterialUpdate

    feature = factory.SubFactory(FeatureFactory)
    note_en = factory.Sequence(lambda n: f"Material update {n}")


class ComparisonFactory(PublishableFactory):
    class Meta:
        model = Comparison

    title_en = factory.Sequence(lambda n: f"Comparison {n}")
    slug = factory.Sequence(lambda n: f"comparison-{n}")
    session = factory.SubFactory(SessionFactory)


class ComparisonColumnFactory(DjangoModelFactory):
    class Meta:
        model = ComparisonColumn

    comparison = factory.SubFactory(ComparisonFactory)
    label_en = factory.Sequence(lambda n: f"Column {n}")
    order = factory.Sequence(int)


class ComparisonRowFactory(DjangoModelFactory):
    class Meta:
        model = ComparisonRow

    comparison = factory.SubFactory(ComparisonFactory)
    label_en = factory.Sequence(lambda n: f"Row {n}")
    order = factory.Sequence(int)


class ComparisonCellFactory(DjangoModelFactory):
    class Meta:
        model = ComparisonCell

    row = factory.SubFactory(ComparisonRowFactory)
    column = factory.SubFactory(
        ComparisonColumnFactory, comparison=factory.SelfAttribute("..row.comparison")
    )
    text_en = factory.Sequence(lambda n: f"Cell {n}")


def refused_by_database(factory, **kwargs) -> None:
    """Assert the database refuses to store what the factory builds with these values."""
    import pytest
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        factory(**kwargs)


def comparison_grid(rows: int = 3, columns: int = 2, **kwargs) -> Comparison:
    """A comparison with every cell filled."""
    comparison = ComparisonFactory(**kwargs)
    made_columns = [ComparisonColumnFactory(comparison=comparison, order=i) for i in range(columns)]
    for i in range(rows):
        row = ComparisonRowFactory(comparison=comparison, order=i)
        for column in made_columns:
            ComparisonCellFactory(row=row, column=column)
    return comparison


class LinkCheckFactory(DjangoModelFactory):
    """A link that worked when it was last checked (an hour ago)."""

    class Meta:
        model = LinkCheck

    url = factory.Sequence(lambda n: f"https://learn.example.com/docs/{n}")
    checked_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(hours=1))
    status_code = 200
    final_url = factory.SelfAttribute("url")
    last_success_at = factory.SelfAttribute("checked_at")
