"""Whether a member has any unread notification at all, kept in the cache.

Every page's header shows the member's unread mentions, which costs a query joining the
notifications to the editions the member may read. Most members, most of the time, have no
unread notification: the cache says so (one lookup), and only a member who has one pays for
the exact count.

Each member's flag is stored with the generation it was read in. A commit that adds, reads
or deletes one of the member's notifications starts a new generation, so a new mention shows
on the next page. A request that read "none" just before such a commit and stores it just
after stores it under the old generation, which no later request takes for current.
"""

import secrets

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save

# A flag is correct whenever its generation is current; the lifetime only bounds memory.
UNREAD_FLAG_SECONDS = 600
GENERATION_SECONDS = 24 * 3600


def flag_key(user_pk: int) -> str:
    return f"inbox-unread:{user_pk}"


def generation_key(user_pk: int) -> str:
    return f"inbox-generation:{user_pk}"


def has_unread(user, read) -> bool:
    """The cached flag if it is of the current generation, else ``read()``'s answer, stored."""
    keys = flag_key(user.pk), generation_key(user.pk)
    found = cache.get_many(keys)
    generation, stored = found.get(keys[1]), found.get(keys[0])
    if stored is not None and stored[0] == generation:
        return stored[1]
    flag = read()
    cache.set(keys[0], (generation, flag), UNREAD_FLAG_SECONDS)
    return flag


def forget(user_pks) -> None:
    """New generations for the members' flags once the current transaction commits (at once
    outside one)."""
    keys = [generation_key(pk) for pk in set(user_pks)]
    if keys:
        transaction.on_commit(
            lambda: cache.set_many({key: secrets.token_hex(8) for key in keys}, GENERATION_SECONDS)
        )


def _changed(sender, instance, **_kwargs) -> None:
    forget([instance.recipient_id])


def connect() -> None:
    from .models import Notification

    post_save.connect(_changed, sender=Notification, dispatch_uid="inbox-unread-saved")
    post_delete.connect(_changed, sender=Notification, dispatch_uid="inbox-unread-deleted")
