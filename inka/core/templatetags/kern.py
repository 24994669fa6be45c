"""Form rendering in KERN UX markup: classes, hints and errors tied to the field (aria-describedby)."""

from django import forms, template
from django.utils.safestring import SafeString

register = template.Library()


def widget_class(widget: forms.Widget) -> str:
    if isinstance(widget, (forms.CheckboxInput, forms.CheckboxSelectMultiple)):
        return "kern-form-check__checkbox"
    if isinstance(widget, forms.RadioSelect):
        return "kern-form-check__radio"
    if isinstance(widget, forms.Select):
        return "kern-form-input__select"
    return "kern-form-input__input"


@register.simple_tag
def kern_widget(field: forms.BoundField) -> SafeString:
    css = widget_class(field.field.widget)
    if field.errors:
        css += f" {css}--error"
    described_by = []
    if field.help_text:
        described_by.append(f"{field.auto_id}-hint")
    if field.errors:
        described_by.append(f"{field.auto_id}-error")
    attrs: dict[str, str | bool] = {"class": css}
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    if field.errors:
        attrs["aria-invalid"] = "true"
    return field.as_widget(attrs=attrs)


@register.filter
def is_checkbox(field: forms.BoundField) -> bool:
    return isinstance(field.field.widget, forms.CheckboxInput)


@register.filter
def is_select(field: forms.BoundField) -> bool:
    return isinstance(field.field.widget, forms.Select) and not isinstance(
        field.field.widget, forms.RadioSelect
    )


@register.filter
def is_choice_group(field: forms.BoundField) -> bool:
    """Radio buttons and checkbox lists: a fieldset with a legend, one labelled input per option."""
    return isinstance(field.field.widget, forms.RadioSelect)  # CheckboxSelectMultiple is one too
