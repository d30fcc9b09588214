"""Eviction prevention pages, by topic; the views keep their `tenancies.views.eviction` path."""

from tenancies.views.eviction.calendar import eviction_calendar_view, eviction_feed_view
from tenancies.views.eviction.case import (
    eviction_access_view,
    eviction_case_view,
    eviction_fund_decide_view,
    eviction_fund_receive_view,
    eviction_fund_view,
    eviction_meeting_view,
    eviction_paper_view,
    eviction_past_grace_view,
    eviction_postpone_view,
)
from tenancies.views.eviction.dashboard import (
    eviction_dashboard_view,
    eviction_from_arrears_view,
    eviction_open_view,
    eviction_policy_view,
)
from tenancies.views.eviction.rules import eviction_rules_view

__all__ = [
    "eviction_access_view",
    "eviction_calendar_view",
    "eviction_case_view",
    "eviction_dashboard_view",
    "eviction_feed_view",
    "eviction_from_arrears_view",
    "eviction_fund_decide_view",
    "eviction_fund_receive_view",
    "eviction_fund_view",
    "eviction_meeting_view",
    "eviction_open_view",
    "eviction_paper_view",
    "eviction_past_grace_view",
    "eviction_policy_view",
    "eviction_postpone_view",
    "eviction_rules_view",
]
