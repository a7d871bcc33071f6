"""The admin: every model's list and change pages open, on the demo and on a small edition."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from editions.models import Segment, Witness

ADMIN_MODELS = ["edition", "membership", "document", "witness", "segment", "footnoteref"]


@pytest.mark.django_db
@pytest.mark.parametrize("model", ADMIN_MODELS)
def test_the_admin_lists_and_opens_every_model(demo_loaded, client, model):
    admin = get_user_model().objects.create_superuser("admin", "a@example.org", "pw-admin-1962")
    client.force_login(admin)
    listing = client.get(reverse(f"admin:editions_{model}_changelist"))
    assert listing.status_code == 200
    model_class = listing.context["cl"].model
    obj = model_class.objects.first()
    assert client.get(reverse(f"admin:editions_{model}_change", args=[obj.pk])).status_code == 200


@pytest.mark.parametrize("model", ["category", "annotation", "alignment", "exportjob"])
def test_the_admin_shows_annotations_alignments_and_export_jobs(client, document, model):
    from editions.alignment_store import create_alignment
    from editions.annotating import Span, create_annotation, ensure_categories
    from editions.models import ExportJob

    owner = get_user_model().objects.get(username="owner")
    ensure_categories(document.edition)
    translation = document.witnesses.get()
    segment = translation.segments.get(sid="p1")
    create_annotation(user=owner, document=document, spans=[Span(segment, 0, 4)], body="A **note**")
    original = Witness.objects.create(document=document, slug="fr", language="fr", role="original")
    Segment.objects.create(witness=original, sid="p1", position=1, text="Un texte.")
    create_alignment(document, original, translation, owner)
    ExportJob.objects.create(edition=document.edition, formats=["tei"], base_url="http://x/")
    admin = get_user_model().objects.create_superuser("admin", "a@example.org", "pw-admin-1962")
    client.force_login(admin)
    listing = client.get(reverse(f"admin:editions_{model}_changelist"))
    assert listing.status_code == 200
    obj = listing.context["cl"].model.objects.first()
    assert client.get(reverse(f"admin:editions_{model}_change", args=[obj.pk])).status_code == 200
