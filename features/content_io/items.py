"""Checking one item of the file against its shape: fields, languages and the model's rules.

`ItemChecks` turns a raw JSON object into an `Item` (values ready for the model, references,
children) and records a `Problem` for everything wrong with it; the validator builds on it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models

from . import format as fmt
from .problems import MAX_PROBLEMS, TOO_MANY, ImportFailed, Problem


@dataclass
class Item:
    """One validated row: field values ready for the model, plus its references and children."""

    path: str
    values: dict[str, Any]
    refs: dict[str, Any] = field(default_factory=dict)
    children: dict[str, list[Item]] = field(default_factory=dict)

    @property
    def key(self) -> str:
        return self.values.get("slug", "")


@dataclass
class Plan:
    """A validated file: its items by section, and whether it holds all the site's content."""

    sections: dict[str, list[Item]]
    complete: bool = True

    def slugs(self, section: str) -> set[str]:
        return {item.key for item in self.sections[section]}


def get(entry: Any, name: str) -> Any:
    """entry[name] when entry is an object (a wrong type is reported elsewhere), else None."""
    return entry.get(name) if isinstance(entry, dict) else None


def _required(model_field: models.Field) -> bool:
    return not (model_field.blank or model_field.null or model_field.has_default())


class ItemChecks:
    """Collects problems while it reads items; subclasses walk the sections."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def problem(self, path: str, message: str) -> None:
        self.problems.append(Problem(path, message))
        if len(self.problems) > MAX_PROBLEMS:
            raise ImportFailed([*self.problems[:MAX_PROBLEMS], TOO_MANY])

    def item(self, shape: fmt.Shape, raw: Any, path: str, extra: Iterable[str] = ()) -> Item:
        item = Item(path=path, values={})
        if not isinstance(raw, dict):
            self.problem(path, "expected an object")
            return item
        for key in getattr(raw, "duplicates", ()):
            self.problem(f"{path}.{key}", "appears more than once")
        allowed = {
            *shape.field_names,
            *shape.optional_names,
            *extra,
            *((fmt.REVIEW_KEY,) if shape.reviewed else ()),
        }
        for key in raw:
            if key not in allowed:
                self.problem(f"{path}.{key}", "unknown field")
        # Every field is written out, even when empty: a key left out is more likely a slip
        # than a wish to empty the field, so it is reported rather than guessed.
        for key in extra:
            if key not in raw:
                self.problem(f"{path}.{key}", "is missing (write null or [] for none)")
        failed: set[str] = set()
        names = shape.plain + (fmt.PUBLICATION_FIELDS if shape.publishable else ())
        for name in names:
            model_field = shape.field(name)
            if name not in raw:
                self.problem(f"{path}.{name}", "is missing")
                failed.add(name)
                continue
            if raw[name] is None and model_field.null:
                item.values[name] = None
                continue
            try:
                item.values[name] = fmt.from_json_value(model_field, raw[name])
            except fmt.ValueProblem as error:
                self.problem(f"{path}.{name}", str(error))
                failed.add(name)
        for name in shape.optional_names:
            if name not in raw:
                continue
            try:
                value = raw[name]
                item.values[name] = (
                    None if value is None else fmt.from_json_value(shape.field(name), value)
                )
            except fmt.ValueProblem as error:
                self.problem(f"{path}.{name}", str(error))
                failed.add(name)
        appear, leave = item.values.get("publish_at"), item.values.get("unpublish_at")
        if appear and leave and leave <= appear:
            self.problem(f"{path}.unpublish_at", "must come after publish_at")
            failed.add("unpublish_at")
        for name in shape.translated:
            self._translations(shape, raw, name, path, item, failed)
        if shape.reviewed and fmt.REVIEW_KEY in raw:
            try:
                item.values[fmt.REVIEW_KEY] = fmt.review_marks(shape, raw[fmt.REVIEW_KEY])
            except fmt.ValueProblem as error:
                self.problem(f"{path}.{fmt.REVIEW_KEY}", str(error))
        self._clean(shape, item, failed)
        return item

    def _translations(self, shape, raw, name, path, item, failed) -> None:
        model_field = shape.field(name)
        if name not in raw:
            self.problem(f"{path}.{name}", "is missing")
            failed.add(name)
            return
        texts = raw[name]
        if not isinstance(texts, dict):
            self.problem(f"{path}.{name}", 'expected a text per language, e.g. {"en": "…"}')
            failed.add(name)
            return
        for key in getattr(texts, "duplicates", ()):
            self.problem(f"{path}.{name}.{key}", "appears more than once")
        for language in texts:
            if language not in fmt.LANGUAGES:
                self.problem(f"{path}.{name}.{language}", "unknown language")
        limit = fmt.text_limit(model_field)
        for language in fmt.LANGUAGES:
            if language not in texts:
                self.problem(f"{path}.{name}.{language}", 'is missing (write "" for none)')
                failed.add(name)
                continue
            text = texts[language]
            if text is None:
                text = ""
            try:
                item.values[f"{name}_{language}"] = fmt.text_value(text, limit)
            except fmt.ValueProblem as error:
                self.problem(f"{path}.{name}.{language}", str(error))
                failed.add(name)
        english = item.values.get(f"{name}_{fmt.LANGUAGES[0]}", "")
        if _required(model_field) and name not in failed and not english.strip():
            self.problem(f"{path}.{name}.{fmt.LANGUAGES[0]}", "is required")
            failed.add(name)

    def _clean(self, shape: fmt.Shape, item: Item, failed: set[str]) -> None:
        """Field rules the model knows: lengths, choices, slugs, URLs."""
        model = shape.model
        values = {
            k: v
            for k, v in item.values.items()
            if fmt.json_name(k).split(".")[0] not in failed and k != fmt.REVIEW_KEY
        }
        # Model.clean_fields for these fields, without building a row for each item: the
        # fields' own clean() (no field of these models asks the row).
        errors = {}
        for model_field in model._meta.fields:
            if model_field.name not in values or model_field.generated:
                continue
            value = values[model_field.name]
            if model_field.blank and value in model_field.empty_values:
                continue
            try:
                model_field.clean(value, None)
            except ValidationError as error:
                errors[model_field.name] = error.error_list
        invalid: set[str] = set()
        if errors:
            message_dict = ValidationError(errors).message_dict
            invalid = set(message_dict)
            for name, messages in message_dict.items():
                self.problem(f"{item.path}.{fmt.json_name(name)}", " ".join(messages))
        for name, value in values.items():
            model_field = model._meta.get_field(name)
            is_url = isinstance(model_field, models.URLField) and name not in invalid
            if is_url and value and not value.startswith(("https://", "http://")):
                self.problem(f"{item.path}.{name}", "must be an http:// or https:// address")

    def as_list(self, raw: Any, path: str) -> list:
        """A list of children; null means none."""
        if raw is None:
            return []
        if not isinstance(raw, list):
            self.problem(path, "expected a list")
            return []
        return raw

    def unique(self, items: list[Item], key: Callable[[Item], Any], what: str, label: str):
        """Report every item whose key an earlier item already has."""
        seen: dict[Any, str] = {}
        for item in items:
            value = key(item)
            if value in (None, ""):
                continue
            if value in seen:
                self.problem(
                    item.path, f"duplicate {what} {label.format(value)} (also at {seen[value]})"
                )
            else:
                seen[value] = item.path

    def in_order(self, items: list[Item]) -> None:
        """Items kept by position (key points, columns, rows) must be listed in their order."""
        previous = None
        for item in items:
            order = item.values.get("order")
            if not isinstance(order, int):
                continue
            if previous is not None and order < previous:
                self.problem(
                    f"{item.path}.order",
                    f"is {order}, lower than the item before it ({previous}); list items "
                    "in their order",
                )
            previous = order

    def slug_ref(self, entry: Any, name: str, path: str, *, required: bool) -> str | None:
        """The slug entry[name] refers to (its target is checked once every section is read)."""
        value = get(entry, name)
        if value is None:
            if required:
                self.problem(f"{path}.{name}", "is required")
            return None
        if not isinstance(value, str) or not value:
            self.problem(f"{path}.{name}", "expected a slug")
            return None
        return value
