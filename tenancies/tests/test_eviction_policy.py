"""The legal-clock settings: what a programme may change (only where the law leaves room), the
settings page really saving, and the rules page."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from common.models import AuditEvent
from common.tests.two_factor import login_verified
from tenancies.models import EvictionPolicy
from tenancies.services import eviction as services


def _post_data(policy, **changes):
    data = {
        name: getattr(policy, name)
        for name in (
            "summons_min_days",
            "grace_max_days",
            "grace_max_days_exceptional",
            "grace_max_uses",
            "grace_max_uses_exceptional",
            "grace_window_years",
            "grace_exceptional_max_arrears_months",
            "new_hearing_within_days",
            "precetto_term_days",
            "access_notice_days",
            "precetto_lapse_days",
            "fund_isee_max",
            "fund_max_amount",
            "due_soon_days",
        )
    }
    data.update(changes)
    return data


@pytest.mark.django_db
def test_settings_page_saves_what_it_says_it_saved(client, operator, programme):
    # The reported bug: the ModelForm wrote the new values on the instance before the service
    # compared old and new, so the service saw no change and saved nothing.
    policy = services.eviction_policy_for(programme_id=programme.pk)
    login_verified(client, operator)
    response = client.post(
        reverse("tenancies:eviction_policy"), _post_data(policy, due_soon_days=14)
    )
    assert response.status_code == 302
    assert EvictionPolicy.objects.get(pk=policy.pk).due_soon_days == 14


@pytest.mark.django_db
def test_settings_page_cannot_change_a_number_the_law_fixes(client, operator, programme):
    policy = services.eviction_policy_for(programme_id=programme.pk)
    login_verified(client, operator)
    # A fixed number is shown disabled: what is posted for it is ignored.
    response = client.post(
        reverse("tenancies:eviction_policy"), _post_data(policy, grace_max_uses=5)
    )
    assert response.status_code == 302
    assert EvictionPolicy.objects.get(pk=policy.pk).grace_max_uses == 3


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("value", "saved"), [("25999.99", True), ("26000", True), ("26000.01", False)]
)
def test_dm_30_march_2016_isee_ceiling_may_only_be_lowered(
    client, operator, programme, value, saved
):
    policy = services.eviction_policy_for(programme_id=programme.pk)
    login_verified(client, operator)
    response = client.post(
        reverse("tenancies:eviction_policy"), _post_data(policy, fund_isee_max=value)
    )
    stored = EvictionPolicy.objects.get(pk=policy.pk).fund_isee_max
    if saved:
        assert response.status_code == 302
        assert str(stored.normalize()) == str(Decimal(value).normalize())
    else:
        assert response.status_code == 200
        assert "D.M. 30 marzo 2016 art. 3" in response.content.decode()
        assert stored == Decimal("26000")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "value", "article"),
    [
        ("summons_min_days", 19, "c.p.c. art. 660"),
        ("summons_min_days", 21, "c.p.c. art. 660"),
        ("grace_max_days", 91, "L. 392/1978 art. 55 co. 2"),
        ("grace_max_days_exceptional", 119, "L. 392/1978 art. 55 co. 4"),
        ("grace_max_uses", 4, "L. 392/1978 art. 55 co. 1"),
        ("grace_max_uses_exceptional", 3, "L. 392/1978 art. 55 co. 4"),
        ("grace_window_years", 3, "L. 392/1978 art. 55 co. 1 e 4"),
        ("new_hearing_within_days", 11, "L. 392/1978 art. 55 co. 2"),
        ("precetto_term_days", 9, "c.p.c. art. 480"),
        ("access_notice_days", 9, "c.p.c. art. 608"),
        ("precetto_lapse_days", 91, "c.p.c. art. 481"),
        ("fund_max_amount", Decimal("12000.01"), "D.M. 30 marzo 2016 art. 5"),
    ],
)
def test_the_service_refuses_settings_that_break_the_law(operator, programme, name, value, article):
    policy = services.eviction_policy_for(programme_id=programme.pk)
    with pytest.raises(ValidationError) as refused:
        services.eviction_policy_update(actor=operator, policy=policy, data={name: value})
    [message] = refused.value.message_dict[name]
    assert article in message
    assert "programma" in message  # in Italian
    assert getattr(EvictionPolicy.objects.get(pk=policy.pk), name) != value


@pytest.mark.django_db
def test_the_service_saves_what_the_law_allows_and_audits_old_and_new(operator, programme):
    policy = services.eviction_policy_for(programme_id=programme.pk)
    services.eviction_policy_update(
        actor=operator, policy=policy, data={"due_soon_days": 10, "fund_max_amount": 8000}
    )
    stored = EvictionPolicy.objects.get(pk=policy.pk)
    assert (stored.due_soon_days, stored.fund_max_amount) == (10, Decimal("8000"))
    event = AuditEvent.objects.filter(verb="updated", target_id=str(policy.pk)).latest("id")
    assert event.data["due_soon_days"] == {"from": "7", "to": "10"}


@pytest.mark.django_db
def test_rules_page_lists_the_rules_with_their_articles(client, operator, programme):
    login_verified(client, operator)
    page = client.get(reverse("tenancies:eviction_rules")).content.decode()
    for text in (
        "c.p.c. art. 660",
        "c.p.c. art. 481",
        "L. 392/1978 art. 55 co. 4",
        "art. 155",
        "Lunedì dell&#x27;Angelo",
        "Disoccupazione",
        reverse("tenancies:eviction_policy"),
    ):
        assert text in page, text
    dashboard = client.get(reverse("tenancies:eviction_dashboard")).content.decode()
    assert reverse("tenancies:eviction_rules") in dashboard


@pytest.mark.django_db
def test_fund_admin_reads_the_rules_but_not_the_settings(client, fund_admin):
    login_verified(client, fund_admin)
    page = client.get(reverse("tenancies:eviction_rules"))
    assert page.status_code == 200
    assert reverse("tenancies:eviction_policy") not in page.content.decode()
    assert client.get(reverse("tenancies:eviction_policy")).status_code == 403
