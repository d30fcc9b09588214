"""On a phone (390×844): a landlord sees the unread count in the header, reads the
notification, follows it to the page it is about, and changes what they receive."""

import pytest
from playwright.sync_api import expect

from common.notifications.models import NotificationPreference
from common.notifications.services import notify
from common.tests.two_factor import browser_log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_landlord_reads_a_notification_on_a_phone(live_server, page, member, programme):
    landlord = member("landlord", username="proprietaria")
    notify(
        recipients=[landlord],
        kind="guarantee_activated",
        context={"guarantee_number": 4, "dwelling": "Via Roma 1", "guarantee_amount": 1650},
        programme=programme,
        link="/fondo/garanzie/mie/",
    )
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/")
    browser_log_in(page, "proprietaria")

    link = page.get_by_role("link", name="Notifiche 1 non letta")
    expect(link).to_be_visible()
    link.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Notifiche")
    # Nothing is wider than the phone's screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    page.get_by_role("link", name="La garanzia n. 4 è in vigore").click()
    expect(page).to_have_url(f"{live_server.url}/fondo/garanzie/mie/")
    expect(page.get_by_role("link", name="Notifiche", exact=True)).to_be_visible()

    page.goto(f"{live_server.url}/notifiche/preferenze/")
    page.get_by_role("group", name="Una garanzia entra in vigore").get_by_label(
        "Per e-mail"
    ).uncheck()
    page.get_by_label("Una volta al giorno, in un riepilogo").check()
    page.get_by_role("button", name="Salva").click()
    expect(page.get_by_text("Le tue preferenze di notifica sono salvate.")).to_be_visible()
    preference = NotificationPreference.objects.get(user=landlord, kind="guarantee_activated")
    assert (preference.in_app, preference.email) == (True, False)
