"""National portal management in the national portal's Wagtail admin (/beheer/portalen/).

Only in the national portal (schema ``landelijk``), and only for people with ``roles.manage_portals`` there
(or platform staff with ``is_superuser``). The same URLs exist in every portal's URL configuration (one
process serves all portals), so every view refuses outside the national schema: the permission policy says
no, and the views answer 404 before they read anything.
"""

from __future__ import annotations

from functools import wraps

from django import forms
from django.core.exceptions import PermissionDenied
from django.db.models import Count, F
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views import View
from wagtail.admin import messages
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.widgets.button import HeaderButton
from wagtail.log_actions import log
from wagtail.permission_policies.base import ModelPermissionPolicy

from branding import palettes
from geo.models import Municipality
from maex.validators import posted_id
from roles.permissions import has_national_duty, in_national_portal
from tenants.models import NATIONAL_SCHEMA, Coverage, Domain, Portal

from . import launch, services

URL_NAMESPACE = "portalen"
PERMISSION = "roles.manage_portals"


# --- who may ------------------------------------------------------------------------------------------------


def can_manage_portals(user) -> bool:
    """National admins (``roles.manage_portals`` in the national schema) and platform staff, and only in
    the national portal's admin."""
    return has_national_duty(user, PERMISSION)


class NationalPortalPermissionPolicy(ModelPermissionPolicy):
    """Portals can be viewed and changed, never added or deleted through Wagtail's generic views (a portal is a
    schema: creating one clones the template and moves initiatives, which ``PortalLaunchView`` does through
    ``portals.launch``; deleting one drops data)."""

    ACTIONS = frozenset({"view", "change"})

    def user_has_permission(self, user, action):
        return action in self.ACTIONS and can_manage_portals(user)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


