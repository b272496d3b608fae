"""Template helpers for forms shared by every app: the error summary that links each message to its field (WCAG
3.3.1 and 2.4.3: the summary is read first, and each message takes the keyboard to the field it is about)."""

from django import template

register = template.Library()


@register.filter
def fields_with_errors(form) -> list:
    """The fields of ``form`` with an error, each with the id its error summary links to: the field itself, or the
    first choice of a group of radio buttons (whose label names no single input)."""
    found = []
    for field in form:
        if field.errors:
            anchor = field.id_for_label or (f"{field.auto_id}_0" if field.auto_id else "")
            found.append((field, anchor))
    return found
