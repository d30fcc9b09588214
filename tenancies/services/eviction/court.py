"""The court procedure after the summons: hearing and its adjournments, grace period, cure,
validation, opposition and judgment, precetto (its opposition and renewal), the bailiff's
accesses, the eviction carried out.

Each service checks the law's rule under lock and refuses naming its article; the transition's
condition (tenancies.models.eviction.case) checks the same rule, so the page never offers it.
The rules themselves are pure functions in tenancies.legal_clock and tenancies.legal_procedure.
"""

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from common.audit import audit_record
from common.exceptions import DomainError
from common.money import eur, money_format
from tenancies import legal_clock, legal_procedure
from tenancies.models import EvictionCase, GraceUse, Lease
from tenancies.selectors.eviction import eviction_cure_balance, eviction_grace_allowance
from tenancies.services.eviction.cases import (
    _d,
    _locked_case,
    _open,
    _past,
    _run,
    eviction_tasks_refresh,
)
from tenancies.services.eviction.policy import eviction_rules_for


def eviction_hearing_hold(*, actor, case: EvictionCase, on: date, note: str = "") -> EvictionCase:
    """Record that the validation hearing took place; its outcome comes next."""
    _past(on, "on")
    if case.hearing_on is not None and on < case.hearing_on:
        raise DomainError(
            _("The hearing was set for %(day)s: it cannot have been held earlier.")
            % {"day": _d(case.hearing_on)},
            field="on",
        )
    return _run(
        actor=actor,
        case=case,
        transition="hold_hearing",
        note=note,
        on=on,
        update_fields=("hearing_held_on",),
    )


def _hearing_day(case: EvictionCase) -> date | None:
    """The day of the hearing the case is at: the first one, or the new one after a grace."""
    if case.status == EvictionCase.Status.GRACE_PERIOD:
        return case.new_hearing_on
    return case.hearing_on


def _not_before_hearing(case: EvictionCase, on: date, field: str = "on") -> None:
    day = _hearing_day(case)
    if day is not None and on < day:
        raise DomainError(
            _("The hearing is set for %(day)s: nothing can be decided there before that day.")
            % {"day": _d(day)},
            field=field,
        )


def eviction_hearing_adjourn(
    *, actor, case: EvictionCase, on: date, adjourned_to: date, note: str = ""
) -> EvictionCase:
    """The judge adjourned the hearing (rinvio) held on `on` to `adjourned_to`: the outcome
    waits for the new day (the first hearing, or the new hearing after a grace period)."""
    _past(on, "on")
    with transaction.atomic():
        case = _locked_case(case)
        _not_before_hearing(case, on)
        if adjourned_to <= on:
            raise DomainError(
                _("The new hearing must come after the hearing that adjourned it."),
                field="adjourned_to",
            )
        before = _hearing_day(case)
        return _run(
            actor=actor,
            case=case,
            transition="adjourn",
            note=note,
            to=adjourned_to,
            update_fields=("hearing_on", "new_hearing_on", "hearing_adjournments"),
            data={
                "from": before.isoformat() if before else None,
                "to": adjourned_to.isoformat(),
            },
        )


def _exhausted(allowance, rules) -> DomainError:
    return DomainError(
        _(
            "The household's right to a grace period is exhausted: %(used)s granted "
            "since %(since)s, the law allows %(max)s in %(years)s years (L. 392/1978 art. 55)."
        )
        % {
            "used": allowance.uses_in_window,
            "since": _d(allowance.window_start),
            "max": allowance.max_uses,
            "years": rules.grace_window_years,
        }
    )


def _judge_amount(value, field: str):
    """An amount the judge set (interest, costs): None when not given, never negative."""
    if value is None or value == "":
        return None
    amount = eur(value)
    if amount.amount < 0:
        raise DomainError(_("Amounts cannot be negative."), field=field)
    return amount


