from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class EditionsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "editions"
    verbose_name = _("Editions")

    def ready(self) -> None:
        from . import inbox_cache, search

        # SQLite drops a table's triggers when a migration rebuilds it: put the search
        # index's triggers back after every migrate (a no-op when they are all there).
        post_migrate.connect(search.on_post_migrate, sender=self, dispatch_uid="search-index")
        # A notification added, read or deleted: its recipient's header counts again.
        inbox_cache.connect()
