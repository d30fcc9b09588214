"""The back office: programmes and staff change only through the services, which audit them."""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from common.exceptions import DomainError
from common.models import AuditEvent, Membership, Programme, Task
from common.services import (
    PROGRAMME_FIELDS,
    membership_grant,
    membership_revoke,
    programme_create,
    programme_update,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Shows rows, never writes them: their changes go through the app's pages and services."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class MembershipInline(ReadOnlyInline):
    model = Membership
    fields = ["user", "role", "created_at"]
    readonly_fields = fields


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    """Programmes are created and changed through their services, so each change is audited."""

    list_display = ["name", "slug", "lead_organisation", "retention_years", "is_active"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]

    def has_delete_permission(self, request, obj=None):
        return False  # a programme's records and audit trail outlive it

    def save_model(self, request, obj, form, change):
        fields = {name: form.cleaned_data[name] for name in PROGRAMME_FIELDS & set(form.fields)}
        if change:
            saved = programme_update(actor=request.user, programme=obj, **fields)
        else:
            saved = programme_create(actor=request.user, **fields)
        obj.pk = saved.pk  # the admin's own messages and redirects read the saved row's key


class MembershipGrantForm(forms.ModelForm):
    """Give a user a role in a programme; a user who already has a role there changes role."""

    class Meta:
        model = Membership
        fields = ["user", "programme", "role"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "user" in self.fields:
            self.fields["user"].queryset = get_user_model().objects.filter(is_active=True)

    def _get_validation_exclusions(self):
        # A second role in the same programme replaces the first (membership_grant decides),
        # so the one-role-per-programme constraint must not turn it into a form error.
        return super()._get_validation_exclusions() | {"programme"}


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=500
    )


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    """Roles are granted with the add form and revoked with the action, both through the
    audited services; a membership is never edited or deleted directly."""

    form = MembershipGrantForm
    list_display = ["user", "programme", "role", "created_at"]
    list_filter = ["programme", "role"]
    search_fields = ["user__username", "user__last_name"]
    autocomplete_fields = ["user"]
    actions = ["revoke"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        membership = membership_grant(
            actor=request.user, user=obj.user, programme=obj.programme, role=obj.role
        )
        obj.pk = membership.pk

    @admin.action(description=gettext_lazy("Revoke the selected roles"))
    def revoke(self, request, queryset):
        form = RevokeForm(request.POST if "reason" in request.POST else None)
        if form.is_valid():
            revoked = 0
            for membership in queryset.order_by("pk"):
                try:
                    membership_revoke(
                        actor=request.user,
                        membership=membership,
                        reason=form.cleaned_data["reason"],
                    )
                except DomainError as error:
                    self.message_user(request, error.message, messages.ERROR)
                    return None
                revoked += 1
            message = ngettext("%(count)s role revoked.", "%(count)s roles revoked.", revoked)
            self.message_user(request, message % {"count": revoked}, messages.SUCCESS)
            return None
        return TemplateResponse(
            request,
            "admin/common/membership_revoke.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Revoke roles"),
                "opts": self.model._meta,
                "form": form,
                "memberships": queryset.select_related("user", "programme"),
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    """The audit trail is append-only: readable here, never edited or deleted."""

    list_display = [
        "created_at",
        "programme",
        "actor",
        "verb",
        "target_repr",
        "from_state",
        "to_state",
    ]
    list_filter = ["programme", "verb", "target_type"]
    search_fields = ["target_repr", "note", "actor__username"]
    date_hierarchy = "created_at"


@admin.register(Task)
class TaskAdmin(ReadOnlyAdmin):
    """Tasks follow their duties (common.duties): the back office reads them, never edits."""

    list_display = ["due_on", "programme", "kind", "status", "owner", "closed_at"]
    list_filter = ["programme", "kind", "status"]
    list_select_related = ["programme", "owner"]
    date_hierarchy = "due_on"