def eviction_grace_grant(
    *,
    actor,
    case: EvictionCase,
    granted_on: date,
    days: int,
    new_hearing_on: date,
    interest=None,
    costs=None,
    note: str = "",
) -> EvictionCase:
    """L. 392/1978 art. 55: record the termine di grazia, the new hearing and the interest and
    costs the judge set; refused when the household has used up its grace periods or the
    dates break the rule. The grace counts as a use of the sanatoria."""
    _past(granted_on, "granted_on")
    interest, costs = _judge_amount(interest, "interest"), _judge_amount(costs, "costs")
    with transaction.atomic():
        case = _locked_case(case)
        if case.status != EvictionCase.Status.HEARING:
            raise DomainError(
                _("A grace period is granted at the validation hearing: record the hearing first.")
            )
        _not_before_hearing(case, granted_on, "granted_on")
        rules = eviction_rules_for(programme_id=case.programme_id)
        allowance, exceptional = eviction_grace_allowance(case=case, on=granted_on)
        problems = legal_clock.grace_problems(
            granted_on=granted_on,
            days=days,
            new_hearing_on=new_hearing_on,
            allowance=allowance,
            rules=rules,
        )
        if "exhausted" in problems:
            raise _exhausted(allowance, rules)
        if "too_long" in problems:
            raise DomainError(
                _("The grace period lasts from 1 to %(max)s days.") % {"max": allowance.max_days},
                field="days",
            )
        ends_on = legal_clock.grace_ends_on(granted_on, days)
        if problems:
            raise DomainError(
                _("The new hearing falls after the grace period ends (%(end)s), by %(latest)s.")
                % {
                    "end": _d(ends_on),
                    "latest": _d(legal_clock.grace_new_hearing_latest(ends_on, rules)),
                },
                field="new_hearing_on",
            )
        case.cure_interest, case.cure_costs = interest, costs
        case.save(update_fields=["cure_interest", "cure_costs"])
        case = _run(
            actor=actor,
            case=case,
            transition="grant_grace",
            note=note,
            granted_on=granted_on,
            days=days,
            ends_on=ends_on,
            new_hearing_on=new_hearing_on,
            exceptional=exceptional,
            update_fields=(
                "grace_granted_on",
                "grace_days",
                "grace_ends_on",
                "new_hearing_on",
                "grace_exceptional",
            ),
        )
        GraceUse.objects.create(
            household_id=case.lease.household_id,
            case=case,
            kind=GraceUse.Kind.GRACE,
            granted_on=granted_on,
            days=days,
        )
        return case


def eviction_past_grace_record(
    *, actor, case: EvictionCase, granted_on: date, days: int | None = None, note: str = ""
) -> GraceUse:
    """Record a grace period the household had before (another lease, another court)."""
    _past(granted_on, "granted_on")
    with transaction.atomic():
        case = _locked_case(case)
        _open(case)
        use = GraceUse(
            household_id=case.lease.household_id, granted_on=granted_on, days=days, note=note
        )
        use.full_clean()
        use.save()
        audit_record(
            actor=actor,
            programme=case.programme,
            target=case,
            verb="past_grace_recorded",
            note=note,
            context=case.lease.household,
            data={"granted_on": granted_on.isoformat()},
        )
        return use


def _not_cured(balance, day: date) -> DomainError:
    return DomainError(
        _(
            "The arrears are not cured: on %(day)s the ledger still shows %(owed)s owed "
            "(rent due %(rent)s, legal interest %(interest)s, costs %(costs)s, paid %(paid)s). "
            "Only payment in full cures (L. 392/1978 art. 55; Corte cost. 205/2021)."
        )
        % {
            "day": _d(day),
            "owed": money_format(balance.owed),
            "rent": money_format(balance.rent_due),
            "interest": money_format(balance.interest),
            "costs": money_format(balance.costs),
            "paid": money_format(balance.paid),
        }
    )


