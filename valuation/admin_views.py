"""The price list in the national portal's Wagtail admin (/beheer/prijslijst/).

Only in the national portal (schema ``landelijk``), and only for people with ``roles.manage_price_list``
there (or platform staff with ``is_superuser``). The same URLs exist in every portal's URL configuration (one
process serves all portals), so every view answers 404 outside the national schema and refuses anyone else
before it reads anything. Writes go through ``valuation.services``; a published version is read-only here,
and the model and a database trigger refuse changes to it too.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets.button import HeaderButton
from wagtail.log_actions import log

from roles.permissions import has_national_duty, in_national_portal

from . import services
from .admin_forms import PriceItemForm, PriceListCreateForm, PriceListImportForm
from .models import PriceItem, PriceList, PublishedPriceListError, Recomputation
from .selectors import current_price_list

URL_NAMESPACE = "prijslijst"
PERMISSION = "roles.manage_price_list"
PUBLISHED_REFUSED = gettext_lazy(
    "Deze versie is gepubliceerd en verandert nooit meer. Maak een nieuwe conceptversie om iets aan te passen."
)


# --- who may ------------------------------------------------------------------------------------------------


def can_manage_price_list(user) -> bool:
    """National admins (``roles.manage_price_list`` in the national schema) and platform staff, and only
    in the national portal's admin."""
    return has_national_duty(user, PERMISSION)


def url(name: str, *args) -> str:
    return reverse(f"{URL_NAMESPACE}:{name}", args=args)


# --- the base of every screen -------------------------------------------------------------------------------


