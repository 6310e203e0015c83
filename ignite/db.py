"""Database constraints shared by the content apps."""

from django.db import models
from django.db.models import Q


def web_url_constraint(field: str, name: str) -> models.CheckConstraint:
    """The database refuses a URL that is neither empty nor http(s)."""
    return models.CheckConstraint(
        condition=Q(**{field: ""})
        | Q(**{f"{field}__startswith": "https://"})
        | Q(**{f"{field}__startswith": "http://"}),
        name=name,
    )


def not_blank_constraint(field: str, name: str) -> models.CheckConstraint:
    return models.CheckConstraint(condition=~Q(**{field: ""}), name=name)