def eviction_cure(
    *,
    actor,
    case: EvictionCase,
    on: date,
    interest=None,
    costs=None,
    note: str = "",
) -> EvictionCase:
    """Sanatoria (L. 392/1978 art. 55): the case closes as cured only when the rent ledger shows
    the rent due, the legal interest and the costs the judge set paid in full (the amounts
    given here, else those recorded with the grace). Paid at the first hearing, it counts as a
    use of the sanatoria, and needs one left."""
    _past(on, "on")
    interest, costs = _judge_amount(interest, "interest"), _judge_amount(costs, "costs")
    with transaction.atomic():
        case = _locked_case(case)
        at_first_hearing = case.status == EvictionCase.Status.HEARING
        if at_first_hearing:
            _not_before_hearing(case, on)
            allowance, _wider = eviction_grace_allowance(case=case, on=on)
            if not allowance.allowed:
                rules = eviction_rules_for(programme_id=case.programme_id)
                raise _exhausted(allowance, rules)
        if interest is not None:
            case.cure_interest = interest
        if costs is not None:
            case.cure_costs = costs
        # Cured on the day recorded, and on the day the page judges it (EvictionCase.cure_day).
        for day in sorted({on, case.cure_day()}):
            balance = eviction_cure_balance(
                case=case, on=day, interest=case.cure_interest, costs=case.cure_costs
            )
            if not balance.cured:
                raise _not_cured(balance, day)
        case.save(update_fields=["cure_interest", "cure_costs"])
        case = _run(
            actor=actor,
            case=case,
            transition="cure",
            note=note,
            on=on,
            update_fields=("closed_on", "outcome"),
        )
        if at_first_hearing:
            GraceUse.objects.create(
                household_id=case.lease.household_id,
                case=case,
                kind=GraceUse.Kind.PAID_AT_HEARING,
                granted_on=on,
            )
        return case


def _check_release_date(on: date, execution_from: date | None) -> None:
    if execution_from is not None and execution_from < on:
        raise DomainError(
            _("The release date cannot come before the order (L. 392/1978 art. 56)."),
            field="execution_from",
        )


def eviction_validate(
    *, actor, case: EvictionCase, on: date, execution_from: date | None = None, note: str = ""
) -> EvictionCase:
    """c.p.c. art. 663: the judge validated the eviction and set the release date (L. 392/1978
    art. 56). After a grace period only at the new hearing, if the tenant has not paid."""
    _past(on, "on")
    _check_release_date(on, execution_from)
    with transaction.atomic():
        case = _locked_case(case)
        if case.status == EvictionCase.Status.GRACE_PERIOD:
            if not legal_procedure.validation_after_grace_allowed(
                new_hearing_on=case.new_hearing_on, on=on
            ):
                raise DomainError(
                    _(
                        "The grace period runs until %(end)s: the eviction is validated only "
                        "at the new hearing of %(hearing)s, if the tenant has not paid "
                        "(L. 392/1978 art. 55)."
                    )
                    % {"end": _d(case.grace_ends_on), "hearing": _d(case.new_hearing_on)},
                    field="on",
                )
            if case.cure_balance(on=on).cured:
                raise DomainError(
                    _(
                        "The ledger shows the arrears, interest and costs paid in full: the "
                        "arrears are cured, record the cure (L. 392/1978 art. 55)."
                    ),
                    field="on",
                )
        else:
            _not_before_hearing(case, on)
        return _run(
            actor=actor,
            case=case,
            transition="validate",
            note=note,
            on=on,
            execution_from=execution_from,
            update_fields=("convalida_on", "execution_from"),
        )


def eviction_oppose(*, actor, case: EvictionCase, on: date, note: str = "") -> EvictionCase:
    """c.p.c. artt. 665-667: the tenant opposed at the hearing; there is no convalida and the
    case goes on as ordinary proceedings until the judgment."""
    _past(on, "on")
    with transaction.atomic():
        case = _locked_case(case)
        _not_before_hearing(case, on)
        return _run(
            actor=actor,
            case=case,
            transition="oppose",
            note=note,
            on=on,
            update_fields=("opposed_on",),
        )


