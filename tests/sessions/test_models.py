import datetime

import pytest
from django.db import IntegrityError, transaction

from ignite.publishing import PublicationState
from sessions.models import Session
from tests.factories import (
    EventFactory,
    KeyPointFactory,
    SessionFactory,
    SessionSpeakerFactory,
    SpeakerFactory,
    SpeakerLinkFactory,
    refused_by_database,
)

pytestmark = pytest.mark.django_db


def test_session_code_is_unique_within_an_event_only():
    first = SessionFactory(code="BRK120")
    refused_by_database(SessionFactory, event=first.event, code="BRK120")
    assert SessionFactory(code="BRK120").event != first.event


def test_session_code_is_stored_in_upper_case():
    session = SessionFactory(code=" brk999 ")
    session.refresh_from_db()
    assert session.code == "BRK999"


def test_database_refuses_a_lower_case_code_written_around_the_model():
    session = SessionFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Session.objects.filter(pk=session.pk).update(code="brk1")


def test_slugs_are_unique():
    event = EventFactory(slug="ignite-2025")
    refused_by_database(EventFactory, slug=event.slug)
    refused_by_database(SpeakerFactory, slug=SpeakerFactory().slug)
    refused_by_database(SessionFactory, slug=SessionFactory().slug)


def test_event_cannot_end_before_it_starts():
    refused_by_database(
        EventFactory,
        start_date=datetime.date(2025, 11, 21),
        end_date=datetime.date(2025, 11, 17),
    )


@pytest.mark.parametrize("url", ["javascript:alert(1)", "ftp://example.com/x", "example.com"])
def test_database_refuses_urls_that_are_not_web_addresses(url):
    refused_by_database(EventFactory, url=url)
    refused_by_database(SessionFactory, repository_url=url)
    refused_by_database(SpeakerLinkFactory, url=url)


def test_unknown_session_kind_and_publication_state_arerefused_by_database():
    refused_by_database(SessionFactory, kind="webinar")
    refused_by_database(SessionFactory, state="hidden")


def test_published_content_must_have_a_first_publication_time():
    session = SessionFactory(draft=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        Session.objects.filter(pk=session.pk).update(state=PublicationState.PUBLISHED)


def test_saving_published_content_records_when_it_was_first_published():
    session = SessionFactory(draft=True)
    session.publish()
    session.save()
    first = session.first_published_at
    assert first is not None
    session.unpublish()
    session.save()
    session.publish()
    session.save()
    assert session.first_published_at == first


def test_a_speaker_appears_once_per_session():
    appearance = SessionSpeakerFactory()
    refused_by_database(
        SessionSpeakerFactory, session=appearance.session, speaker=appearance.speaker
    )


def test_key_points_group_under_the_heading_that_starts_them():
    session = SessionFactory()
    KeyPointFactory(session=session, order=1, heading_en="Why", text_en="Agility")
    KeyPointFactory(session=session, order=2, text_en="Efficiency")
    KeyPointFactory(session=session, order=3, heading_en="How", text_en="Containers")
    groups = session.key_point_groups()
    assert [(g.heading, [p.text for p in g.points]) for g in groups] == [
        ("Why", ["Agility", "Efficiency"]),
        ("How", ["Containers"]),
    ]


def test_points_before_any_heading_form_an_untitled_group():
    session = SessionFactory()
    KeyPointFactory(session=session, order=1, text_en="Loose point")
    KeyPointFactory(session=session, order=2, heading_en="Titled", text_en="Point")
    assert [g.heading for g in session.key_point_groups()] == ["", "Titled"]


def test_a_session_of_a_draft_event_is_not_visible():
    session = SessionFactory(event=EventFactory(draft=True))
    assert list(Session.objects.visible()) == []
    assert list(Session.objects.visible(preview=True)) == [session]
    assert session.is_visible() is False
    assert session.is_visible(preview=True) is True
