from allauth.core.ratelimit import consume_or_429
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import prefetch_related_objects
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods
from django_tenants.utils import schema_context

from national_index import selectors as index
from national_index import version as index_version
from valuation.selectors import current_price_list

from . import permissions, selectors, services
from .forms import (
    ActivityFormSet,
    InitiativeForm,
    InviteForm,
    ListFilterForm,
    NeedsForm,
    OfferFormSet,
    PartnerFormSet,
    activity_choices,
)
from .models import MovedAway, initiative_url


def _profile_forms(data=None, initiative=None):
    choices = activity_choices(current_price_list())
    if initiative is None:
        return (
            InitiativeForm(data),
            NeedsForm(data),
            PartnerFormSet(data, prefix="partners"),
            OfferFormSet(data, prefix="offers"),
            ActivityFormSet(data, prefix="activities", form_kwargs={"choices": choices}),
        )
    return (
        InitiativeForm(data, instance=initiative),
        NeedsForm(data, initial=NeedsForm.initial_for(initiative)),
        PartnerFormSet(
            data, prefix="partners", initial=[{"name": p.name, "kind": p.kind} for p in initiative.partners.all()]
        ),
        OfferFormSet(
            data,
            prefix="offers",
            initial=[{"name": o.name, "description": o.description} for o in initiative.offers.all()],
        ),
        ActivityFormSet(
            data,
            prefix="activities",
            form_kwargs={"choices": choices},
            initial=[
                {"item_code": a.item_code, "quantity": a.quantity, "description": a.description}
                for a in initiative.activities.all()
            ],
        ),
    )


def _profile_from(form, needs, partners, offers, activities) -> services.Profile:
    return services.Profile(
        fields=dict(form.cleaned_data),
        needs=needs.needs(),
        partners=[
            {"name": f.cleaned_data["name"], "kind": f.cleaned_data["kind"]}
            for f in partners
            if f.cleaned_data.get("name")
        ],
        offers=[
            {"name": f.cleaned_data["name"], "description": f.cleaned_data.get("description", "")}
            for f in offers
            if f.cleaned_data.get("name")
        ],
        activities=[
            {
                "item_code": f.cleaned_data["item_code"],
                "quantity": f.cleaned_data["quantity"],
                "description": f.cleaned_data.get("description", ""),
            }
            for f in activities
            if f.cleaned_data.get("item_code")
        ],
    )


def _duplicate_error(form, exc):
    form.add_error(
        exc.field,
        format_html('{} <a href="{}">{}</a>', str(exc), exc.url, _("Bekijk het bestaande initiatief.")),
    )


def _implausible_errors(forms, exc):
    """Each problem next to the activity it is about (the quantity field); the total's at the top of the form."""
    form, activities = forms[0], forms[4]
    by_code = {f.cleaned_data.get("item_code"): f for f in activities if f.cleaned_data.get("item_code")}
    for problem in exc.problems:
        line = by_code.get(problem.code)
        if line is not None:
            line.add_error("quantity", problem.message)
        else:
            form.add_error(None, problem.message)