def _after_opposition(case: EvictionCase, on: date) -> None:
    if case.opposed_on is not None and on < case.opposed_on:
        raise DomainError(
            _("The judgment follows the opposition of %(day)s (c.p.c. art. 667).")
            % {"day": _d(case.opposed_on)},
            field="on",
        )


def eviction_judgment_release(
    *, actor, case: EvictionCase, on: date, execution_from: date | None = None, note: str = ""
) -> EvictionCase:
    """c.p.c. art. 667: the judgment after the opposition orders the release (from the date it
    sets, L. 392/1978 art. 56): enforcement may follow as after a convalida."""
    _past(on, "on")
    _check_release_date(on, execution_from)
    with transaction.atomic():
        case = _locked_case(case)
        _after_opposition(case, on)
        return _run(
            actor=actor,
            case=case,
            transition="judgment_release",
            note=note,
            on=on,
            execution_from=execution_from,
            update_fields=("judgment_on", "execution_from"),
        )


def eviction_judgment_dismiss(*, actor, case: EvictionCase, on: date, note: str) -> EvictionCase:
    """c.p.c. art. 667: the judgment after the opposition rejects the landlord's claim; the
    case closes and the lease goes on."""
    if not note:
        raise DomainError(_("Say what the judgment decided, in the note."), field="note")
    _past(on, "on")
    with transaction.atomic():
        case = _locked_case(case)
        _after_opposition(case, on)
        return _run(
            actor=actor,
            case=case,
            transition="judgment_dismiss",
            note=note,
            on=on,
            update_fields=("judgment_on", "closed_on", "outcome"),
        )


def _title_day(case: EvictionCase) -> date | None:
    return case.judgment_on or case.convalida_on


def eviction_precetto_serve(*, actor, case: EvictionCase, on: date, note: str = "") -> EvictionCase:
    """c.p.c. art. 480: the precetto was served; enforcement may follow after its 10 days."""
    _past(on, "on")
    title = _title_day(case)
    if title is not None and on < title:
        raise DomainError(
            _("The precetto follows the order of release (c.p.c. art. 480)."), field="on"
        )
    return _run(
        actor=actor,
        case=case,
        transition="serve_precetto",
        note=note,
        on=on,
        update_fields=("precetto_served_on",),
    )


def eviction_precetto_oppose(
    *, actor, case: EvictionCase, on: date, note: str = ""
) -> EvictionCase:
    """c.p.c. artt. 481 co. 2 and 615: the tenant opposed the precetto; its 90 days are
    suspended until the opposition is decided."""
    _past(on, "on")
    with transaction.atomic():
        case = _locked_case(case)
        served = case.precetto_served_on
        if served is not None:
            if on < served:
                raise DomainError(
                    _("The opposition follows the precetto (c.p.c. art. 615)."), field="on"
                )
            rules = eviction_rules_for(programme_id=case.programme_id)
            lapse = legal_clock.precetto_lapses_on(served, rules)
            if on > lapse and case.access_notice_served_on is None:
                raise DomainError(
                    _(
                        "The precetto lapsed on %(day)s (c.p.c. art. 481): an opposition "
                        "cannot suspend a term already run."
                    )
                    % {"day": _d(lapse)},
                    field="on",
                )
        return _run(
            actor=actor,
            case=case,
            transition="oppose_precetto",
            note=note,
            on=on,
            update_fields=("precetto_opposed_on",),
        )


