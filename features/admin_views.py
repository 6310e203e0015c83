"""Admin pages that are not one model's: the data-quality overview."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from .quality import CHECKS


def data_quality(request: HttpRequest) -> HttpResponse:
    """Everything that needs an editor's attention, one section per kind of problem."""
    if not request.user.has_perm("features.view_feature"):
        raise PermissionDenied
    findings = [check.run() for check in CHECKS]
    context = {
        **admin.site.each_context(request),
        "title": _("Data quality"),
        "findings": findings,
        "total": sum(found.count for found in findings),
    }
    return TemplateResponse(request, "admin/data_quality.html", context)
