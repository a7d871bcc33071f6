"""The deployed settings plus one URL: the bare view the pages are measured against."""

from workbench.settings import *  # noqa: F403

ROOT_URLCONF = "benchmarks.urls"