def eviction_precetto_opposition_decide(
    *, actor, case: EvictionCase, on: date, outcome: str, note: str = ""
) -> EvictionCase:
    """c.p.c. artt. 481 co. 2 and 627: the opposition to the precetto was decided. Rejected,
    the 90 days resume (the lapse date moves by the days it was pending); upheld, the precetto
    is void and the landlord needs a new one."""
    _past(on, "on")
    if outcome not in EvictionCase.OppositionOutcome.values:
        raise DomainError(_("Say how the opposition was decided."), field="outcome")
    with transaction.atomic():
        case = _locked_case(case)
        if case.precetto_opposed_on is not None and on < case.precetto_opposed_on:
            raise DomainError(
                _("The decision follows the opposition of %(day)s (c.p.c. art. 627).")
                % {"day": _d(case.precetto_opposed_on)},
                field="on",
            )
        return _run(
            actor=actor,
            case=case,
            transition="decide_precetto_opposition",
            note=note,
            on=on,
            outcome=outcome,
            update_fields=("precetto_opposition_decided_on", "precetto_opposition_outcome"),
            data={"outcome": outcome},
        )


def eviction_precetto_renew(*, actor, case: EvictionCase, on: date, note: str = "") -> EvictionCase:
    """c.p.c. artt. 480-481: a new precetto, once the old one lapsed or was declared void; its
    clock starts again (term, lapse, notice of access)."""
    _past(on, "on")
    with transaction.atomic():
        case = _locked_case(case)
        if case.precetto_served_on is not None and not (
            case.precetto_void or case.precetto_lapsed(on)
        ):
            lapse = case.precetto_lapse_day()
            if lapse is None:
                message = _(
                    "The precetto is still in force: its 90 days are suspended while the "
                    "opposition is pending (c.p.c. art. 481)."
                )
            elif case.access_notice_served_on is not None and case.access_notice_served_on <= lapse:
                message = _(
                    "The precetto is still in force: enforcement started with the notice of "
                    "access (c.p.c. artt. 481, 608)."
                )
            else:
                message = _(
                    "The precetto is in force until %(day)s (c.p.c. art. 481): a new one is "
                    "served only once it lapses or is declared void."
                ) % {"day": _d(lapse)}
            raise DomainError(message, field="on")
        title = _title_day(case)
        if title is not None and on < title:
            raise DomainError(
                _("The precetto follows the order of release (c.p.c. art. 480)."), field="on"
            )
        before = case.precetto_served_on
        return _run(
            actor=actor,
            case=case,
            transition="renew_precetto",
            note=note,
            on=on,
            update_fields=(
                "precetto_served_on",
                "precetto_opposed_on",
                "precetto_opposition_decided_on",
                "precetto_opposition_outcome",
                "access_notice_served_on",
                "access_on",
                "access_postponements",
                "precetto_renewals",
            ),
            data={"previous": before.isoformat() if before else None},
        )


