"""Writes about households, their members and the programme's eligibility policy."""

from datetime import date

from django.db import IntegrityError, transaction
from django.utils.timezone import localdate
from django.utils.translation import gettext as _

from common.audit import audit_record
from common.duties import tasks_of_context_reassign, tasks_reassign_owner
from common.exceptions import DomainError
from common.models import Programme
from common.roles import Role
from tenancies.models import (
    ArrearsCase,
    EligibilityPolicy,
    Enrollment,
    EvictionCase,
    Household,
    Member,
)

HOUSEHOLD_FIELDS = (
    "phone",
    "email",
    "address",
    "municipality",
    "isee",
    "isee_expires_on",
    "income_sources",
    "vulnerability_factors",
    "arrears_not_at_fault",
    "citizenship",
    "languages",
    "needs_mediation",
    "referral_source",
    "referral_note",
    "operator",
    "consent_given_on",
    "consent_version",
)
MEMBER_FIELDS = (
    "first_name",
    "last_name",
    "codice_fiscale",
    "birth_date",
    "relation",
    "has_disability",
    "employment",
)


def _check_operator(*, programme: Programme, operator) -> None:
    if operator is None:
        return
    if not operator.memberships.filter(programme=programme, role=Role.OPERATOR).exists():
        raise DomainError(
            _("%(user)s is not an operator of this programme.")
            % {"user": operator.get_full_name() or operator.get_username()},
            field="operator",
        )


def _changes(obj, fields: dict) -> dict:
    changed = {}
    for name, value in fields.items():
        old = getattr(obj, name)
        if old != value:
            changed[name] = value
            setattr(obj, name, value)
    return changed


def _codice_fiscale_taken(*, actor, code: str, member_pk=None) -> DomainError:
    """The refusal for a codice fiscale another member already has: the other household is
    named only to a user who may see it (another programme's households stay private)."""
    from tenancies.selectors.households import HOUSEHOLD_ROLES

    other = (
        Member.objects.filter(codice_fiscale__iexact=code)
        .exclude(pk=member_pk)
        .select_related("household")
        .first()
    )
    if other is not None and (
        Household.objects.visible_to(actor, HOUSEHOLD_ROLES).filter(pk=other.household_id).exists()
    ):
        message = _(
            "The codice fiscale %(code)s is already recorded for %(member)s, a member of the "
            "household “%(household)s”: the same person cannot be in two households."
        ) % {"code": code, "member": other, "household": other.household}
    else:
        message = _(
            "The codice fiscale %(code)s is already recorded for a member of another household, "
            "which you may not see: the same person cannot be in two households. Ask the "
            "programme's coordinator."
        ) % {"code": code}
    return DomainError(message, field="codice_fiscale")


def _member_save(*, actor, member: Member, update_fields=None) -> None:
    """Save a cleaned member whose codice fiscale no other member has: checked first for a
    clear message, and by the database (member_codice_fiscale_unique) against a race."""
    code = member.codice_fiscale
    if code and Member.objects.filter(codice_fiscale__iexact=code).exclude(pk=member.pk).exists():
        raise _codice_fiscale_taken(actor=actor, code=code, member_pk=member.pk)
    try:
        with transaction.atomic():
            member.save(update_fields=update_fields)
    except IntegrityError as error:
        if code and Member.objects.filter(codice_fiscale=code).exclude(pk=member.pk).exists():
            raise _codice_fiscale_taken(actor=actor, code=code, member_pk=member.pk) from error
        raise


def policy_for_programme(*, programme: Programme) -> EligibilityPolicy:
    """The programme's eligibility policy, created with the defaults the first time it is read."""
    policy, _created = EligibilityPolicy.objects.select_related("programme").get_or_create(
        programme=programme
    )
    return policy


def policy_update(*, actor, policy: EligibilityPolicy, **fields) -> EligibilityPolicy:
    """Change the programme's eligibility rules and priority weights (audited with old values)."""
    with transaction.atomic():
        policy = EligibilityPolicy.objects.select_for_update().get(pk=policy.pk)
        before = {name: str(getattr(policy, name)) for name in fields}
        changed = _changes(policy, fields)
        if not changed:
            return policy
        policy.full_clean()
        policy.save(update_fields=list(changed))
        audit_record(
            actor=actor,
            programme=policy.programme,
            target=policy,
            verb="policy_updated",
            data={name: [before[name], str(value)] for name, value in changed.items()},
        )
        return policy


def household_refer(
    *, actor, programme: Programme, reference: dict, referred_on: date | None = None, **fields
) -> Household:
    """Record a referred household with its reference person and open its enrolment."""
    unknown = set(fields) - set(HOUSEHOLD_FIELDS)
    if unknown:
        raise TypeError(f"Unknown household fields: {sorted(unknown)}")
    _check_operator(programme=programme, operator=fields.get("operator"))
    with transaction.atomic():
        household = Household(
            programme=programme,
            name=f"{reference['last_name']} {reference['first_name']}",
            **fields,
        )
        household.full_clean()
        household.save()
        member = Member(household=household, relation=Member.Relation.REFERENCE, **reference)
        member.full_clean(validate_constraints=False)
        _member_save(actor=actor, member=member)
        enrollment = Enrollment(household=household, referred_on=referred_on or localdate())
        enrollment.full_clean(exclude=["status"])
        enrollment.save()
        audit_record(
            actor=actor,
            programme=programme,
            target=household,
            verb="referred",
            to_state=enrollment.status,
            context=household,
            note=fields.get("referral_note", ""),
        )
        return household