class PriceListAdminView(WagtailAdminTemplateMixin, View):
    """404 outside the national portal, then the permission check, then (for ``pk``) the version."""

    header_icon = "table"
    page_title = gettext_lazy("Prijslijst")
    price_list: PriceList | None = None

    def dispatch(self, request, *args, **kwargs):
        if not in_national_portal():
            raise Http404
        if not can_manage_price_list(request.user):
            raise PermissionDenied
        if "pk" in kwargs:
            self.price_list = get_object_or_404(PriceList, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        items = [*self.breadcrumbs_items, {"url": url("index"), "label": _("Prijslijst")}]
        if self.price_list is not None:
            items.append({"url": url("detail", self.price_list.pk), "label": self.price_list.version})
        return items

    def get_page_subtitle(self):
        return str(self.price_list) if self.price_list is not None else ""

    def render(self, status=200, **context):
        data = self.get_context_data(price_list=self.price_list, **context)
        return TemplateResponse(self.request, self.get_template_names(), data, status=status)

    def refuse_if_published(self):
        """A redirect with a message if the version is published (server-side, whatever the form sent)."""
        if self.price_list.is_published:
            messages.error(self.request, str(PUBLISHED_REFUSED))
            return redirect(url("detail", self.price_list.pk))
        return None


# --- versions -----------------------------------------------------------------------------------------------


class PriceListIndexView(PriceListAdminView):
    template_name = "valuation/admin/index.html"

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": _("Prijslijst")}]

    def get_header_buttons(self):
        return [HeaderButton(_("Nieuwe conceptversie"), url=url("create"), icon_name="plus")]

    def get(self, request):
        price_lists = PriceList.objects.annotate(item_count=Count("items")).order_by(
            "status", "-published_on", "-created_at"
        )
        return self.render(price_lists=list(price_lists))


class PriceListCreateView(PriceListAdminView):
    template_name = "valuation/admin/create.html"
    page_title = gettext_lazy("Nieuwe conceptversie")

    def get_breadcrumbs_items(self):
        return [*super().get_breadcrumbs_items(), {"url": "", "label": _("Nieuwe conceptversie")}]

    def get(self, request):
        return self.render(form=PriceListCreateForm(initial={"copy_from": current_price_list()}))

    def post(self, request):
        form = PriceListCreateForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                draft = services.create_draft(version=data["version"], title=data["title"], copy_from=data["copy_from"])
            except IntegrityError:  # a concurrent request took the same version
                form.add_error("version", _("Versie %(version)s bestaat al.") % {"version": data["version"]})
            else:
                log(instance=draft, action="wagtail.create", user=request.user)
                messages.success(request, _("Conceptversie %(version)s is gemaakt.") % {"version": draft.version})
                return redirect(url("detail", draft.pk))
        return self.render(form=form, status=400)


class PriceListDetailView(PriceListAdminView):
    template_name = "valuation/admin/detail.html"

    def get(self, request, pk):
        items = list(self.price_list.items.select_related("value_domain").order_by("code"))
        for item in items:
            item.weights_text = services.format_weights(item.sdg_weights)
        recomputation = None
        if self.price_list.is_published:
            recomputation = Recomputation.objects.filter(price_list=self.price_list).first()
        return self.render(items=items, recomputation=recomputation)


# --- the lines of a draft -----------------------------------------------------------------------------------


class PriceItemFormView(PriceListAdminView):
    template_name = "valuation/admin/item_form.html"

    def dispatch(self, request, *args, **kwargs):
        self.item_pk = kwargs.get("item_pk")
        return super().dispatch(request, *args, **kwargs)

    def get_item(self):
        if self.item_pk is None:
            return PriceItem(price_list=self.price_list)
        return get_object_or_404(PriceItem, pk=self.item_pk, price_list=self.price_list)

    def get_page_title(self):
        return _("Regel wijzigen") if self.item_pk else _("Regel toevoegen")

    def get_breadcrumbs_items(self):
        return [*super().get_breadcrumbs_items(), {"url": "", "label": self.get_page_title()}]

    def get(self, request, pk, item_pk=None):
        refused = self.refuse_if_published()
        if refused:
            return refused
        item = self.get_item()
        return self.render(form=PriceItemForm(instance=item, price_list=self.price_list), item=item)

    def post(self, request, pk, item_pk=None):
        refused = self.refuse_if_published()
        if refused:
            return refused
        item = self.get_item()
        form = PriceItemForm(request.POST, instance=item, price_list=self.price_list)
        if form.is_valid():
            try:
                with transaction.atomic():
                    # Lock the version: publishing takes the same lock, so no line changes after it.
                    locked = PriceList.objects.select_for_update().get(pk=self.price_list.pk)
                    if locked.is_published:
                        raise PublishedPriceListError(str(PUBLISHED_REFUSED))
                    item = form.save()
            except PublishedPriceListError:
                messages.error(request, str(PUBLISHED_REFUSED))
                return redirect(url("detail", self.price_list.pk))
            except IntegrityError:  # a concurrent request took the same code
                form.add_error(
                    "code", _("Code %(code)s staat al in deze versie.") % {"code": form.cleaned_data["code"]}
                )
            else:
                done = _("Regel %(code)s is bijgewerkt.") if self.item_pk else _("Regel %(code)s is toegevoegd.")
                messages.success(request, done % {"code": item.code})
                return redirect(url("detail", self.price_list.pk))
        messages.error(request, _("De regel is niet opgeslagen. Verbeter de fouten hieronder."))
        return self.render(form=form, item=item, status=400)


class PriceItemDeleteView(PriceListAdminView):
    template_name = "valuation/admin/item_delete.html"
    page_title = gettext_lazy("Regel verwijderen")

    def get_breadcrumbs_items(self):
        return [*super().get_breadcrumbs_items(), {"url": "", "label": _("Regel verwijderen")}]

    def get(self, request, pk, item_pk):
        refused = self.refuse_if_published()
        if refused:
            return refused
        item = get_object_or_404(PriceItem, pk=item_pk, price_list=self.price_list)
        return self.render(item=item)

    def post(self, request, pk, item_pk):
        refused = self.refuse_if_published()
        if refused:
            return refused
        item = get_object_or_404(PriceItem, pk=item_pk, price_list=self.price_list)
        with transaction.atomic():
            locked = PriceList.objects.select_for_update().get(pk=self.price_list.pk)
            if locked.is_published:
                messages.error(request, str(PUBLISHED_REFUSED))
                return redirect(url("detail", self.price_list.pk))
            item.delete()
        messages.success(request, _("Regel %(code)s is verwijderd.") % {"code": item.code})
        return redirect(url("detail", self.price_list.pk))


# --- CSV ------------------------------------------------------------------------------------------------------


class PriceListImportView(PriceListAdminView):
    template_name = "valuation/admin/import.html"
    page_title = gettext_lazy("CSV importeren")

    def get_breadcrumbs_items(self):
        return [*super().get_breadcrumbs_items(), {"url": "", "label": _("CSV importeren")}]

    def get(self, request, pk):
        return self.refuse_if_published() or self.render(form=PriceListImportForm())

    def post(self, request, pk):
        refused = self.refuse_if_published()
        if refused:
            return refused
        form = PriceListImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render(form=form, status=400)
        try:
            with transaction.atomic():
                locked = PriceList.objects.select_for_update().get(pk=self.price_list.pk)
                result = services.import_csv(locked, form.text)
        except PublishedPriceListError:
            messages.error(request, str(PUBLISHED_REFUSED))
            return redirect(url("detail", self.price_list.pk))
        if result.errors:
            messages.error(request, _("Er is niets geïmporteerd: het bestand bevat fouten."))
            return self.render(form=PriceListImportForm(), import_errors=result.errors, status=400)
        messages.success(
            request,
            _("%(count)s regels geïmporteerd in versie %(version)s.")
            % {"count": len(result.items), "version": self.price_list.version},
        )
        return redirect(url("detail", self.price_list.pk))


class PriceListExportView(PriceListAdminView):
    def get(self, request, pk):
        response = HttpResponse(services.export_csv(self.price_list), content_type="text/csv; charset=utf-8")
        filename = f"prijslijst-{slugify(self.price_list.version.replace('.', '-')) or self.price_list.pk}.csv"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response


# --- publishing -----------------------------------------------------------------------------------------------


class PriceListPublishView(PriceListAdminView):
    template_name = "valuation/admin/publish.html"
    page_title = gettext_lazy("Publiceren")

    def get_breadcrumbs_items(self):
        return [*super().get_breadcrumbs_items(), {"url": "", "label": _("Publiceren")}]

    def get(self, request, pk):
        refused = self.refuse_if_published()
        if refused:
            return refused
        return self.render(item_count=self.price_list.items.count())

    def post(self, request, pk):
        refused = self.refuse_if_published()
        if refused:
            return refused
        try:
            published = services.publish(self.price_list)
        except PublishedPriceListError:
            messages.error(request, _("Deze versie is al gepubliceerd."))
            return redirect(url("detail", self.price_list.pk))
        except ValueError as exc:  # an empty list
            messages.error(request, str(exc))
            return redirect(url("detail", self.price_list.pk))
        log(instance=published, action="wagtail.publish", user=request.user)
        messages.success(
            request,
            _("Versie %(version)s is gepubliceerd. Alle initiatieven worden op de achtergrond herberekend.")
            % {"version": published.version},
        )
        return redirect(url("detail", published.pk))
