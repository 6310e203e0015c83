"""A feature's page and the comparison tables."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse

from ignite.links.pages import attach_link_checks
from ignite.page_cache import public_page

from ..models import Comparison, Feature
from ..social import feature_card

# Where readers go for what an announcement did not link (the AKS documentation hub).
AKS_DOCS_URL = "https://learn.microsoft.com/azure/aks/what-is-aks"


@public_page
def feature_detail(request: HttpRequest, slug: str) -> HttpResponse:
    feature = get_object_or_404(Feature.objects.for_page(request.preview), slug=slug)
    attach_link_checks(feature.doc_links.all())
    session = (
        feature.session if feature.session and feature.session.is_visible(request.preview) else None
    )
    context = {
        "feature": feature,
        "session": session,
        "event": session.event if session else None,
        "AKS_DOCS_URL": AKS_DOCS_URL,
        "published": feature.first_published_at,
        "updated": feature.updated_at,
        "social_image": reverse("features:detail_image", kwargs={"slug": feature.slug}),
        "social_image_alt": feature_card(feature, request.preview).alt_text,
        "og_type": "article",
    }
    return TemplateResponse(request, "features/feature_detail.html", context)


@public_page
def comparison_list(request: HttpRequest) -> HttpResponse:
    comparisons = Comparison.objects.for_reader(request.preview).select_related("session__event")
    return TemplateResponse(request, "features/comparison_list.html", {"comparisons": comparisons})


@public_page
def comparison_detail(request: HttpRequest, slug: str) -> HttpResponse:
    comparison = (
        Comparison.objects.for_reader(request.preview)
        .select_related("session__event")
        .filter(slug=slug)
        .first()
    )
    if comparison is None:
        raise Http404
    session = comparison.session
    if session and not session.is_visible(request.preview):
        session = None
    context = {
        "comparison": comparison,
        "session": session,
        "event": session.event if session else None,
        "published": comparison.first_published_at,
        "updated": comparison.updated_at,
        "og_type": "article",
    }
    return TemplateResponse(request, "features/comparison_detail.html", context)