def household_update(*, actor, household: Household, **fields) -> Household:
    """Change a household's details; the audit event lists the fields that changed."""
    unknown = set(fields) - set(HOUSEHOLD_FIELDS)
    if unknown:
        raise TypeError(f"Unknown household fields: {sorted(unknown)}")
    with transaction.atomic():
        household = Household.objects.select_for_update().get(pk=household.pk)
        if "operator" in fields:
            _check_operator(programme=household.programme, operator=fields["operator"])
        changed = _changes(household, fields)
        if not changed:
            return household
        before_operator = (
            Household.objects.values_list("operator", flat=True).get(pk=household.pk)
            if "operator" in changed
            else None
        )
        household.full_clean()
        household.save(update_fields=list(changed))
        if "operator" in changed:
            # The family's open tasks that were the old operator's go to the new one.
            tasks_of_context_reassign(
                context=household, from_user_id=before_operator, to_user=household.operator
            )
        audit_record(
            actor=actor,
            programme=household.programme,
            target=household,
            verb="household_updated",
            context=household,
            data={"fields": sorted(changed)},
        )
        return household


def _sync_name(household: Household, member: Member) -> None:
    if member.relation == Member.Relation.REFERENCE:
        name = f"{member.last_name} {member.first_name}"
        if household.name != name:
            household.name = name
            household.save(update_fields=["name"])


def member_add(*, actor, household: Household, **fields) -> Member:
    """Add a person to a household (a second reference person is refused)."""
    with transaction.atomic():
        household = Household.objects.select_for_update().get(pk=household.pk)
        if (
            fields.get("relation") == Member.Relation.REFERENCE
            and household.members.filter(relation=Member.Relation.REFERENCE).exists()
        ):
            raise DomainError(_("The household already has a reference person."), field="relation")
        member = Member(household=household, **fields)
        member.full_clean(validate_constraints=False)
        _member_save(actor=actor, member=member)
        _sync_name(household, member)
        audit_record(
            actor=actor,
            programme=household.programme,
            target=member,
            verb="member_added",
            context=household,
        )
        return member


def member_update(*, actor, member: Member, **fields) -> Member:
    """Change a member's details; the reference person stays unique."""
    with transaction.atomic():
        household = Household.objects.select_for_update().get(pk=member.household_id)
        member = Member.objects.select_for_update().get(pk=member.pk)
        if (
            fields.get("relation") == Member.Relation.REFERENCE
            and household.members.filter(relation=Member.Relation.REFERENCE)
            .exclude(pk=member.pk)
            .exists()
        ):
            raise DomainError(_("The household already has a reference person."), field="relation")
        changed = _changes(member, fields)
        if not changed:
            return member
        member.full_clean(validate_constraints=False)
        _member_save(actor=actor, member=member, update_fields=list(changed))
        _sync_name(household, member)
        audit_record(
            actor=actor,
            programme=household.programme,
            target=member,
            verb="member_updated",
            context=household,
            data={"fields": sorted(changed)},
        )
        return member


def caseload_reassign(*, actor, programme: Programme, from_user, to_user) -> dict:
    """Hand one operator's caseload to another (holidays, a leave): their households, the open
    arrears and eviction cases they follow, and every open task of theirs in the programme, in
    one step with one audit event. Returns how many of each moved."""
    if (
        actor is None
        or not actor.memberships.filter(programme=programme, role=Role.OPERATOR).exists()
    ):
        raise DomainError(_("Only the programme's operators hand over a caseload."))
    if from_user is None or to_user is None:
        raise DomainError(_("Choose both operators."), field="to_user")
    if from_user.pk == to_user.pk:
        raise DomainError(_("Choose another operator to hand the caseload to."), field="to_user")
    _check_operator(programme=programme, operator=to_user)
    with transaction.atomic():
        # The programme row serialises two handovers of the same caseload.
        Programme.objects.select_for_update().get(pk=programme.pk)
        moved = {
            "households": Household.objects.filter(programme=programme, operator=from_user).update(
                operator=to_user
            ),
            "arrears_cases": ArrearsCase.objects.open()
            .filter(programme=programme, owner=from_user)
            .update(owner=to_user),
            "eviction_cases": EvictionCase.objects.open()
            .filter(programme=programme, owner=from_user)
            .update(owner=to_user),
            "tasks": tasks_reassign_owner(
                programme=programme, from_user=from_user, to_user=to_user
            ),
        }
        audit_record(
            actor=actor,
            programme=programme,
            target=programme,
            verb="caseload_reassigned",
            data={
                "from": from_user.get_username(),
                "to": to_user.get_username(),
                **moved,
            },
        )
        return moved
