from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HousingConfig(AppConfig):
    name = "housing"
    verbose_name = _("Housing stock")

    def ready(self):
        from common.audit import register_verbs
        from housing import integrity, search, task_sources, workflows  # noqa: F401 - registers

        task_sources.register()
        from housing.verbs import MODEL_VERB_LABELS, VERB_LABELS

        register_verbs(VERB_LABELS)
        for model, labels in MODEL_VERB_LABELS.items():
            register_verbs(labels, model=model)

        from housing import notifications

        notifications.register()
