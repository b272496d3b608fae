"""The platform's own actions in Wagtail's audit log (accounts/audit.py), shown under Reports > Site history."""

from wagtail import hooks

from .audit import register_actions


@hooks.register("register_log_actions")
def register_maex_log_actions(actions):
    register_actions(actions)
