from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TenanciesConfig(AppConfig):
    name = "tenancies"
    verbose_name = _("Households and tenancies")

    def ready(self):
        from common.audit import register_verbs
        from tenancies import integrity, search, task_sources, workflows  # noqa: F401 - registers

        task_sources.register()
        from tenancies.selectors.timeline import MODEL_VERB_LABELS, VERB_LABELS

        register_verbs(VERB_LABELS)
        for model, labels in MODEL_VERB_LABELS.items():
            register_verbs(labels, model=model)

        from housing.selectors import set_occupancy_provider, set_occupants_provider
        from tenancies.selectors.occupancy import place_holders
        from tenancies.selectors.placements import places_taken

        # housing counts free places without importing tenancies: we tell it what is taken,
        # and by whom (cohousing costs are split between the households living there).
        set_occupancy_provider(places_taken)
        set_occupants_provider(place_holders)

        from tenancies import notifications

        # Our kinds of notification, and who follows the families of a condominium's flats
        # (housing's caretaker alerts reach them).
        notifications.register()

        from common.passwords import password_changed
        from tenancies.services.eviction import calendar_tokens_revoke_all

        # A calendar address copied before a password change must not outlive it.
        password_changed.connect(
            lambda sender, user, **kwargs: calendar_tokens_revoke_all(user=user),
            weak=False,
            dispatch_uid="tenancies.calendar_tokens_revoke_all",
        )
