"""Moderation per portal: an author's page waits for the portal's editors, never for another portal's."""

from django_tenants.utils import schema_context
from wagtail.models import Page

from cms.models import ContentPage, HomePage
from tests.support import make_user, with_role


def _submit(portal, author, title):
    with schema_context(portal.schema_name):
        home = HomePage.objects.get()
        page = home.add_child(instance=ContentPage(title=title, slug="concept", live=False))
        page.save_revision(user=author)
        workflow = page.get_workflow()
        workflow.start(page, author)
        return Page.objects.get(pk=page.pk).specific, workflow


def test_an_authors_page_waits_for_this_portals_editors(zeeland, rotterdam, client_for):
    # Given an author and an editor in Zeeland, and an editor in Rotterdam
    author = with_role(make_user(), zeeland, "author")
    editor = with_role(make_user(), zeeland, "editor")
    other = with_role(make_user(), rotterdam, "editor")

    # When the author submits a new page for approval
    page, workflow = _submit(zeeland, author, "Verslag van de buurtdag")

    # Then it waits, unpublished, in the portal's workflow, for Zeeland's editors (not for the author)
    with schema_context("zeeland"):
        assert workflow.name == "Redactie keurt goed" and page.workflow_in_progress
        task = page.current_workflow_task
        assert "approve" in [action[0] for action in task.get_actions(page, editor)]
        assert task.get_actions(page, author) == []
        assert not page.live
    # and Rotterdam's editor cannot even open Zeeland's admin
    refused = client_for(zeeland, other).get(f"/beheer/pages/{page.pk}/edit/")
    assert refused.status_code == 302 and refused["Location"] == f"/beheer/login/?next=/beheer/pages/{page.pk}/edit/"
    # The editor sees it in the admin and approves it; then it is live
    assert client_for(zeeland, editor).get(f"/beheer/pages/{page.pk}/edit/").status_code == 200
    with schema_context("zeeland"):
        task.on_action(page.current_workflow_task_state, editor, "approve")
        assert Page.objects.get(pk=page.pk).live


def test_a_workflow_the_portal_admin_chose_survives_the_role_sync(zeeland):
    from wagtail.models import Workflow, WorkflowPage

    from roles.services import sync_all_portals

    with schema_context("zeeland"):
        own = Workflow.objects.create(name="Twee paar ogen")
        root = Page.get_first_root_node()
        WorkflowPage.objects.update_or_create(page=root, defaults={"workflow": own})
    sync_all_portals()
    with schema_context("zeeland"):
        assert WorkflowPage.objects.get(page=Page.get_first_root_node()).workflow.name == "Twee paar ogen"