def eviction_access_notice(
    *, actor, case: EvictionCase, notice_served_on: date, access_on: date, note: str = ""
) -> EvictionCase:
    """c.p.c. art. 608: record the bailiff's notice (the first act of enforcement) and the day
    of the access. The notice comes after the precetto's 10 days (artt. 480, 482) and not before
    the release date (L. 392/1978 art. 56); the access at least 10 days after the notice;
    refused once the precetto has lapsed (art. 481) or was declared void."""
    _past(notice_served_on, "notice_served_on")
    with transaction.atomic():
        case = _locked_case(case)
        if case.status != EvictionCase.Status.ENFORCEMENT_SCHEDULED:
            raise DomainError(_("The bailiff's access comes after the precetto is served."))
        rules = eviction_rules_for(programme_id=case.programme_id)
        precetto = case.precetto_served_on
        if case.precetto_void:
            raise DomainError(
                _(
                    "The precetto was declared void on the tenant's opposition (c.p.c. art. "
                    "615): the landlord must serve a new one."
                )
            )
        if notice_served_on < precetto:
            raise DomainError(
                _("The notice cannot come before the precetto."), field="notice_served_on"
            )
        if legal_procedure.precetto_has_lapsed(
            served_on=precetto,
            notice_served_on=notice_served_on,
            today=notice_served_on,
            opposed_on=case.precetto_opposed_on,
            opposition_decided_on=case.precetto_opposition_decided_on,
            rules=rules,
        ):
            raise DomainError(
                _(
                    "The precetto lapsed on %(day)s (90 days without enforcement, c.p.c. art. "
                    "481): the landlord must serve a new one."
                )
                % {"day": _d(case.precetto_lapse_day())},
                field="notice_served_on",
            )
        term_over = legal_procedure.access_notice_earliest(
            precetto_served_on=precetto, execution_from=None, rules=rules
        )
        if notice_served_on < term_over:
            raise DomainError(
                _(
                    "The notice of access is the first act of enforcement: it cannot be served "
                    "before %(day)s, when the precetto's %(days)s days have run (c.p.c. artt. "
                    "480, 482, 608)."
                )
                % {"day": _d(term_over), "days": rules.precetto_term_days},
                field="notice_served_on",
            )
        release = case.execution_from
        if release is not None and notice_served_on < release:
            raise DomainError(
                _(
                    "The judge set the release for %(day)s: no notice of access before that "
                    "day (L. 392/1978 art. 56)."
                )
                % {"day": _d(release)},
                field="notice_served_on",
            )
        earliest = legal_clock.access_earliest(
            notice_served_on=notice_served_on, precetto_served_on=precetto, rules=rules
        )
        if release is not None and release > earliest:
            earliest = release
        if access_on < earliest:
            raise DomainError(
                _(
                    "The access cannot fall before %(day)s (notice of at least %(days)s days, "
                    "c.p.c. art. 608)."
                )
                % {"day": _d(earliest), "days": rules.access_notice_days},
                field="access_on",
            )
        case.access_notice_served_on = notice_served_on
        case.access_on = access_on
        case.save(update_fields=["access_notice_served_on", "access_on"])
        audit_record(
            actor=actor,
            programme=case.programme,
            target=case,
            verb="access_noticed",
            note=note,
            context=case.lease.household,
            data={"notice": notice_served_on.isoformat(), "access": access_on.isoformat()},
        )
        eviction_tasks_refresh(case=case, actor=actor)
        return case


def eviction_access_postpone(
    *, actor, case: EvictionCase, access_on: date, note: str
) -> EvictionCase:
    """The bailiff postponed the access (usual at the first one): record the new day."""
    if not note:
        raise DomainError(_("Say why the access was postponed."), field="note")
    with transaction.atomic():
        case = _locked_case(case)
        if not case.takes_access_postponement:
            raise DomainError(_("There is no access scheduled to postpone."))
        if access_on <= case.access_on:
            raise DomainError(
                _("The new access must come after the one postponed."), field="access_on"
            )
        before = case.access_on
        case.access_on = access_on
        case.access_postponements += 1
        case.save(update_fields=["access_on", "access_postponements"])
        audit_record(
            actor=actor,
            programme=case.programme,
            target=case,
            verb="access_postponed",
            note=note,
            context=case.lease.household,
            data={"from": before.isoformat(), "to": access_on.isoformat()},
        )
        eviction_tasks_refresh(case=case, actor=actor)
        return case


def eviction_evict(*, actor, case: EvictionCase, on: date, note: str) -> EvictionCase:
    """The bailiff carried out the eviction: close the case and end the lease by eviction."""
    if not note:
        raise DomainError(_("Say what happened, in the note."), field="note")
    _past(on, "on")
    if case.access_on is not None and on < case.access_on:
        raise DomainError(
            _("The access was set for %(day)s: the eviction cannot come earlier.")
            % {"day": _d(case.access_on)},
            field="on",
        )
    from tenancies.services.leases import lease_record_eviction

    with transaction.atomic():
        case = _run(
            actor=actor,
            case=case,
            transition="evict",
            note=note,
            on=on,
            update_fields=("closed_on", "outcome"),
        )
        lease = Lease.objects.get(pk=case.lease_id)
        if lease.status == Lease.Status.ACTIVE:
            lease_record_eviction(actor=actor, lease=lease, on=on, note=note)
        return case
