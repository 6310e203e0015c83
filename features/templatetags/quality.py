from django import template

from features.quality import CHECKS

register = template.Library()


@register.simple_tag(takes_context=True)
def data_quality_counts(context) -> list[tuple[str, str, int]]:
    """(slug, title, count) of each data-quality check, for editors who may see them."""
    request = context.get("request")
    if request is None or not request.user.has_perm("features.view_feature"):
        return []
    return [
        (check.slug, check.title, sum(q.count() for q, _row in check.find())) for check in CHECKS
    ]
