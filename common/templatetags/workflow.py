"""`{% next_steps obj %}`: the buttons for the steps the user may take on `obj` now."""

from django import template

from common.workflows import next_steps as workflow_next_steps

register = template.Library()


@register.inclusion_tag("common/_next_steps.html", takes_context=True)
def next_steps(context, obj):
    return {"steps": workflow_next_steps(obj, context["request"].user)}
