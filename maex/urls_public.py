"""The public schema serves no website: every site is a portal (ARCHITECTURE §2)."""

urlpatterns = []
