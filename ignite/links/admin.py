"""Link checks in the admin: a read-only list for editors, and a "broken links" filter that any
content admin can add to its list."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import F
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from ignite.links.models import LinkCheck
from ignite.links.sources import link_uses, owners_linking_to


class LinkStateFilter(admin.SimpleListFilter):
    title = _("state")
    parameter_name = "link_state"

    def lookups(self, request, model_admin):
        return [
            ("working", _("Working")),
            ("failing", _("Failing")),
            ("broken", _("Failing for a week or more")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "working":
            return queryset.working()
        if self.value() == "failing":
            return queryset.failing()
        if self.value() == "broken":
            return queryset.broken()
        return queryset


class BrokenLinksFilter(admin.SimpleListFilter):
    """For content lists: the objects with a failing link, in a URL field or in their text."""

    title = _("broken links")
    parameter_name = "links"

    def __init__(self, request, params, model, model_admin):
        self.model = model
        super().__init__(request, params, model, model_admin)

    def lookups(self, request, model_admin):
        return [
            ("broken", _("Failing for a week or more")),
            ("failing", _("Failing")),
        ]

    def queryset(self, request, queryset):
        checks = {"broken": LinkCheck.objects.broken, "failing": LinkCheck.objects.failing}
        if self.value() not in checks:
            return queryset
        urls = checks[self.value()]().values_list("url", flat=True)
        return queryset.filter(pk__in=owners_linking_to(self.model, urls))


def _moment(value) -> str:
    if value is None:
        return "—"
    moment = timezone.localtime(value)
    return format_html(
        '<time datetime="{}" title="{}">{}</time>',
        moment.isoformat(),
        date_format(moment, "DATETIME_FORMAT"),
        date_format(moment, "SHORT_DATE_FORMAT"),
    )


def _change_url(obj) -> str | None:
    opts = obj._meta
    try:
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
    except NoReverseMatch:
        return None


@admin.register(LinkCheck)
class LinkCheckAdmin(admin.ModelAdmin):
    """What `check_links` found, for editors to read: results are never edited by hand."""

    list_display = ["url", "outcome_display", "final_url_display", "failing", "checked", "worked"]
    list_filter = [LinkStateFilter, "error"]
    search_fields = ["url", "final_url"]
    list_per_page = 100
    # Failing links first, the longest failing at the top.
    ordering = [F("failing_since").asc(nulls_last=True), "url"]
    fields = [
        "link",
        "outcome_display",
        "error_detail",
        "final_url",
        "redirects",
        "checked_at",
        "failing_since",
        "last_success_at",
        "where_used",
    ]
    readonly_fields = fields

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("URL"))
    def link(self, obj: LinkCheck) -> str:
        return format_html('<a href="{0}" rel="noopener noreferrer">{0}</a>', obj.url)

    @admin.display(description=_("result"), ordering="status_code")
    def outcome_display(self, obj: LinkCheck) -> str:
        if obj.is_broken():
            css = "broken"
        elif obj.is_failing:
            css = "failing"
        else:
            css = "working" if obj.last_success_at == obj.checked_at else "unknown"
        return format_html(
            '<span class="link-outcome link-outcome--{}">{}</span>', css, obj.outcome
        )

    @admin.display(description=_("final URL"))
    def final_url_display(self, obj: LinkCheck) -> str:
        return obj.final_url if obj.final_url and obj.final_url != obj.url else "—"

    @admin.display(description=_("failing since"), ordering="failing_since")
    def failing(self, obj: LinkCheck) -> str:
        return _moment(obj.failing_since)

    @admin.display(description=_("last checked"), ordering="checked_at")
    def checked(self, obj: LinkCheck) -> str:
        return _moment(obj.checked_at)

    @admin.display(description=_("last worked"), ordering="last_success_at")
    def worked(self, obj: LinkCheck) -> str:
        return _moment(obj.last_success_at)

    @admin.display(description=_("where it appears"))
    def where_used(self, obj: LinkCheck) -> str:
        uses = link_uses().get(obj.url, [])
        if not uses:
            return _("Not linked from the content any more.")
        rows = []
        for use in uses:
            url = _change_url(use.owner)
            label = format_html('<a href="{}">{}</a>', url, use.owner) if url else str(use.owner)
            rows.append((label, use.field))
        return format_html(
            "<ul>{}</ul>", format_html_join("", "<li>{} <small>({})</small></li>", rows)
        )
