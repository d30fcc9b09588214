"""The shell's menu is rendered once per role, staff flag, language and URL configuration
(common.templatetags.shell): each user still sees their own role's menu, in their language."""

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from common.templatetags import shell


@pytest.fixture(autouse=True)
def _fresh_menus():
    shell._RENDERED.clear()
    yield
    shell._RENDERED.clear()


def _nav(html: str) -> str:
    return html.split('<nav class="main-nav"', 1)[1].split("</nav>", 1)[0]


@pytest.mark.django_db
def test_each_role_sees_its_own_menu_from_the_kept_copy(client, member):
    operator, landlord = member("operator"), member("landlord")
    menus = {}
    for user in (operator, landlord, operator, landlord):
        client.force_login(user)
        menus.setdefault(user.pk, set()).add(_nav(client.get(reverse("home"), follow=True).text))
    assert all(len(seen) == 1 for seen in menus.values())  # the kept copy is the same menu
    operator_menu, landlord_menu = menus[operator.pk].pop(), menus[landlord.pk].pop()
    assert reverse("tenancies:household_list") in operator_menu
    assert reverse("tenancies:household_list") not in landlord_menu
    assert reverse("fund:my_guarantees") in landlord_menu


@pytest.mark.django_db
def test_the_kept_menu_is_the_template_rendered_for_that_role_language_and_staff_flag(member):
    staff = member("operator", is_staff=True)
    for language in ("it", "en"):
        with translation.override(language):
            context = {"current_role": "operator", "user": staff}
            expected = render_to_string("common/_nav.html", context)
            assert shell.main_nav(context) == expected
            assert shell.main_nav(context) == expected  # the kept copy
            assert reverse("admin:index") in expected
    it_menu = [html for key, html in shell._RENDERED.items() if key[2] == "it"]
    en_menu = [html for key, html in shell._RENDERED.items() if key[2] == "en"]
    assert it_menu != en_menu
