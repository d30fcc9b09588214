"""The programme's indicators: each a named function over the records, with its definition.

Every indicator is computed by the database (counts, sums, a median read from the ordered
middle rows), so it costs the same few queries at 100 households as at 10,000. Each one is
registered with `@indicator`: its code (what a `Target` names), its label, unit and definition,
the text the pages and the spreadsheet show beside the figure. `programme_indicators` answers,
for a programme and a period, every indicator's value, target and definition: the one call a
report makes.

Periods are closed: [start, end]. Flows ("opened in the period") count what happened between
the two dates; stocks ("in force") read the state at `end` from the ledger where it keeps
history, and today's state where the records keep only the current status (the definition says
which).
"""

# Importing the modules registers their indicators (listed by group: indicators_in_order).
from reporting.indicators import arrears, fund, households, housing  # noqa: F401
from reporting.indicators.base import (
    ARREARS,
    COUNT,
    DAYS,
    EURO,
    FUND,
    GROUPS,
    HOUSEHOLDS,
    HOUSING,
    INDICATORS,
    PERCENT,
    RATIO,
    SMALL,
    Indicator,
    Period,
    _median_days,
    indicator,
    indicator_choices,
    indicators_in_order,
)
from reporting.indicators.values import IndicatorValue, programme_indicators, targets_for_period

__all__ = [
    "ARREARS",
    "COUNT",
    "DAYS",
    "EURO",
    "FUND",
    "GROUPS",
    "HOUSEHOLDS",
    "HOUSING",
    "INDICATORS",
    "PERCENT",
    "RATIO",
    "SMALL",
    "Indicator",
    "IndicatorValue",
    "Period",
    "_median_days",
    "indicator",
    "indicator_choices",
    "indicators_in_order",
    "programme_indicators",
    "targets_for_period",
]
