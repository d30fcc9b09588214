"""Server-rendered SVG charts (pygal): the same chart works in a page and in a WeasyPrint
PDF, and is readable without JavaScript. Each chart also gets a text summary for screen
readers; pages show the figures in a table beside it."""

import sys
from decimal import Decimal

import pygal
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from pygal.style import Style

# pygal appends a legacy finder for its map plugins to sys.meta_path. We use no maps, and that
# finder raises ImportWarning for every optional import that fails anywhere else (WeasyPrint's
# fonts, for one). CommonConfig.ready() imports this module, so it is gone before any request.
sys.meta_path[:] = [f for f in sys.meta_path if type(f).__name__ != "PluginImportFixer"]

STYLE = Style(
    background="white",
    plot_background="white",
    foreground="#1b1f24",
    foreground_strong="#1b1f24",
    foreground_subtle="#d0d6de",
    font_family="DejaVu Sans, sans-serif",
    colors=("#0b5394", "#a31515", "#1e6b33", "#8a5300", "#5b2a86"),
    label_font_size=12,
    major_label_font_size=12,
    legend_font_size=13,
    value_font_size=12,
)


def _render(chart, title: str):
    svg = chart.render(is_unicode=True)
    return format_html(
        '<figure class="chart" role="img" aria-label="{}">{}</figure>', title, mark_safe(svg)
    )


def line_chart(*, title: str, x_labels: list[str], series: dict[str, list], height=320):
    """A line chart of money or counts over time; values may be Decimals."""
    chart = pygal.Line(
        height=height,
        width=900,
        style=STYLE,
        disable_xml_declaration=True,
        js=[],
        show_dots=True,
        dots_size=3,
        x_label_rotation=0,
        legend_at_bottom=True,
        print_values=False,
        truncate_legend=-1,
        include_x_axis=True,
    )
    chart.x_labels = x_labels
    for name, values in series.items():
        chart.add(name, [float(v) if isinstance(v, Decimal) else v for v in values])
    return _render(chart, title)


def bar_chart(*, title: str, x_labels: list[str], series: dict[str, list], height=320):
    chart = pygal.Bar(
        height=height,
        width=900,
        style=STYLE,
        disable_xml_declaration=True,
        js=[],
        legend_at_bottom=True,
        truncate_legend=-1,
    )
    chart.x_labels = x_labels
    for name, values in series.items():
        chart.add(name, [float(v) if isinstance(v, Decimal) else v for v in values])
    return _render(chart, title)
