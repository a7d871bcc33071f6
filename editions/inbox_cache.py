"""Whether a member has any unread notification at all, kept in the cache.

Every page's header shows the member's unread mentions, which costs a query joining the
notifications to the editions the member may read. Most members, most of the time, have no
unread notification: the cache says so (one lookup), and only a member who has one pays for
the exact count.

The flag is dropped after a commit that adds, reads or deletes one of the member's
notifications, so a new mention shows on the next page. A request that read "none" just
before such a commit could store it just after the drop: the flag lives UNREAD_FLAG_SECONDS
at most, the time the header's badge takes to ask again anyway.
"""

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save

UNREAD_FLAG_SECONDS = 60


def flag_key(user_pk: int) -> str:
    return f"inbox-unread:{user_pk}"


def has_unread(user, read) -> bool:
    """The cached flag, or ``read()``'s answer (any unread notification), stored."""
    key = flag_key(user.pk)
    flag = cache.get(key)
    if flag is None:
        flag = read()
        cache.set(key, flag, UNREAD_FLAG_SECONDS)
    return flag


def forget(user_pks) -> None:
    """Drop the members' flags once the current transaction commits (at once outside one)."""
    keys = [flag_key(pk) for pk in set(user_pks)]
    if keys:
        transaction.on_commit(lambda: cache.delete_many(keys))


def _changed(sender, instance, **_kwargs) -> None:
    forget([instance.recipient_id])


def connect() -> None:
    from .models import Notification

    post_save.connect(_changed, sender=Notification, dispatch_uid="inbox-unread-saved")
    post_delete.connect(_changed, sender=Notification, dispatch_uid="inbox-unread-deleted")
