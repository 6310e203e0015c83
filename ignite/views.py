from django.contrib.admin.views.decorators import staff_member_required
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.views.decorators.http import require_POST

from ignite.markdown import MAX_MARKDOWN_LENGTH, render_markdown


@require_POST
@staff_member_required
def markdown_preview(request: HttpRequest) -> HttpResponse:
    """The admin's live preview: the posted field rendered exactly as the public site renders it.

    htmx names the field that asked (HX-Trigger-Name) as it is named in the browser now: rows
    added to an inline get their names there.
    """
    field = request.htmx.trigger_name if request.htmx else None
    # No field may hold more, so the preview shows no more (render_markdown never fails).
    text = request.POST.get(field, "")[:MAX_MARKDOWN_LENGTH] if field else ""
    return HttpResponse(render_markdown(text))


def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico on their own; send them to the hashed static icon."""
    return HttpResponsePermanentRedirect(static("favicon.png"))
