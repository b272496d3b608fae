"""The public schema serves no website: every site is a portal (docs/architecture.md, "Which app lives where")."""

urlpatterns = []
