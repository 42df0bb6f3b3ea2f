from django import template
from django.utils.functional import LazyObject
from django.utils.safestring import mark_safe

from common.fragments import key_for, store

register = template.Library()


class FragmentNode(template.Node):
    def __init__(self, nodelist, values):
        self.nodelist = nodelist
        self.values = values

    def render(self, context):
        values = [value.resolve(context) for value in self.values]
        if values[-1] is None:  # no key: this visitor's own content, rendered every time
            return self.nodelist.render(context)
        # A lazy value (a version read only when needed) enters the key as what it stands for.
        key = key_for(*(str(v) if isinstance(v, LazyObject) else v for v in values))
        html = store.get(key)
        if html is None:
            html = mark_safe(self.nodelist.render(context))  # noqa: S308 — rendered by us
            store.put(key, html)
        return html


@register.tag
def fragment(parser, token):
    """``{% fragment "name" value… %}…{% endfragment %}``: the content rendered once per
    release, language and values (common/fragments.py). The values must determine everything
    the content shows; when the last one is None the content is rendered every time (a page
    that shares it with some visitors only)."""
    values = [parser.compile_filter(bit) for bit in token.split_contents()[1:]]
    if not values:
        raise template.TemplateSyntaxError("fragment needs a name and the values it shows")
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    return FragmentNode(nodelist, values)
