"""Wagtail pages of a portal (each portal's page tree lives in its own schema)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page


class HomePage(Page):
    intro = models.CharField(_("introductie"), max_length=300, blank=True)
    body = RichTextField(_("tekst"), blank=True, features=["h2", "h3", "bold", "italic", "link", "ol", "ul"])

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    max_count_per_parent = 1
    template = "cms/home_page.html"

    class Meta:
        verbose_name = _("startpagina")

    def get_context(self, request, *args, **kwargs):
        from national_index import selectors

        context = super().get_context(request, *args, **kwargs)
        portal = getattr(request, "tenant", None)
        scope = {} if portal is None or portal.is_national else {"portal": portal.schema_name}
        context["totals"] = selectors.totals(**scope)
        return context
