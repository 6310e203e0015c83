"""Post admin pages back the way a browser would: every field and every inline as shown."""

from django.urls import reverse


def form_data(form) -> dict:
    """The values a browser would post back for an unchanged form."""
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if value is None:
            continue
        if hasattr(value, "pk"):
            value = value.pk
        if isinstance(value, list | tuple | set) or hasattr(value, "all"):
            items = value.all() if hasattr(value, "all") else value
            data[form.add_prefix(name)] = [getattr(v, "pk", v) for v in items]
        else:
            data[form.add_prefix(name)] = value
    return data


def page_data(response) -> dict:
    """What a browser posts back for an admin form page: the form and each inline, unchanged."""
    data = form_data(response.context["adminform"].form)
    inlines = response.context.get("inline_admin_formsets") or []
    for inline in inlines:
        formset = inline.formset
        management = formset.management_form
        data.update({management.add_prefix(k): v for k, v in management.initial.items()})
        for form in formset.forms:
            data.update(form_data(form))
    return data


def admin_url(obj, view: str, *args) -> str:
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=[obj.pk, *args])


def post_change_form(client, obj, **changes):
    """Open obj's change form and save it with some fields changed."""
    url = admin_url(obj, "change")
    return client.post(url, {**page_data(client.get(url)), **changes})


def revert(client, obj, record, **changes):
    """Open a historical version of obj in the admin and save it, as “Revert” does."""
    url = admin_url(obj, "simple_history", record.history_id)
    return client.post(url, {**page_data(client.get(url)), **changes})
