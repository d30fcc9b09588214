"""Server-rendered SVG charts (pygal): the same chart works in a page and in a WeasyPrint PDF
and is readable without JavaScript. Pages show the figures in a table beside each chart.

Values are converted to float only to be drawn; money is never computed from them."""

import re
import sys
from decimal import Decimal

import pygal
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from pygal.style import Style

# pygal appends a legacy import hook (for its map plugins, unused here) that has no
# `find_spec`: Python then raises ImportWarning for every optional import that reaches it
# (WeasyPrint's fonts, for one), an error under `-W error`. CommonConfig.ready() imports this
# module, so the hook is gone before any request or test.
sys.meta_path[:] = [f for f in sys.meta_path if type(f).__name__ != "PluginImportFixer"]

_SCRIPT = re.compile(r"<script.*?</script>", re.DOTALL)

STYLE = Style(
    background="transparent",
    plot_background="transparent",
    foreground="#1b1f24",
    foreground_strong="#1b1f24",
    foreground_subtle="#d0d6de",
    font_family="system-ui, DejaVu Sans, sans-serif",
    colors=("#0b5394", "#1e6b33", "#a31515", "#8a5300", "#5b2a86"),
    label_font_size=13,
    major_label_font_size=13,
    legend_font_size=14,
    value_font_size=12,
)


def chart_config(**extra) -> dict:
    """pygal options shared by every chart of the app."""
    return {
        "js": [],
        "disable_xml_declaration": True,
        "style": STYLE,
        "height": 320,
        "width": 900,
        "legend_at_bottom": True,
        "truncate_legend": -1,
        "x_label_rotation": 0,
        "dots_size": 3,
        **extra,
    }


def chart_render(chart) -> str:
    """The chart as inline SVG, without pygal's tooltip script (the chart reads fine without)."""
    return _SCRIPT.sub("", chart.render(is_unicode=True))


def euro_label(value) -> str:
    """Axis and tooltip labels in whole euros, Italian style (“12.500 €”)."""
    if value is None:
        return ""
    return f"{value:,.0f} €".replace(",", ".")


def line_chart(*, title: str, x_labels: list[str], series: dict[str, list]):
    """A line chart of money over time, wrapped in a labelled figure."""
    chart = pygal.Line(**chart_config(value_formatter=euro_label, include_x_axis=True))
    chart.x_labels = x_labels
    for name, values in series.items():
        chart.add(name, [float(v) if isinstance(v, Decimal) else v for v in values])
    return format_html(
        '<figure class="chart" role="img" aria-label="{}">{}</figure>',
        title,
        mark_safe(chart_render(chart)),
    )
