"""Rendering values of the subject access export, with third parties visibly marked."""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from safeguard.accounts.models import Role

register = template.Library()

MARK = (
    '<mark class="redact" title="Third party: redact before release">[REDACT: third party]</mark>'
)


def _value(value):
    if value is None or value == "":
        return format_html('<span class="none">{}</span>', "—")
    if isinstance(value, dict):
        if value.get("third_party") and value.get("redact"):
            name = (
                value.get("name")
                or value.get("text")
                or ", ".join(str(v) for k, v in value.items() if k not in ("third_party", "redact"))
            )
            return format_html('<span class="third-party">{} {}</span>', mark_safe(MARK), name)  # noqa: S308
        if value.get("professional"):
            return format_html("{} ({}, professional)", value["name"], value.get("role") or "staff")
        if "label" in value and "code" in value:
            return format_html("{}", value["label"])
        if value.get("subject"):
            return format_html("{} (the subject)", value["name"])
        if "text" in value and "record" in value:
            return format_html("{}", value["text"])
        return format_html_join("; ", "{}: {}", ((k, _value(v)) for k, v in value.items()))
    if isinstance(value, list):
        if not value:
            return format_html('<span class="none">{}</span>', "none")
        return format_html(
            "<ul>{}</ul>", format_html_join("", "<li>{}</li>", ((_value(v),) for v in value))
        )
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return format_html("{}", value)


@register.simple_tag
def export_value(value):
    return _value(value)


@register.filter
def field_label(name: str) -> str:
    return name.replace("_", " ").capitalize()


@register.simple_tag
def node_label(node: dict, name: str) -> str:
    """The field's name as the forms call it ("NHS number"), from the export's labels."""
    return (node.get("labels") or {}).get(name) or field_label(name)


@register.filter
def hlevel(level) -> int:
    """A heading level no deeper than h6."""
    return min(int(level), 6)


@register.filter
def role_label(code: str) -> str:
    """A role as people say it ("Team manager"), from the code kept in the access log."""
    return dict(Role.choices).get(code, code)
