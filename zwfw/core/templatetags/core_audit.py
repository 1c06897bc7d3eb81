"""`{{ e.action|action_zh }}`, `{{ e.actor_role|roles_zh }}`: audit codes in Chinese."""

from django import template

from zwfw.core.audit_labels import action_label, role_labels

register = template.Library()
register.filter("action_zh", action_label)
register.filter("roles_zh", role_labels)
