"""Eligibility and priority: pure functions of a household, its members and the programme's
policy. No database writes; the services record what these return."""

from dataclasses import dataclass
from datetime import date

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common.money import money_format

RULE_LABELS = {
    "isee": gettext_lazy("ISEE within the ceiling"),
    "isee_valid": gettext_lazy("ISEE in force"),
    "residence": gettext_lazy("Resident in the programme's municipalities"),
    "vulnerability": gettext_lazy("At least one vulnerability factor"),
}


@dataclass(frozen=True)
class RuleResult:
    code: str
    passed: bool
    detail: str

    def as_dict(self) -> dict:
        return {"code": self.code, "passed": self.passed, "detail": self.detail}


@dataclass(frozen=True)
class PriorityComponent:
    label: str
    count: int
    weight: int

    @property
    def points(self) -> int:
        return self.count * self.weight


@dataclass(frozen=True)
class Priority:
    components: tuple[PriorityComponent, ...]

    @property
    def total(self) -> int:
        return sum(c.points for c in self.components)

    @property
    def shown(self) -> list[PriorityComponent]:
        return [c for c in self.components if c.points]


def eligibility_check(*, household, policy, today: date) -> list[RuleResult]:
    """Each of the programme's rules applied to the household, passed or failed, with why."""
    results = []
    if household.isee is None:
        results.append(RuleResult("isee", False, _("No ISEE value recorded.")))
    else:
        passed = household.isee.amount <= policy.isee_ceiling.amount
        results.append(
            RuleResult(
                "isee",
                passed,
                _("ISEE %(value)s, ceiling %(ceiling)s.")
                % {
                    "value": money_format(household.isee),
                    "ceiling": money_format(policy.isee_ceiling),
                },
            )
        )
    if policy.require_valid_isee:
        if household.isee_expires_on is None:
            results.append(RuleResult("isee_valid", False, _("No ISEE expiry date recorded.")))
        else:
            expired = household.isee_expires_on < today
            results.append(
                RuleResult(
                    "isee_valid",
                    not expired,
                    (_("Expired on %(date)s.") if expired else _("In force until %(date)s."))
                    % {"date": date_format(household.isee_expires_on, "SHORT_DATE_FORMAT")},
                )
            )
    municipalities = policy.effective_municipalities()
    allowed = {m.strip().casefold() for m in municipalities}
    results.append(
        RuleResult(
            "residence",
            household.municipality.strip().casefold() in allowed,
            _("Resident in %(place)s; the programme serves %(list)s.")
            % {"place": household.municipality, "list": ", ".join(municipalities) or "—"},
        )
    )
    if policy.require_vulnerability:
        factors = household.get_vulnerability_factors_display()
        results.append(
            RuleResult(
                "vulnerability",
                bool(factors),
                ", ".join(factors) if factors else _("No vulnerability factor recorded."),
            )
        )
    return results


def priority_score(*, household, members, policy, today: date) -> Priority:
    """The household's waiting-list score, component by component (count × weight)."""
    from tenancies.models import VulnerabilityFactor

    minors = sum(1 for m in members if m.age(today) < 18)
    over_70 = sum(1 for m in members if m.age(today) >= 70)
    disabled = sum(1 for m in members if m.has_disability)
    eviction = int(VulnerabilityFactor.EVICTION_NOTICE in household.vulnerability_factors)
    return Priority(
        components=(
            PriorityComponent(_("Minors"), minors, policy.weight_minor),
            PriorityComponent(_("People over 70"), over_70, policy.weight_over_70),
            PriorityComponent(_("People with a disability"), disabled, policy.weight_disability),
            PriorityComponent(_("Eviction notice served"), eviction, policy.weight_eviction),
            PriorityComponent(
                _("Arrears not at fault"),
                int(household.arrears_not_at_fault),
                policy.weight_arrears_not_at_fault,
            ),
        )
    )
