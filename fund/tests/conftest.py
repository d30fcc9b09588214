import pytest

from fund.tests.factories import make_fund


@pytest.fixture
def fund(programme, fund_admin):
    return make_fund(programme=programme, actor=fund_admin)


@pytest.fixture
def other_fund(other_programme):
    return make_fund(programme=other_programme, name="Fondo NEXT")
