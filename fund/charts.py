"""Server-side SVG charts (pygal): readable without JavaScript, embeddable in pages and PDFs."""

import re
import sys

import pygal
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from pygal.style import Style

# pygal appends a legacy import hook (for its external map plugins, unused here) that has no
# `find_spec`: Python then raises an ImportWarning on every import that reaches it, an error
# under `-W error`. Take it out again.
sys.meta_path[:] = [f for f in sys.meta_path if type(f).__name__ != "PluginImportFixer"]

_SCRIPT = re.compile(r"<script.*?</script>", re.DOTALL)

STYLE = Style(
    background="transparent",
    plot_background="transparent",
    foreground="#1f2933",
    foreground_strong="#1f2933",
    foreground_subtle="#d5dbe3",
    font_family="system-ui, sans-serif",
    colors=("#1d5fa8", "#2e7d4f", "#b34747", "#b7791f"),
    label_font_size=13,
    major_label_font_size=13,
    legend_font_size=14,
    value_font_size=12,
)


def _render(chart) -> str:
    # pygal adds a small inline script for tooltips; the chart reads fine without it.
    return _SCRIPT.sub("", chart.render(is_unicode=True))


def _config(**extra):
    return {
        "js": [],
        "disable_xml_declaration": True,
        "style": STYLE,
        "height": 320,
        "legend_at_bottom": True,
        "show_minor_x_labels": True,
        "x_label_rotation": 0,
        "dots_size": 3,
        **extra,
    }


def fund_history_chart(points: list[dict], *, with_exposure: bool = True) -> str:
    """Cash, capacity (and exposure) at each month end, as inline SVG."""
    chart = pygal.Line(**_config(title=_("Cash and capacity over time"), value_formatter=_euro))
    chart.x_labels = [date_format(p["date"], "M y") for p in points]
    chart.add(_("Cash"), [float(p["cash"].amount) for p in points])
    chart.add(_("Available capacity"), [float(p["capacity"].amount) for p in points])
    if with_exposure:
        chart.add(_("Exposure"), [float(p["exposure"].amount) for p in points])
    return _render(chart)


def ruin_by_leverage_chart(grid, *, limit: float) -> str:
    """Probability of running dry at each leverage, with the chosen limit as a line."""
    chart = pygal.Line(
        **_config(
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
    return _render(chart)


def _euro(value) -> str:
    if value is None:
        return ""
    return f"{value:,.0f} €".replace(",", ".")
