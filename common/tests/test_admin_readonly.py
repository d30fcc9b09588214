"""No admin page writes a domain row around its service: every model of the project's apps is
read-only in the admin, except the two whose admin saves call the services."""

import pytest
from django.contrib import admin
from django.test import RequestFactory

from common.models import Membership, Programme
from common.tests.factories import ProgrammeFactory, UserFactory

pytestmark = pytest.mark.django_db

PROJECT_APPS = {"common", "housing", "tenancies", "fund", "reporting"}
# model -> (add, change, delete) the admin allows, because its save calls an audited service.
THROUGH_SERVICES = {
    Programme: (True, True, False),  # programme_create / programme_update
    Membership: (True, False, False),  # membership_grant; revoked by an action (membership_revoke)
}


def _project_admins():
    return sorted(
        (
            (model, model_admin)
            for model, model_admin in admin.site._registry.items()
            if model._meta.app_label in PROJECT_APPS
        ),
        key=lambda pair: pair[0]._meta.label,
    )


@pytest.mark.parametrize(
    ("model", "model_admin"), _project_admins(), ids=lambda x: getattr(x, "__name__", "")
)
def test_project_models_are_read_only_for_a_superuser(model, model_admin):
    request = RequestFactory().get("/admin/")
    request.user = UserFactory(is_staff=True, is_superuser=True)
    obj = ProgrammeFactory() if model is Programme else None

    allowed = (
        model_admin.has_add_permission(request),
        model_admin.has_change_permission(request, obj),
        model_admin.has_delete_permission(request, obj),
    )

    assert allowed == THROUGH_SERVICES.get(model, (False, False, False))
    for inline in model_admin.get_inline_instances(request, obj):
        assert not inline.has_add_permission(request, obj), inline
        assert not inline.has_change_permission(request, obj), inline
        assert not inline.has_delete_permission(request, obj), inline


def test_every_workflow_model_of_the_project_is_in_the_walk():
    labels = {model._meta.label for model, _admin in _project_admins()}
    assert {"housing.LandlordAgreement", "common.AuditEvent", "fund.Transaction"} <= labels
