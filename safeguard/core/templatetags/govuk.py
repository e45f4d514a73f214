"""Template helpers for GOV.UK Frontend markup: ``{% load govuk %}``."""

from django import template
from django.forms.utils import flatatt
from django.forms.widgets import ChoiceWidget, MultiWidget

register = template.Library()

# GOV.UK class and error modifier for each <input type>; any type not listed is a text-like
# input (text, email, number, password, tel, url, search, date, time).
_INPUT_CLASSES = {
    "checkbox": ("govuk-checkboxes__input", ""),
    "radio": ("govuk-radios__input", ""),
    "file": ("govuk-file-upload", "govuk-file-upload--error"),
    "hidden": ("", ""),
}
_TEXT_INPUT_CLASSES = ("govuk-input", "govuk-input--error")


@register.simple_tag
def govuk_attrs(widget, css_class=None, error_class=None, own_class=True):
    """A widget's HTML attributes with its GOV.UK class added.

    ``widget`` is the widget context a widget template receives. Without ``css_class`` the
    class follows the input type. The error modifier is added when Django has marked the
    widget ``aria-invalid``. ``own_class=False`` leaves out the class given in the widget's
    attrs (radio and checkbox items, whose container carries it).
    """
    attrs = dict(widget["attrs"])
    if css_class is None:
        css_class, error_class = _INPUT_CLASSES.get(widget.get("type"), _TEXT_INPUT_CLASSES)
    classes = [css_class] if css_class else []
    if error_class and attrs.get("aria-invalid") in ("true", True):
        classes.append(error_class)
    own = attrs.pop("class", "")
    if own and own_class:
        classes.append(own)
    if classes:
        attrs["class"] = " ".join(classes)
    return flatatt(attrs)


@register.filter
def govuk_error_target(field):
    """The id an error summary link for a bound field points to: its first input.

    Radios and checkboxes link to the first option, and the date input to its day input, as
    the GOV.UK error summary asks.
    """
    widget = field.field.widget
    id_ = widget.attrs.get("id") or field.auto_id
    if not id_:
        return ""
    if isinstance(widget, ChoiceWidget) and widget.add_id_index and widget.use_fieldset:
        return f"{id_}_0"
    if isinstance(widget, MultiWidget):
        return widget.id_for_label(id_) or f"{id_}_0"
    return widget.id_for_label(id_) or id_
