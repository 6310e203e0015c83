"""Social images of sessions: what a shared link to a session shows (ignite.social_images)."""

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _

from ignite.dates import date_range
from ignite.page_cache import public_page
from ignite.social_images import SocialCard, png_response

from .models import Session


def session_card(session: Session) -> SocialCard:
    """Code and kind, title (with its Japanese line on Japanese cards), speakers and event.
    Needs the speaker prefetch of `SessionQuerySet.for_listing`."""
    japanese = (get_language() or "").startswith("ja") and session.japanese_title
    people = pgettext("list separator", ", ").join(
        appearance.speaker.name for appearance in session.ordered_appearances
    )
    event = session.event
    return SocialCard(
        label=f"{session.code}{pgettext('separator', ' · ')}{session.get_kind_display()}",
        title=session.title,
        subtitle=session.japanese_title if japanese else people,
        footer=(_("Ignite Recap"), event.name, date_range(event.start_date, event.end_date)),
    )


@public_page
def session_image(request: HttpRequest, slug: str) -> HttpResponse:
    session = Session.objects.for_listing(request.preview).filter(slug=slug).first()
    if session is None:
        raise Http404
    return png_response(lambda: session_card(session))
