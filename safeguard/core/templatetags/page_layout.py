"""The page layout's own tags (``safeguard/templates/base.html``)."""

from django import template
from django.utils.html import format_html

register = template.Library()


class LandmarkNode(template.Node):
    def __init__(self, nodelist, label):
        self.nodelist = nodelist
        self.label = label

    def render(self, context):
        inside = self.nodelist.render(context)
        if not inside.strip():
            return ""
        label = self.label.resolve(context)
        return format_html('<nav aria-label="{}">{}</nav>', label, inside)


@register.tag
def navigation_landmark(parser, token):
    """``{% navigation_landmark "Back" %}...{% endnavigation_landmark %}``: what is inside,
    in a ``<nav aria-label="Back">`` landmark, or nothing at all when it renders empty (so that
    a page with no back link has no empty landmark). Content outside every landmark is what
    axe's "region" rule finds; a ``{% block %}`` inside is still a block its children fill."""
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError(f"{bits[0]} takes one argument: its label")
    nodelist = parser.parse(("endnavigation_landmark",))
    parser.delete_first_token()
    return LandmarkNode(nodelist, parser.compile_filter(bits[1]))