def _render_profile(request, template, forms, **extra):
    form, needs, partners, offers, activities = forms
    has_errors = any(
        [
            form.errors,
            needs.errors,
            partners.total_error_count(),
            offers.total_error_count(),
            activities.total_error_count(),
        ]
    )
    context = {"form": form, "needs_form": needs, "partners": partners, "offers": offers, "activities": activities}
    return render(
        request,
        template,
        {**context, "has_errors": has_errors, **extra},
        status=400 if request.method == "POST" and has_errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def register(request):
    if request.method == "POST" and (limited := consume_or_429(request, action="register_initiative")):
        return limited
    forms = _profile_forms(request.POST if request.method == "POST" else None)
    if request.method == "POST" and all(f.is_valid() for f in forms):
        try:
            initiative, _portal = services.register_initiative(
                owner=request.user, profile=_profile_from(*forms), language=request.LANGUAGE_CODE
            )
        except services.DuplicateInitiative as exc:
            _duplicate_error(forms[0], exc)
        except services.ImplausibleDeclaration as exc:
            _implausible_errors(forms, exc)
        else:
            return redirect("initiatives:registered", uuid=initiative.uuid)
    return _render_profile(request, "initiatives/register.html", forms)


@login_required
def registered(request, uuid):
    """After registering: the initiative and its review state, read from its home portal's schema, on the portal
    the person is on (the home portal may be another one, where an initiative awaiting review is not public)."""
    locator = index.locate(uuid)
    if locator is None:
        raise Http404
    home = locator.portal
    with schema_context(home.schema_name):
        initiative = selectors.owned_by(request.user).filter(uuid=uuid).first()
        if initiative is None:  # not theirs: nothing to show
            raise Http404
        missing = selectors.missing_for_profile(initiative)
    same_portal = home.pk == request.tenant.pk
    # On another portal: this page on the home portal, where the person is signed in on arrival (one sign-in,
    # docs/decisions/0022-one-sign-in-across-portals.md) and from where the profile, public or not, is theirs to see.
    home_url = None if same_portal else home.absolute_url(reverse("initiatives:registered", kwargs={"uuid": uuid}))
    return render(
        request,
        "initiatives/registered.html",
        {
            "home": home,
            "initiative": initiative,
            "missing": missing,
            "same_portal": same_portal,
            "detail_url": initiative_url(home, locator.slug),
            "show_detail_link": same_portal or initiative.is_published,
            "home_url": home_url,
            "review_required": home.review_required,
        },
    )


def initiative_list(request, index_page=None):
    """The portal's initiatives (the national portal: all of them), served by ``cms.InitiativeIndexPage``."""
    portal = request.tenant
    municipalities = selectors.municipalities_of(portal)
    form = ListFilterForm(request.GET or None, municipalities=municipalities)
    cleaned = form.cleaned_data if form.is_valid() else {}
    flt = index.EntryFilter(
        q=cleaned.get("q", ""),
        municipality=cleaned.get("municipality", ""),
        sdg=cleaned.get("sdg"),
        domain=cleaned.get("domain", ""),
        need=cleaned.get("need", ""),
        portal=index.area_of(portal.schema_name),
    )
    totals = index.cached_totals(flt)
    paginator = Paginator(index.entries(flt), 24)
    # The totals count the same filtered rows: no second scan of the index for the paginator's COUNT(*)
    paginator.count = totals["initiatives"]
    page = paginator.get_page(request.GET.get("pagina"))
    query = request.GET.copy()
    query.pop("pagina", None)
    return render(
        request,
        "initiatives/list.html",
        {"form": form, "page": page, "query": query.urlencode(), "totals": totals, "index_page": index_page},
    )


def _here_or_moved(request, slug, suffix: str = ""):
    """``(initiative, None)`` when it lives on this portal, ``(None, 301 response)`` when it moved to another
    portal (its old URLs, ``suffix`` included, lead there), else Http404."""
    initiative = selectors.detail(slug, prefetch=False)
    if initiative is not None:
        return initiative, None
    moved = MovedAway.objects.filter(slug=slug).first()
    locator = index.locate(moved.uuid) if moved else None
    if locator is None or locator.portal_id == request.tenant.pk:
        raise Http404
    return None, redirect(initiative_url(locator.portal, locator.slug, suffix), permanent=True)


ARTICLE_CACHE_SECONDS = 60 * 60  # bounds the memory only: every change makes a cached article unreachable


def article_cache_key(initiative, **flags: bool) -> str:
    """Where the article of a published initiative's page is cached: per schema (a portal never reads another
    portal's article, even for the same slug), language, initiative and its last change, the national index
    version (bumped by every projection, a price list's publication included: docs/decisions/0023-fast-pages.md)
    and what the viewer may see (``flags``)."""
    seen = "".join(f"{name}={int(value)};" for name, value in sorted(flags.items()))
    return (
        f"initiative-article:{connection.schema_name}:{translation.get_language()}:{initiative.pk}:"
        f"{initiative.updated_at.isoformat()}:{index_version.current()}:{seen}"
    )


def initiative_detail(request, slug, index_page=None):
    """One initiative's page, served by ``cms.InitiativeIndexPage``. The article (everything below the
    breadcrumbs) of a published initiative comes from the cache while nothing it shows has changed."""
    initiative, moved = _here_or_moved(request, slug)
    if moved:
        return moved
    if not permissions.can_view(request.user, initiative):
        raise Http404
    can_edit = permissions.can_edit(request.user, initiative)
    can_review = permissions.can_review(request.user)
    show_amounts = request.tenant.show_amounts or can_edit or can_review
    key = article_cache_key(initiative, can_edit=can_edit, can_review=can_review, show_amounts=show_amounts)
    article = cache.get(key) if initiative.is_published else None  # a draft's page is seen by its owners only
    if article is None:
        prefetch_related_objects([initiative], "partners", "needs", "offers", "activities", "news")
        article = render_to_string(
            "initiatives/_detail_article.html",
            {
                "initiative": initiative,
                "can_edit": can_edit,
                "can_review": can_review,
                "valuation": selectors.valuation_view(initiative, show_amounts=show_amounts),
                "impuls": _impuls_received(initiative, can_edit=can_edit),
            },
            request=request,
        ).strip()
        if initiative.is_published:
            cache.set(key, article, ARTICLE_CACHE_SECONDS)
    return render(
        request,
        "initiatives/detail.html",
        {"initiative": initiative, "article": mark_safe(article), "index_page": index_page},  # noqa: S308
    )


def _impuls_received(initiative, *, can_edit: bool) -> list[dict]:
    """The MAEX Impuls the initiative received on any portal, from the national projection
    (docs/decisions/0028-impuls-accountability-projection-reminders.md); its owners also get the link to account
    for one, on the portal that gave it."""
    today = timezone.localdate()
    rows = []
    for award in index.awards_of_initiative(initiative.uuid):
        state = award.accountability_state(today)
        account_url = ""
        if can_edit and state in ("open", "overdue"):
            account_url = award.portal.absolute_url(reverse("impuls_accountability:form", args=[award.application_id]))
        rows.append({"award": award, "state": state, "account_url": account_url})
    return rows


@login_required
@require_http_methods(["GET", "POST"])
def initiative_edit(request, slug):
    initiative, moved = _here_or_moved(request, slug, "bewerken/")
    if moved:
        return moved
    if not permissions.can_edit(request.user, initiative):
        raise PermissionDenied
    forms = _profile_forms(request.POST if request.method == "POST" else None, initiative)
    if request.method == "POST" and all(f.is_valid() for f in forms):
        try:
            change = services.change_profile(
                initiative=initiative, portal=request.tenant, profile=_profile_from(*forms), by=request.user
            )
        except services.DuplicateInitiative as exc:
            _duplicate_error(forms[0], exc)
        except services.WrongPortal as exc:
            forms[0].add_error("municipality", str(exc))
        except services.ImplausibleDeclaration as exc:
            _implausible_errors(forms, exc)
        else:
            if change.is_pending:
                messages.info(request, HELD_MESSAGE)
            else:
                messages.success(request, _("Het profiel is opgeslagen."))
            return redirect(initiative.get_absolute_url())
    return _render_profile(
        request,
        "initiatives/edit.html",
        forms,
        initiative=initiative,
        pending_change=selectors.pending_change_of(initiative),
    )


HELD_MESSAGE = gettext_lazy(
    "Uw wijziging is bewaard en wacht op beoordeling door de redactie. Tot dan blijven de gepubliceerde gegevens "
    "zichtbaar. U krijgt een e-mail zodra de wijziging is beoordeeld."
)


@login_required
@require_http_methods(["GET", "POST"])
def invite(request, slug):
    initiative, moved = _here_or_moved(request, slug, "mede-eigenaar/")
    if moved:
        return moved
    if not permissions.can_invite(request.user, initiative):
        raise PermissionDenied
    if request.method == "POST" and (limited := consume_or_429(request, action="invite_co_owner")):
        return limited
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.invite_co_owner(
            initiative=initiative, portal=request.tenant, email=form.cleaned_data["email"], invited_by=request.user
        )
        messages.success(request, _("De uitnodiging is verstuurd."))
        return redirect(initiative.get_absolute_url())
    return render(request, "initiatives/invite.html", {"form": form, "initiative": initiative})


@login_required
@require_http_methods(["GET", "POST"])
def accept(request, token):
    if request.method == "POST":
        try:
            initiative = services.accept_invitation(token=token, user=request.user, language=request.LANGUAGE_CODE)
        except services.InvitationInvalid as exc:
            return render(request, "initiatives/accept.html", {"error": str(exc)}, status=400)
        messages.success(request, _("U bent nu mede-eigenaar van %(name)s.") % {"name": initiative.name})
        return redirect(initiative.get_absolute_url())
    return render(request, "initiatives/accept.html", {"token": token})
