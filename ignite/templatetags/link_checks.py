"""The link checker's summary on the admin index."""

from django import template
from django.db.models import Count, Max, Q
from django.urls import reverse

from ignite.links.models import LinkCheck

register = template.Library()


@register.inclusion_tag("ignite/admin/link_check_summary.html", takes_context=True)
def link_check_summary(context) -> dict:
    """How many links are broken and failing, in one query, for users who may read the checks."""
    request = context.get("request")
    if request is None or not request.user.has_perm("ignite.view_linkcheck"):
        return {"visible": False}
    broken = LinkCheck.objects.broken().values("pk")
    totals = LinkCheck.objects.aggregate(
        checked=Count("pk"),
        failing=Count("pk", filter=Q(failing_since__isnull=False)),
        broken=Count("pk", filter=Q(pk__in=broken)),
        last_run=Max("checked_at"),
    )
    changelist = reverse("admin:ignite_linkcheck_changelist")
    return {
        "visible": True,
        **totals,
        "broken_url": f"{changelist}?link_state=broken",
        "failing_url": f"{changelist}?link_state=failing",
    }
