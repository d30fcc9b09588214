"""Early warning: a transparent risk signal per lease, so operators call families *before*
the legal threshold. Each point of the score comes with the reason that earned it."""

from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import ngettext


@dataclass(frozen=True)
class MonthRecord:
    """One month of a lease's history: how late it was settled (None = still unpaid) and
    whether it was paid only in part."""

    due_date: date
    days_late: int | None
    partial: bool = False


def reason_text(code: str, n: int) -> str:
    """A score's reason as the operator reads it, in the current language (kept as a code and
    a number, so a score stored in the morning reads in the language of whoever opens it)."""
    if code == "unpaid":
        return ngettext("%(n)d rent month unpaid now", "%(n)d rent months unpaid now", n) % {"n": n}
    if code == "later":
        return _("payments are %(days)d days later than before on average") % {"days": n}
    if code == "partial":
        return ngettext(
            "%(n)d partial payment in the last six months",
            "%(n)d partial payments in the last six months",
            n,
        ) % {"n": n}
    if code == "broken_plan":
        return ngettext(
            "%(n)d repayment plan broken before", "%(n)d repayment plans broken before", n
        ) % {"n": n}
    return _("a life event was recorded in the last 90 days")


@dataclass
class RiskSignal:
    score: int = 0
    parts: list[tuple[str, int]] = field(default_factory=list)  # (reason code, its number)

    def add(self, points: int, code: str, n: int = 1):
        self.score += points
        self.parts.append((code, n))

    @property
    def reasons(self) -> list[str]:
        return [reason_text(code, n) for code, n in self.parts]

    @property
    def level(self) -> str:
        if self.score >= 50:
            return "high"
        if self.score >= 20:
            return "medium"
        return "low"


def risk_signal(
    *,
    history: list[MonthRecord],
    today: date,
    broken_plans: int = 0,
    recent_life_events: int = 0,
) -> RiskSignal:
    """Score a lease from its last months (oldest first). Rules, each shown as a reason:

    - a due unpaid now, even within the grace period: 25
    - payments getting later: average lateness of the last 3 months above the 3 before by
      5+ days: 20
    - partial payments in the last 6 months: 10 each, at most 30
    - a repayment plan broken before: 25 each
    - a life event on the timeline in the last 90 days (job loss, illness, separation…): 15
    """
    signal = RiskSignal()
    unpaid = [m for m in history if m.days_late is None and m.due_date <= today]
    if unpaid:
        signal.add(25, "unpaid", len(unpaid))

    def lateness(months):
        values = [
            m.days_late if m.days_late is not None else (today - m.due_date).days for m in months
        ]
        return sum(values) / len(values) if values else 0

    recent, before = history[-3:], history[-6:-3]
    if recent and before:
        delta = lateness(recent) - lateness(before)
        if delta >= 5:
            signal.add(20, "later", int(delta))
    partials = sum(1 for m in history[-6:] if m.partial)
    if partials:
        signal.add(min(30, 10 * partials), "partial", partials)
    if broken_plans:
        signal.add(25 * broken_plans, "broken_plan", broken_plans)
    if recent_life_events:
        signal.add(15, "life_event")
    signal.score = min(signal.score, 100)
    return signal
