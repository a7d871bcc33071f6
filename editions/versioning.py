"""Optimistic locking: a change names the version it was based on, and is refused if stale.

Documents, segments, alignments and annotations carry a ``version``. A save moves it on with
one conditional ``UPDATE ... SET version = version + 1 WHERE pk = %s AND version = n``: if
someone saved meanwhile no row matches and the save is refused (``StaleVersion``), never
merged blindly over their work. The check and the write are one statement, so two saves
based on the same version cannot both pass.
"""

from typing import Generic, TypeVar

from django.db import models
from django.db.models import F

ModelT = TypeVar("ModelT", bound=models.Model)


class StaleVersion(Exception, Generic[ModelT]):
    """The row was saved by someone else since the version the change was based on.

    ``current`` is the object the change was made on: the caller may refresh it to show
    what is there now. (Generic in its model: an ``except`` clause cannot name it, so the
    handler's ``current`` is the model the caller knows it changed.)
    """

    def __init__(self, current: ModelT, version: int | None = None):
        name = current._meta.model_name
        super().__init__(f"{name} {current.pk} is no longer at version {version}")
        self.current = current
        self.version = version


def update_if_current(instance: models.Model, version: int, **values) -> None:
    """Write ``values`` and move the version on, if ``instance`` is still at ``version``.

    Raises ``StaleVersion`` when it is not; ``instance`` itself is not refreshed.
    """
    moved_on = (
        type(instance)
        ._default_manager.filter(pk=instance.pk, version=version)
        .update(**values, version=F("version") + 1)
    )
    if moved_on != 1:
        raise StaleVersion(instance, version)


def check_current(instance: models.Model, version: int) -> None:
    """Raise ``StaleVersion`` unless ``instance`` is still at ``version`` (nothing written)."""
    if not type(instance)._default_manager.filter(pk=instance.pk, version=version).exists():
        raise StaleVersion(instance, version)
