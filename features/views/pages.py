"""A feature's page and the comparison tables."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse

from ignite.links.pages import attach_link_checks
from ignite.page_cache import public_page

from ..models import Comparison, Feature

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
        "AKS_DOCS_URL": AKS_DOCS_URL,
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
    return TemplateResponse(
        request,
        "features/comparison_detail.html",
        {"comparison": comparison, "session": session},
    )