def national_only(view):
    """404 outside the national portal, before the view runs; the permission check follows in the view."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not in_national_portal():
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


# --- list and edit (Wagtail's generic views) ----------------------------------------------------------------


def managed_portals():
    """Every portal that serves a website, switched off or not."""
    return Portal.objects.websites().annotate(coverage_count=Count("coverage")).with_domains()


def _domains_text(portal) -> str:
    return ", ".join(d.domain + (" (" + _("primair") + ")" if d.is_primary else "") for d in portal.domains.all())


def _yes_no(value) -> str:
    return _("ja") if value else _("nee")


def scope_url(portal) -> str:
    return reverse(f"{URL_NAMESPACE}:scope", args=[portal.pk])


class PortalIndexView(generic.IndexView):
    default_ordering = "name"

    @property
    def header_buttons(self):
        return [HeaderButton(_("Nieuw portaal"), url=reverse(f"{URL_NAMESPACE}:launch"), icon_name="plus")]

    def get_base_queryset(self):
        return managed_portals()

    @property
    def columns(self):
        return [
            TitleColumn("name", label=_("Naam"), url_name=self.edit_url_name, sort_key="name"),
            Column("kind", label=_("Soort"), accessor="get_kind_display"),
            Column("domains", label=_("Domeinen"), accessor=_domains_text),
            Column("coverage_count", label=_("Gemeenten"), sort_key="coverage_count"),
            Column("review_required", label=_("Eerst beoordelen"), accessor=lambda p: _yes_no(p.review_required)),
            Column("is_active", label=_("Actief"), accessor=lambda p: _yes_no(p.is_active)),
            TitleColumn(
                "scope",
                label=_("Domeinen en dekking"),
                accessor=lambda p: _("Beheren"),
                get_url=scope_url,
            ),
        ]


class PortalForm(WagtailAdminModelForm):
    class Meta:
        model = Portal
        fields = ["name", "kind", "is_active", "review_required", "implausible", "hold_threshold"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["implausible"].required = False  # left out of a POST: unchanged

    def clean_is_active(self):
        is_active = self.cleaned_data["is_active"]
        if self.instance.schema_name == NATIONAL_SCHEMA and not is_active:
            raise forms.ValidationError(_("Het landelijke portaal kan niet worden uitgeschakeld."))
        return is_active


class PortalEditView(generic.EditView):
    success_message = gettext_lazy("Portaal '%(object)s' is bijgewerkt.")

    def get_base_object_queryset(self):
        return Portal.objects.websites()

    def get_header_buttons(self):
        return [
            *super().get_header_buttons(),
            HeaderButton(_("Domeinen en dekking"), url=scope_url(self.object), icon_name="site"),
        ]

    def save_instance(self):
        data = self.form.cleaned_data
        portal = services.update_portal(
            self.object,
            name=data["name"],
            kind=data["kind"],
            is_active=data["is_active"],
            review_required=data["review_required"],
            implausible=data["implausible"] or None,
            hold_threshold=data["hold_threshold"] if "hold_threshold" in self.request.POST else False,
        )
        log(instance=portal, action="wagtail.edit", user=self.request.user)
        return portal


# --- domains and coverage of one portal ---------------------------------------------------------------------


HOST_NAME = launch.HOST_NAME


class DomainForm(forms.Form):
    domain = forms.CharField(
        label=gettext_lazy("Domein"),
        max_length=253,
        help_text=gettext_lazy("Alleen de hostnaam, bijvoorbeeld zeeland.maex.nl (zonder https:// en zonder pad)."),
    )
    is_primary = forms.BooleanField(
        label=gettext_lazy("Primair domein"),
        required=False,
        help_text=gettext_lazy("Links naar dit portaal (ook in de landelijke index) gebruiken het primaire domein."),
    )

    def clean_domain(self):
        host = services.normalise_host(self.cleaned_data["domain"])
        if not HOST_NAME.fullmatch(host):
            raise forms.ValidationError(
                _("Vul een geldige hostnaam in, zoals zeeland.maex.nl (zonder https:// en zonder pad).")
            )
        if Domain.objects.filter(domain=host).exists():
            raise forms.ValidationError(_("Dit domein is al in gebruik."))
        return host


class MunicipalityChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        covered = getattr(obj, "covered_by", None)
        label = f"{obj} ({obj.cbs_code})"
        if covered:
            return _("%(label)s — valt onder %(portal)s") % {"label": label, "portal": covered}
        return label


class CoverageForm(forms.Form):
    municipality = MunicipalityChoiceField(
        label=gettext_lazy("Gemeente"),
        queryset=Municipality.objects.none(),
        empty_label=gettext_lazy("Kies een gemeente"),
    )

    def __init__(self, *args, portal, **kwargs):
        super().__init__(*args, **kwargs)
        self.portal = portal
        # Municipalities another portal covers stay in the list, marked: choosing one gets a clear message.
        self.fields["municipality"].queryset = (
            Municipality.objects.exclude(coverage__portal=portal)
            .annotate(covered_by=F("coverage__portal__name"))
            .order_by("name")
        )

    def clean_municipality(self):
        municipality = self.cleaned_data["municipality"]
        taken = Coverage.objects.select_related("portal").filter(municipality=municipality).first()
        if taken is not None:
            raise forms.ValidationError(services.coverage_taken_message(municipality, taken.portal))
        return municipality


class PortalScopeView(generic.base.WagtailAdminTemplateMixin, View):
    """The domains and covered municipalities of one portal, with forms to add and buttons to remove."""

    template_name = "portals/admin/portal_scope.html"
    header_icon = "site"
    page_title = gettext_lazy("Domeinen en dekking")

    def dispatch(self, request, pk):
        if not can_manage_portals(request.user):
            raise PermissionDenied
        self.portal = get_object_or_404(Portal.objects.websites(), pk=pk)
        return super().dispatch(request, pk)

    def get_page_subtitle(self):
        return self.portal.name

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse(f"{URL_NAMESPACE}:index"), "label": _("Portalen")},
            {"url": reverse(f"{URL_NAMESPACE}:edit", args=[self.portal.pk]), "label": self.portal.name},
            {"url": "", "label": _("Domeinen en dekking")},
        ]

    def render(self, domain_form=None, coverage_form=None, status=200):
        context = self.get_context_data(
            portal=self.portal,
            domains=list(Domain.objects.filter(tenant=self.portal).order_by("-is_primary", "domain")),
            coverage=list(
                Coverage.objects.filter(portal=self.portal)
                .select_related("municipality__province")
                .order_by("municipality__name")
            ),
            domain_form=domain_form or DomainForm(prefix="domain"),
            coverage_form=coverage_form or CoverageForm(prefix="coverage", portal=self.portal),
        )
        return TemplateResponse(self.request, self.get_template_names(), context, status=status)

    def get(self, request, pk):
        return self.render()

    def post(self, request, pk):
        action = request.POST.get("action")
        if action == "add_domain":
            return self._add_domain()
        if action == "remove_domain":
            return self._remove_domain()
        if action == "add_coverage":
            return self._add_coverage()
        if action == "remove_coverage":
            return self._remove_coverage()
        messages.error(request, _("Onbekende actie."))
        return self.render(status=400)

    def _done(self, message):
        messages.success(self.request, message)
        return redirect(scope_url(self.portal))

    def _add_domain(self):
        form = DomainForm(self.request.POST, prefix="domain")
        if form.is_valid():
            try:
                domain = services.add_domain(
                    self.portal,
                    form.cleaned_data["domain"],
                    is_primary=form.cleaned_data["is_primary"],
                    by=self.request.user,
                )
            except services.PortalChangeRefused as exc:
                form.add_error("domain", str(exc))
            else:
                return self._done(_("Domein %(domain)s is toegevoegd.") % {"domain": domain.domain})
        return self.render(domain_form=form, status=400)

    def _remove_domain(self):
        domain = get_object_or_404(Domain, pk=posted_id(self.request.POST.get("domain_id")), tenant=self.portal)
        try:
            services.remove_domain(domain, by=self.request.user)
        except services.PortalChangeRefused as exc:
            messages.error(self.request, str(exc))
            return self.render(status=400)
        return self._done(_("Domein %(domain)s is verwijderd.") % {"domain": domain.domain})

    def _add_coverage(self):
        form = CoverageForm(self.request.POST, prefix="coverage", portal=self.portal)
        if form.is_valid():
            municipality = form.cleaned_data["municipality"]
            try:
                _coverage, moved = services.add_coverage(self.portal, municipality, by=self.request.user)
            except services.PortalChangeRefused as exc:
                form.add_error("municipality", str(exc))
            else:
                return self._done(
                    _("%(portal)s dekt nu %(municipality)s.")
                    % {"portal": self.portal.name, "municipality": municipality}
                    + " "
                    + _moved_message(moved)
                )
        return self.render(coverage_form=form, status=400)

    def _remove_coverage(self):
        coverage = get_object_or_404(
            Coverage.objects.select_related("municipality"),
            pk=posted_id(self.request.POST.get("coverage_id")),
            portal=self.portal,
        )
        moved = services.remove_coverage(self.portal, coverage.municipality, by=self.request.user)
        return self._done(
            _("%(portal)s dekt %(municipality)s niet meer.")
            % {"portal": self.portal.name, "municipality": coverage.municipality}
            + " "
            + _moved_message(moved)
        )


# --- launching a new portal ---------------------------------------------------------------------------------


def _municipality_choices():
    """Every municipality, grouped by province; those a regional portal covers are marked (choosing one gets
    a clear message)."""
    covered = dict(
        Coverage.objects.exclude(portal__schema_name=NATIONAL_SCHEMA).values_list("municipality_id", "portal__name")
    )
    groups: dict[str, list] = {}
    for m in Municipality.objects.select_related("province").order_by("province__name", "name"):
        label = f"{m} ({m.cbs_code})"
        if m.pk in covered:
            label = _("%(label)s — valt onder %(portal)s") % {"label": label, "portal": covered[m.pk]}
        groups.setdefault(str(m.province), []).append((m.cbs_code, label))
    return list(groups.items())


class LaunchForm(forms.Form):
    """The national admin's form for a new portal. Every check is ``launch.launch_problems``, the same the
    service runs again inside its transaction."""

    name = forms.CharField(
        label=gettext_lazy("Naam"),
        required=False,
        help_text=gettext_lazy("Zoals bezoekers het portaal kennen, bijvoorbeeld MAEX Zeeland."),
    )
    schema_name = forms.CharField(
        label=gettext_lazy("Schemanaam"),
        required=False,
        help_text=gettext_lazy(
            "Kleine letters, cijfers en _; begint met een letter, bijvoorbeeld zeeland. Kan later niet meer "
            "worden gewijzigd."
        ),
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("Soort"), choices=[(k.value, k.label) for k in launch.LAUNCH_KINDS], required=False
    )
    hosts = forms.CharField(
        label=gettext_lazy("Domeinen"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy(
            "Eén hostnaam per regel, zonder https:// en zonder pad. De eerste is het primaire domein."
        ),
    )
    municipality_codes = forms.MultipleChoiceField(
        label=gettext_lazy("Gemeenten"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy(
            "De initiatieven van deze gemeenten verhuizen naar het nieuwe portaal; hun oude adressen verwijzen "
            "door. Een gemeente die al onder een regionaal portaal valt, kan niet worden gekozen."
        ),
    )
    first_admin_email = forms.CharField(
        label=gettext_lazy("E-mailadres eerste beheerder"),
        required=False,
        help_text=gettext_lazy("Krijgt een uitnodiging; wie nog geen account heeft, kiest via de link een wachtwoord."),
    )
    review_required = forms.BooleanField(
        label=gettext_lazy("Aanmeldingen eerst beoordelen"), required=False, initial=True
    )
    palette = forms.ChoiceField(
        label=gettext_lazy("Startkleuren"),
        choices=palettes.choices,
        initial=palettes.DEFAULT_LAUNCH_PALETTE,
        required=False,  # none chosen: the default colours
        widget=forms.RadioSelect,
        help_text=gettext_lazy(
            "Elke keuze voldoet aan WCAG AA. De redactie van het portaal past de kleuren daarna aan onder "
            "Instellingen > Huisstijl."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality_codes"].choices = _municipality_choices()

    def launch_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "name": data.get("name", "").strip(),
            "schema_name": data.get("schema_name", "").strip(),
            "kind": data.get("kind", ""),
            "hosts": launch.clean_hosts(data.get("hosts", "")),
            "municipality_codes": launch.clean_codes(data.get("municipality_codes") or []),
            "first_admin_email": data.get("first_admin_email", "").strip().lower(),
            "palette": data.get("palette", ""),
        }

    def add_problems(self, problems: dict[str, str]) -> None:
        for name, message in problems.items():
            self.add_error(name if name in self.fields else None, message)

    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            self.add_problems(launch.launch_problems(**self.launch_arguments()))
        return cleaned


class PortalLaunchView(generic.base.WagtailAdminTemplateMixin, View):
    """A new portal: the form, and after the launch (seconds, in this request) the report of its steps."""

    template_name = "portals/admin/portal_launch.html"
    header_icon = "site"
    page_title = gettext_lazy("Nieuw portaal")

    def dispatch(self, request):
        if not can_manage_portals(request.user):
            raise PermissionDenied
        return super().dispatch(request)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse(f"{URL_NAMESPACE}:index"), "label": _("Portalen")},
            {"url": "", "label": _("Nieuw portaal")},
        ]

    def render(self, form=None, report=None, status=200):
        context = self.get_context_data(form=form or LaunchForm(), report=report)
        return TemplateResponse(self.request, self.get_template_names(), context, status=status)

    def get(self, request):
        return self.render()

    def post(self, request):
        form = LaunchForm(request.POST)
        if form.is_valid():
            try:
                report = launch.launch_portal(
                    **form.launch_arguments(), review_required=form.cleaned_data["review_required"], by=request.user
                )
            except launch.LaunchRefused as exc:
                form.add_problems(exc.problems)
            else:
                messages.success(
                    request,
                    _("Portaal %(portal)s staat live (%(seconds).1f s).")
                    % {"portal": report.portal.name, "seconds": report.seconds},
                )
                return self.render(report=report)
        return self.render(form=form, status=400)


def _moved_message(moved: int) -> str:
    return ngettext(
        "%(count)d initiatief is meeverhuisd; het oude adres verwijst door.",
        "%(count)d initiatieven zijn meeverhuisd; de oude adressen verwijzen door.",
        moved,
    ) % {"count": moved}
