"""The header's "any unread mention?" flag, kept in the cache per member."""

from editions import inbox_cache


class Reads:
    """A stand-in for the query: counts its calls; ``during`` runs inside one, as a commit
    landing between the read and the cache write would."""

    def __init__(self, answer: bool, during=None):
        self.answer, self.during, self.calls = answer, during, 0

    def __call__(self) -> bool:
        self.calls += 1
        if self.during is not None:
            during, self.during = self.during, None
            during()
        return self.answer


def test_the_flag_is_read_once_then_served_from_the_cache(django_user_model, db):
    member = django_user_model.objects.create_user("member")
    read = Reads(False)
    assert inbox_cache.has_unread(member, read) is False
    assert inbox_cache.has_unread(member, read) is False
    assert read.calls == 1


def test_a_change_to_the_members_notifications_is_read_on_the_next_page(
    django_user_model, django_capture_on_commit_callbacks
):
    member = django_user_model.objects.create_user("member")
    inbox_cache.has_unread(member, Reads(False))
    with django_capture_on_commit_callbacks(execute=True):  # the change commits
        inbox_cache.forget([member.pk])
    assert inbox_cache.has_unread(member, Reads(True)) is True


def test_a_none_read_before_a_commit_and_stored_after_it_is_not_believed(
    django_user_model, django_capture_on_commit_callbacks
):
    member = django_user_model.objects.create_user("member")

    def commit_a_mention():
        with django_capture_on_commit_callbacks(execute=True):
            inbox_cache.forget([member.pk])

    stale = Reads(False, during=commit_a_mention)
    assert inbox_cache.has_unread(member, stale) is False  # what the query saw, stored late
    fresh = Reads(True)
    assert inbox_cache.has_unread(member, fresh) is True
    assert fresh.calls == 1


def test_another_members_change_leaves_this_members_flag(
    django_user_model, django_capture_on_commit_callbacks
):
    member = django_user_model.objects.create_user("member")
    other = django_user_model.objects.create_user("other")
    read = Reads(False)
    inbox_cache.has_unread(member, read)
    with django_capture_on_commit_callbacks(execute=True):
        inbox_cache.forget([other.pk])
    inbox_cache.has_unread(member, read)
    assert read.calls == 1
