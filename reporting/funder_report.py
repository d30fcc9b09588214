"""The funder report's facts and its PDF.

`report_facts` reads, once, everything the report shows for a programme and period (the
indicators with their targets, the breakdowns, the fund's statement from the ledger, the
landlord agreements) and returns it as JSON, which the report keeps: the PDF is a pure function
of those frozen facts and of the narrative (`report_pdf_render`), so a report built today reads
the same next year whatever the records become. Aggregates only: counts after small-cell
suppression, sums, and agreements named by their estate agency (a private owner is a person: not
named). A constant number of queries whatever the programme's size.
"""

import re
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from common.charts import bullet_chart, chart_stylesheet, count_bar_chart
from common.pdf import pdf_render_pages
from fund.selectors.figures import FLOW_SELECTORS, FLOWS
from fund.selectors.ledger import fund_figures
from housing.models import Landlord, LandlordAgreement
from housing.selectors import agreement_list
from reporting.breakdowns import report_figures
from reporting.indicators import Period

# What the progress bar counts: the parts read, then the PDF drawn, then stored.
STEPS = ("indicators", "fund", "agreements", "pdf", "store")


def _str(value) -> str | None:
    return None if value is None else str(value)


def _indicator_facts(figures) -> list[dict]:
    return [
        {
            "code": item.code,
            "label": str(item.indicator.label),
            "group": str(item.indicator.group),
            "unit": item.indicator.unit,
            "definition": str(item.indicator.definition),
            "value": _str(item.value),
            "suppressed": item.suppressed,
            "target": _str(item.target.value) if item.target else None,
            "target_start": item.target.period_start.isoformat() if item.target else None,
            "target_end": item.target.period_end.isoformat() if item.target else None,
            "target_source": item.target.source if item.target else "",
            "progress": _str(item.progress),
            "note": item.note,
        }
        for item in figures.indicators
    ]


def _breakdown_facts(figures) -> list[dict]:
    return [
        {
            "key": breakdown.key,
            "title": str(breakdown.title),
            "columns": [str(label) for label in breakdown.column_labels],
            "rows": [
                {"label": str(label), "cells": [cell for _column, cell in cells], "total": total}
                for label, cells, total in breakdown.rows
            ],
        }
        for breakdown in figures.breakdowns
    ]


def _fund_facts(period: Period) -> dict | None:
    """The fund's statement for the period: cash at the start, the flows in the period, and
    the balances at the end, all from the ledger."""
    fund = period.fund
    if fund is None:
        return None
    opening = fund_figures(fund=fund, at=period.start - timedelta(days=1))
    closing = fund_figures(fund=fund, at=period.end)
    flows = [
        {
            "key": flow.key,
            "label": str(flow.label),
            "amount": str(
                FLOW_SELECTORS[flow.key](fund=fund, start=period.start, end=period.end).amount
            ),
        }
        for flow in FLOWS
    ]
    return {
        "name": fund.name,
        "opening_cash": str(opening.cash.amount),
        "flows": flows,
        "closing": {
            "cash": str(closing.cash.amount),
            "capital": str(closing.capital.amount),
            "exposure": str(closing.exposure.amount),
            "receivable": str(closing.receivable.amount),
            "leverage": str(closing.leverage),
            "limit": str(closing.limit.amount),
            "capacity": str(closing.capacity.amount),
        },
    }


def _agreement_facts(period: Period) -> list[dict]:
    """The agreements in force at some time in the period (or signed by its end), with their
    landlord named only when it is an estate agency: a private owner is a person."""
    agreements = (
        agreement_list(programme=period.programme)
        .exclude(status=LandlordAgreement.Status.DRAFT)
        .exclude(valid_from__gt=period.end)
        .exclude(valid_until__lt=period.start)
        .order_by("landlord__name", "valid_from", "pk")
    )
    return [
        {
            "landlord": agreement.landlord.name
            if agreement.landlord.kind == Landlord.Kind.AGENCY
            else _("Private owner"),
            "kind": str(agreement.landlord.get_kind_display()),
            "status": str(agreement.get_status_display()),
            "signed_on": _date(agreement.signed_on),
            "valid_from": _date(agreement.valid_from),
            "valid_until": _date(agreement.valid_until),
            "cover_months": agreement.cover_months,
        }
        for agreement in agreements
    ]


