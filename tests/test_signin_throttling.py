"""Sign-in throttling (django-axes): ten wrong passwords, and the eleventh try is refused."""

import io

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

LOGIN = "/accounts/login/"
PASSWORD = "a-long-and-right-password"


@pytest.fixture
def scholar(db):
    return get_user_model().objects.create_user("scholar", password=PASSWORD)


def sign_in(client, password, username="scholar", **extra):
    return client.post(LOGIN, {"username": username, "password": password}, **extra)


def fail_ten_times(client, username="scholar"):
    for _ in range(9):
        response = sign_in(client, "wrong", username=username)
        assert response.status_code == 200
        assert "didn't match" in response.content.decode()
    return sign_in(client, "wrong", username=username)


def test_the_tenth_wrong_password_locks_and_the_eleventh_try_is_refused_even_if_right(
    client, scholar
):
    tenth = fail_ten_times(client)
    assert tenth.status_code == 429
    eleventh = sign_in(client, PASSWORD)
    assert eleventh.status_code == 429
    page = eleventh.content.decode()
    assert 'id="signin-locked"' in page
    assert "Too many failed sign-ins (10) for this user name" in page
    assert "30 minutes" in page
    assert 'name="username"' in page and 'value="scholar"' in page  # the form stays
    assert "_auth_user_id" not in client.session


def test_the_refusal_is_in_french_for_a_french_reader(client, scholar):
    fail_ten_times(client)
    response = sign_in(client, PASSWORD, headers={"Accept-Language": "fr"})
    assert response.status_code == 429
    assert "Trop de connexions échouées (10) pour ce nom d’utilisateur" in response.content.decode()


def test_nine_wrong_passwords_then_the_right_one_signs_in_and_clears_the_count(client, scholar):
    for _ in range(9):
        sign_in(client, "wrong")
    response = sign_in(client, PASSWORD)
    assert response.status_code == 302
    assert not AccessAttempt.objects.filter(username="scholar").exists()


def test_another_user_name_from_the_same_address_is_not_locked(client, scholar):
    get_user_model().objects.create_user("colleague", password=PASSWORD)
    fail_ten_times(client)
    assert sign_in(client, PASSWORD, username="colleague").status_code == 302


def test_axes_reset_releases_the_lock(client, scholar):
    fail_ten_times(client)
    call_command("axes_reset", stdout=io.StringIO())
    assert sign_in(client, PASSWORD).status_code == 302


def test_an_admin_releases_the_lock_by_deleting_the_access_attempt(client, scholar):
    fail_ten_times(client)
    attempt = AccessAttempt.objects.get(username="scholar")
    admin = get_user_model().objects.create_superuser("admin", password=PASSWORD)
    admin_client = type(client)()
    admin_client.force_login(admin)
    listing = admin_client.get(reverse("admin:axes_accessattempt_changelist"))
    assert listing.status_code == 200 and "scholar" in listing.content.decode()
    delete_url = reverse("admin:axes_accessattempt_delete", args=[attempt.pk])
    assert admin_client.post(delete_url, {"post": "yes"}).status_code == 302
    assert sign_in(client, PASSWORD).status_code == 302


def test_successful_sign_ins_leave_no_row_behind(client, scholar):
    from axes.models import AccessLog

    for _ in range(3):
        assert sign_in(client, PASSWORD).status_code == 302
        client.post("/accounts/logout/")
    assert not AccessLog.objects.exists()
    assert not AccessAttempt.objects.exists()
