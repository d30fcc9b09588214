import pytest

from fund.tests.factories import make_fund


@pytest.fixture
def fund(programme, fund_admin):
    return make_fund(programme=programme, actor=fund_admin)


@pytest.fixture
def other_fund(other_programme):
    return make_fund(programme=other_programme, name="Fondo NEXT")


@pytest.fixture
def second_admin(member):
    return member("fund_admin", username="amministratore2")


@pytest.fixture
def household(programme):
    from tenancies.tests.factories import HouseholdFactory

    return HouseholdFactory(programme=programme, name="Bianchi Anna")


@pytest.fixture
def plan(fund, household, fund_admin):
    from fund.tests.recovery_factories import make_plan

    return make_plan(fund=fund, household=household, actor=fund_admin)
