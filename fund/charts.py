"""Server-side SVG charts (pygal): readable without JavaScript, embeddable in pages and PDFs."""

from functools import lru_cache

import pygal
from django.utils.formats import date_format
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _

from common.charts import chart_config, chart_render, euro_label


def fund_history_chart(points: list[dict], *, with_exposure: bool = True) -> str:
    """Cash, capacity (and exposure) at each month end, as inline SVG. Drawing takes longer
    than the rest of the dashboard: the SVG is kept for the same figures in the same language
    (the figures themselves are read afresh on every request, so it is never stale)."""
    figures = tuple(
        (p["date"], p["cash"].amount, p["capacity"].amount, p["exposure"].amount) for p in points
    )
    return _fund_history_svg(get_language(), figures, with_exposure)


@lru_cache(maxsize=64)
def _fund_history_svg(language, figures, with_exposure) -> str:
    chart = pygal.Line(
        **chart_config(title=_("Cash and capacity over time"), value_formatter=euro_label)
    )
    chart.x_labels = [date_format(day, "M y") for day, *_rest in figures]
    chart.add(pgettext("fund's money", "Cash"), [float(cash) for _d, cash, _c, _e in figures])
    chart.add(_("Available capacity"), [float(room) for _d, _c, room, _e in figures])
    if with_exposure:
        chart.add(_("Exposure"), [float(exposure) for _d, _c, _r, exposure in figures])
    return chart_render(chart)


def ruin_by_leverage_chart(grid, *, limit: float) -> str:
    """Probability of running dry at each leverage, with the chosen limit as a line."""
    chart = pygal.Line(
        **chart_config(
            title=_("Probability the fund runs dry, by leverage"),
            value_formatter=lambda v: f"{v:.0%}" if v is not None else "",
            range=(0, 1),
            x_labels_major_every=4,
            show_minor_x_labels=False,
            truncate_label=-1,
        )
    )
    chart.x_labels = [f"{p.leverage:.2f}".replace(".", ",") for p in grid]
    chart.add(_("Run-dry probability"), [p.ruin_probability for p in grid])
    chart.add(_("Chosen limit"), [limit for _p in grid], show_dots=False)
    return chart_render(chart)
