"""Eviction prevention services, by topic; everything keeps its `tenancies.services.eviction`
import path.

- cases: opening a case, the summons, the dated tasks every step rewrites;
- court: hearing, grace period, validation, precetto, the bailiff's accesses, the eviction;
- prevention: mediation, settlement, closing without an eviction;
- fund_applications: public funds for the arrears;
- policy: the legal-clock settings and the calendar feed's secret.
"""

from tenancies.services.eviction.cases import (
    eviction_case_open,
    eviction_summons_record,
    eviction_tasks_refresh,
)
from tenancies.services.eviction.court import (
    eviction_access_notice,
    eviction_access_postpone,
    eviction_cure,
    eviction_evict,
    eviction_grace_allowance,
    eviction_grace_grant,
    eviction_hearing_adjourn,
    eviction_hearing_hold,
    eviction_judgment_dismiss,
    eviction_judgment_release,
    eviction_oppose,
    eviction_past_grace_record,
    eviction_precetto_oppose,
    eviction_precetto_opposition_decide,
    eviction_precetto_renew,
    eviction_precetto_serve,
    eviction_validate,
)
from tenancies.services.eviction.fund_applications import (
    fund_application_create,
    fund_application_decide,
    fund_application_receive,
)
from tenancies.services.eviction.policy import (
    calendar_token_hash,
    calendar_token_issue,
    calendar_token_revoke,
    calendar_tokens_revoke_all,
    eviction_policy_for,
    eviction_policy_update,
    eviction_rules_for,
)
from tenancies.services.eviction.prevention import (
    eviction_close,
    eviction_close_prevented,
    eviction_mediation_start,
    eviction_meeting_record,
    eviction_rehouse,
    eviction_settlement_record,
    eviction_withdraw,
)

__all__ = [
    "calendar_token_hash",
    "calendar_token_issue",
    "calendar_token_revoke",
    "calendar_tokens_revoke_all",
    "eviction_access_notice",
    "eviction_access_postpone",
    "eviction_case_open",
    "eviction_close",
    "eviction_close_prevented",
    "eviction_cure",
    "eviction_evict",
    "eviction_grace_allowance",
    "eviction_grace_grant",
    "eviction_hearing_adjourn",
    "eviction_hearing_hold",
    "eviction_judgment_dismiss",
    "eviction_judgment_release",
    "eviction_mediation_start",
    "eviction_meeting_record",
    "eviction_oppose",
    "eviction_past_grace_record",
    "eviction_policy_for",
    "eviction_policy_update",
    "eviction_precetto_oppose",
    "eviction_precetto_opposition_decide",
    "eviction_precetto_renew",
    "eviction_precetto_serve",
    "eviction_rehouse",
    "eviction_rules_for",
    "eviction_settlement_record",
    "eviction_summons_record",
    "eviction_tasks_refresh",
    "eviction_validate",
    "eviction_withdraw",
    "fund_application_create",
    "fund_application_decide",
    "fund_application_receive",
]
