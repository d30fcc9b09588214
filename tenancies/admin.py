from django.contrib import admin

from tenancies.models import (
    Assessment,
    EligibilityPolicy,
    Enrollment,
    Household,
    HouseholdDocument,
    Member,
    PactCommitment,
    SupportPact,
)

# Households are personal data: the back office reads them; services do every write.


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class MemberInline(admin.TabularInline):
    model = Member
    extra = 0
    fields = ["last_name", "first_name", "codice_fiscale", "birth_date", "relation"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Household)
class HouseholdAdmin(ReadOnlyAdmin):
    list_display = ["name", "programme", "municipality", "operator"]
    list_filter = ["programme"]
    search_fields = ["name", "members__codice_fiscale"]
    inlines = [MemberInline]


@admin.register(Enrollment)
class EnrollmentAdmin(ReadOnlyAdmin):
    list_display = ["household", "status", "referred_on", "enrolled_on", "exited_on"]
    list_filter = ["status", "household__programme"]


@admin.register(Assessment)
class AssessmentAdmin(ReadOnlyAdmin):
    list_display = ["enrollment", "assessed_at", "passed", "overridden_by"]


class CommitmentInline(admin.TabularInline):
    model = PactCommitment
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SupportPact)
class SupportPactAdmin(ReadOnlyAdmin):
    list_display = ["household", "status", "starts_on", "ends_on", "next_review_on"]
    list_filter = ["status"]
    inlines = [CommitmentInline]


@admin.register(HouseholdDocument)
class HouseholdDocumentAdmin(ReadOnlyAdmin):
    list_display = ["household", "kind", "title", "valid_until", "uploaded_at"]
    exclude = ["file"]


@admin.register(EligibilityPolicy)
class EligibilityPolicyAdmin(ReadOnlyAdmin):
    list_display = ["programme", "isee_ceiling", "require_vulnerability"]