def _date(value) -> str | None:
    return value.isoformat() if value else None


def report_facts(
    *, programme, start: date, end: date, step: Callable[[str], None] = lambda name: None
) -> dict:
    """Every figure the report shows for `programme` over [start, end], as JSON, in Italian
    (labels are frozen too). `step(name)` is called as each part is read."""
    with translation.override("it"):
        period = Period(programme=programme, start=start, end=end)
        figures = report_figures(programme=programme, start=start, end=end)
        facts = {
            "programme": programme.name,
            "lead_organisation": programme.lead_organisation,
            "start": start.isoformat(),
            "end": end.isoformat(),
            "built_on": timezone.localdate().isoformat(),
            "indicators": _indicator_facts(figures),
            "breakdowns": _breakdown_facts(figures),
        }
        step("indicators")
        facts["fund"] = _fund_facts(period)
        step("fund")
        facts["agreements"] = _agreement_facts(period)
        step("agreements")
    return facts


_SVG_OPEN = re.compile(r"(<svg[^>]*>)")


def _styled(chart: str) -> str:
    """A pygal chart with its stylesheet inside the SVG: WeasyPrint styles an inline SVG from
    its own <style> only (pages take static/css/charts.css, which the CSP requires)."""
    css = chart_stylesheet()
    return mark_safe(_SVG_OPEN.sub(lambda m: f"{m.group(1)}<style>{css}</style>", chart, count=1))


def _dec(value) -> Decimal | None:
    return None if value is None else Decimal(value)


def report_pdf_render(*, report) -> tuple[bytes, int]:
    """The report as A4 PDF bytes in Italian, and its number of pages: a pure function of its
    frozen facts and its narrative (charts drawn from the facts)."""
    facts = report.figures
    with translation.override("it"):
        groups: dict[str, list] = {}
        for item in facts["indicators"]:
            value, target = _dec(item["value"]), _dec(item["target"])
            chart = (
                bullet_chart(
                    value=value,
                    target=target,
                    label=_("%(indicator)s: %(progress)s%% of the target")
                    % {"indicator": item["label"], "progress": item["progress"] or 0},
                )
                if target and value is not None
                else None
            )
            groups.setdefault(item["group"], []).append(
                {**item, "value": value, "target": target, "chart": chart}
            )
        breakdowns = []
        for breakdown in facts["breakdowns"]:
            rows = breakdown["rows"]
            chart = None
            if len(rows) == 1 and any(rows[0]["cells"]):
                chart = _styled(
                    count_bar_chart(
                        title=breakdown["title"],
                        labels=breakdown["columns"],
                        values=rows[0]["cells"],
                    )
                )
            breakdowns.append({**breakdown, "chart": chart})
        fund = facts.get("fund")
        context = {
            "report": report,
            "facts": facts,
            "start": date.fromisoformat(facts["start"]),
            "end": date.fromisoformat(facts["end"]),
            "built_on": date.fromisoformat(facts["built_on"]),
            "groups": list(groups.items()),
            "breakdowns": breakdowns,
            "fund": fund,
            "agreements": [
                {
                    **agreement,
                    **{
                        key: date.fromisoformat(agreement[key]) if agreement[key] else None
                        for key in ("signed_on", "valid_from", "valid_until")
                    },
                }
                for agreement in facts["agreements"]
            ],
            "sections": [
                (str(report._meta.get_field(name).verbose_name), getattr(report, name))
                for name in report.SECTIONS
                if getattr(report, name).strip()
            ],
        }
        if fund:
            context["fund_flows"] = [
                (flow["label"], Decimal(flow["amount"])) for flow in fund["flows"]
            ]
            context["fund_closing"] = {k: Decimal(v) for k, v in fund["closing"].items()}
            context["fund_opening"] = Decimal(fund["opening_cash"])
    return pdf_render_pages("reporting/pdf/funder_report.html", context)
