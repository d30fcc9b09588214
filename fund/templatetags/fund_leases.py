"""`{% lease_guarantee lease %}`: on the operators' lease page, the lease's guarantee, or the
button to request one when the fund may guarantee it and it has none."""

from django import template

from common.roles import Role
from fund.models import Guarantee
from fund.selectors.eligibility import eligible_leases

register = template.Library()


@register.inclusion_tag("fund/_lease_guarantee.html", takes_context=True)
def lease_guarantee(context, lease):
    request = context["request"]
    staff = getattr(request, "role", None) in (Role.OPERATOR, Role.FUND_ADMIN)
    if not staff:
        return {"show": False}
    guarantee = Guarantee.objects.filter(lease=lease, status__in=Guarantee.OPEN).first()
    may_request = (
        guarantee is None
        and request.role == Role.OPERATOR
        and eligible_leases(type(lease).objects.filter(pk=lease.pk)).exists()
    )
    return {"show": True, "guarantee": guarantee, "may_request": may_request, "lease": lease}
