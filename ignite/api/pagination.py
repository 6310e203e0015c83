"""Lists come in numbered pages with links to the next and previous ones."""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from ignite.text import quoted

from .errors import BadParameters

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
# Page numbers past this are refused before anything is counted.
MAX_PAGE_NUMBER = 1_000_000


def _whole_number(value: str, low: int, high: int) -> int | None:
    value = value.strip()
    if not (value.isascii() and value.isdigit()) or len(value) > len(str(high)):
        return None
    number = int(value)
    return number if low <= number <= high else None


class PageNumbers(PageNumberPagination):
    """?page=N (from 1) and ?page_size=N (1–100, 20 by default); a page that does not exist is
    a 400 naming it, never an empty page or a guess."""

    page_size = DEFAULT_PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    last_page_strings = ()
    template = None
    parameters = ("page", "page_size")

    def read(self, request) -> None:
        """Check the page parameters before any query runs (raises BadParameters)."""
        problems = []
        self.requested_page = 1
        self.requested_size = self.page_size
        raw_page = request.query_params.get(self.page_query_param, "")
        if raw_page != "":
            number = _whole_number(raw_page, 1, MAX_PAGE_NUMBER)
            if number is None:
                problems.append(
                    (
                        "page",
                        _("“%(value)s” is not a page number; pages are numbered from 1.")
                        % {"value": quoted(raw_page)},
                    )
                )
            else:
                self.requested_page = number
        raw_size = request.query_params.get(self.page_size_query_param, "")
        if raw_size != "":
            size = _whole_number(raw_size, 1, MAX_PAGE_SIZE)
            if size is None:
                problems.append(
                    (
                        "page_size",
                        _("A page holds from 1 to %(max)d results, not “%(value)s”.")
                        % {"max": MAX_PAGE_SIZE, "value": quoted(raw_size)},
                    )
                )
            else:
                self.requested_size = size
        if problems:
            raise BadParameters(problems)

    def get_page_size(self, request) -> int:
        return self.requested_size

    def get_page_number(self, request, paginator) -> int:
        return self.requested_page

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        paginator = self.django_paginator_class(queryset, self.requested_size)
        if self.requested_page > paginator.num_pages:
            message = _("There is no page %(page)d; the last page is %(last)d.") % {
                "page": self.requested_page,
                "last": paginator.num_pages,
            }
            raise BadParameters([("page", message)])
        self.page = paginator.page(self.requested_page)
        return list(self.page)

    def get_paginated_response(self, data) -> Response:
        return Response(
            {
                "count": self.page.paginator.count,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def get_schema_operation_parameters(self, view) -> list[dict]:
        return [
            {
                "name": "page",
                "required": False,
                "in": "query",
                "description": "The page of results, from 1. A page past the last is a 400.",
                "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_NUMBER},
            },
            {
                "name": "page_size",
                "required": False,
                "in": "query",
                "description": f"Results per page (default {DEFAULT_PAGE_SIZE}).",
                "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
            },
        ]

    def get_paginated_response_schema(self, schema: dict) -> dict:
        link = {"type": ["string", "null"], "format": "uri"}
        return {
            "type": "object",
            "required": ["count", "next", "previous", "results"],
            "properties": {
                "count": {
                    "type": "integer",
                    "minimum": 0,
                    "description": "Results on all pages.",
                    "example": 1,
                },
                "next": {
                    **link,
                    "description": "The next page, with the same parameters.",
                    "example": None,
                },
                "previous": {**link, "description": "The previous page, if any.", "example": None},
                "results": schema,
            },
        }
