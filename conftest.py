"""Suite-wide test settings (the repository root is on pytest's rootdir)."""


def pytest_configure(config):
    from django.conf import settings

    # Hashing passwords properly costs most of a view test's time; tests need no strength.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
