from django import template
from django.utils.functional import LazyObject
from django.utils.safestring import mark_safe

from common.fragments import personal_part, render_kept

register = template.Library()


class FragmentNode(template.Node):
    def __init__(self, nodelist, values):
        self.nodelist = nodelist
        self.values = values

    def render(self, context):
        values = [value.resolve(context) for value in self.values]
        # No key (None, or a variable the view did not give): this visitor's own content,
        # rendered every time; within a kept page, one of its personal parts.
        if values[-1] is None or values[-1] == "":
            return personal_part(self.nodelist, context)
        # A lazy value (a version read only when needed) enters the key as what it stands for.
        key = tuple(str(v) if isinstance(v, LazyObject) else v for v in values)
        html = render_kept(key, lambda: self.nodelist.render(context), context)
        return mark_safe(html)  # noqa: S308 — rendered by us


class PersonalNode(template.Node):
    def __init__(self, nodelist, condition):
        self.nodelist = nodelist
        self.condition = condition

    def render(self, context):
        if self.condition is not None and not self.condition.resolve(context):
            return self.nodelist.render(context)
        return personal_part(self.nodelist, context)


@register.tag
def fragment(parser, token):
    """``{% fragment "name" value… %}…{% endfragment %}``: the content rendered once per
    release, language and values (common/fragments.py). The values must determine everything
    the content shows, but for its ``{% personal %}`` parts; when the last one is None the
    content is rendered every time (a page that shares it with some visitors only)."""
    values = [parser.compile_filter(bit) for bit in token.split_contents()[1:]]
    if not values:
        raise template.TemplateSyntaxError("fragment needs a name and the values it shows")
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    return FragmentNode(nodelist, values)


@register.tag
def personal(parser, token):
    """``{% personal [if value] %}…{% endpersonal %}``: one visitor's own part of a kept
    fragment (their menu, buttons, forms, CSRF token), rendered for them on every request in the
    fragment's context; with ``if``, only when the value is true (the value must then be one of
    the fragment's key values)."""
    bits = token.split_contents()
    if len(bits) not in (1, 3) or (len(bits) == 3 and bits[1] != "if"):
        raise template.TemplateSyntaxError("use {% personal %} or {% personal if value %}")
    condition = parser.compile_filter(bits[2]) if len(bits) == 3 else None
    nodelist = parser.parse(("endpersonal",))
    parser.delete_first_token()
    return PersonalNode(nodelist, condition)
