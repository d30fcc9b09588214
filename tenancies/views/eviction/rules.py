"""The rules the legal clock applies, with their articles and the programme's values: a page
for operators and lawyers to check (fund administrators may read it too)."""

from dataclasses import dataclass
from typing import Any

from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.permissions import has_role, role_required
from common.roles import Role
from tenancies import legal_calendar, legal_clock
from tenancies.models import EvictionPolicy
from tenancies.selectors.eviction import eviction_rules

ROOM_LABELS = {
    legal_clock.FIXED: _("fixed by law"),
    legal_clock.AT_MOST: _("a ceiling: the programme may set less"),
}


@dataclass
class NumberRow:
    label: Any
    source: str
    law: Any
    programme: Any
    room: Any

    @property
    def differs(self) -> bool:
        return self.law is not None and self.law != self.programme


def _number_rows(rules: legal_clock.ClockRules) -> list[NumberRow]:
    rows = []
    for name in legal_clock.ClockRules.__dataclass_fields__:
        law = legal_clock.LAW_BY_NAME.get(name)
        rows.append(
            NumberRow(
                label=EvictionPolicy._meta.get_field(name).verbose_name,
                source=law.source if law else "",
                law=law.value if law else None,
                programme=getattr(rules, name),
                room=ROOM_LABELS[law.room] if law else _("not a legal number"),
            )
        )
    return rows


@role_required(Role.OPERATOR, Role.FUND_ADMIN)
def eviction_rules_view(request):
    rules = eviction_rules(programme_id=request.programme.pk)
    year = timezone.localdate().year
    return render(
        request,
        "tenancies/eviction_rules.html",
        {
            "numbers": _number_rows(rules),
            "terms": legal_clock.TERM_RULES,
            "causes": [
                label
                for value, label in legal_clock.GraceCause.choices
                if value in legal_clock.EXCEPTIONAL_CAUSES
            ],
            "use_kinds": legal_clock.SanatoriaUseKind.choices,
            "year": year,
            "holidays": legal_calendar.holidays(year),
            "rules": rules,
            "can_edit": has_role(request, (Role.OPERATOR,)),
        },
    )
