"""The deployed settings plus one URL, the bare view the pages are measured against, and the
benchmark commands (``manage.py align_benchmark --settings benchmarks.settings``): they live
here, out of the installed package."""

from workbench.settings import *  # noqa: F403
from workbench.settings import INSTALLED_APPS

ROOT_URLCONF = "benchmarks.urls"
INSTALLED_APPS = [*INSTALLED_APPS, "benchmarks"]
