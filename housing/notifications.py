"""What housing tells people: the operators following the families of a social condominium
when its caretaker raises an alert.

Who follows a family is tenancies' business, and housing never imports tenancies: tenancies
registers `set_alert_followers_provider` in its AppConfig.ready(). The message names the place,
not what the caretaker wrote (it may be about a resident's health): that is read in the
application. With no follower found (no
family placed there, or none with an operator), the programme's operators hear of it, so an
alert never goes unheard.
"""

from collections.abc import Callable

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from common.models import Membership
from common.notifications.kinds import kind_register
from common.notifications.services import notify
from common.roles import Role

CARETAKER_ALERT = "caretaker_alert"

# provider(programme_id=…, condominium_id=…, dwelling_id=… or None) -> user ids of the programme's
# operators following the families living there (the whole condominium when no flat is named).
AlertFollowersProvider = Callable[..., list[int]]
_followers_provider: AlertFollowersProvider | None = None


def register() -> None:
    kind_register(CARETAKER_ALERT, _("A caretaker's alert about your families"), (Role.OPERATOR,))


def set_alert_followers_provider(provider: AlertFollowersProvider | None) -> None:
    global _followers_provider
    _followers_provider = provider


def _operators(programme_id) -> list[int]:
    return list(
        Membership.objects.filter(programme_id=programme_id, role=Role.OPERATOR).values_list(
            "user_id", flat=True
        )
    )


def caretaker_alert_notify(note) -> None:
    """Tell the operators who follow the families concerned that the caretaker raised `note`."""
    condominium = note.condominium
    followers = []
    if _followers_provider is not None:
        followers = _followers_provider(
            programme_id=condominium.programme_id,
            condominium_id=condominium.pk,
            dwelling_id=note.dwelling_id,
        )
    recipients = followers or _operators(condominium.programme_id)
    notify(
        recipients=[pk for pk in recipients if pk != note.author_id],
        kind=CARETAKER_ALERT,
        context={
            "condominium": condominium.name,
            "dwelling": str(note.dwelling) if note.dwelling_id else "",
            "happened_on": note.happened_on,
        },
        programme=condominium.programme,
        link=reverse("housing:alert_list"),
    )
