"""Unique slugs for the apps' public addresses."""

from django.utils.text import slugify


def unique_slug(
    model,
    text: str,
    *,
    reserved: set[str] = frozenset(),
    suffix: str = "",
    exclude_pk: int | None = None,
) -> str:
    """``text`` as a slug not yet used by ``model``: "name", else "name-2", "name-3"…

    A slug that would shadow one of the app's own paths (``reserved``) gets ``suffix`` (default:
    the model's name) appended first.
    """
    name = model._meta.model_name
    base = slugify(text)[:200].strip("-") or name
    if base in reserved:
        base = f"{base}-{suffix or name}"
    taken = set(
        model._default_manager.filter(slug__startswith=base)
        .exclude(pk=exclude_pk)
        .values_list("slug", flat=True)
    )
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug
