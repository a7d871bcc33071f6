"""A user signs in, reads the demo documents, adds a French original, imports a record."""

import docx
import pytest
from playwright.sync_api import expect

from editions.models import Document

from .conftest import sign_in

pytestmark = pytest.mark.browser

FRENCH_ORIGINAL = """Après la réunion du 22 octobre, le secrétaire d'État a prié les trois ambassadeurs de rester dans son bureau.

M. Rusk a souligné que la surveillance aérienne avait montré que les bases cubaines continuaient à être construites à un rythme accéléré. Partout ailleurs, la situation était calme.

Il est difficile de dire dès à présent quelle sera l'issue des conversations qui se déroulent au siège des Nations unies.
"""


def _open_cvce_document(page, live_server):
    sign_in(page, live_server)
    page.get_by_role("link", name="The Cuban crisis in French diplomatic documents, 1962").click()
    page.get_by_role("link", name="Letter from Hervé Alphand to Maurice Couve de Murville").click()
    expect(page.locator("h1")).to_contain_text("Letter from Hervé Alphand")


def _preview_the_french_original(page, live_server):
    """On the letter's page, ``FRENCH_ORIGINAL`` typed in as its original and previewed."""
    _open_cvce_document(page, live_server)
    page.get_by_role("link", name="Add a witness").click()
    page.fill("#id_text", FRENCH_ORIGINAL)
    page.select_option("#id_language", "fr")
    page.select_option("#id_role", "original")
    page.get_by_role("button", name="Preview").click()


def test_a_user_reads_a_seed_document_with_its_metadata_and_footnote(
    page, live_server, demo, artifacts
):
    _open_cvce_document(page, live_server)
    metadata = page.locator("#metadata")
    expect(metadata).to_contain_text("T. Nos 5983 to 5985")
    expect(metadata).to_contain_text("Priority, Secret, Limited circulation")
    expect(metadata).to_contain_text("Documents diplomatiques français")
    page.locator(".fn-ref a").first.click()
    expect(page.locator(".segment-footnote:target")).to_contain_text(
        "This telegram of the same date"
    )


def test_a_user_adds_the_french_original_and_reads_both_columns(page, live_server, demo, artifacts):
    _preview_the_french_original(page, live_server)
    expect(page.locator("#preview")).to_contain_text("3 segments")
    page.get_by_role("button", name="Save this witness").click()
    heads = page.locator(".synopsis .cell-head")
    expect(heads).to_have_count(2)
    expect(heads.nth(0)).to_have_attribute("lang", "fr")
    expect(page.locator(".synopsis .cell.col-1").first).to_contain_text(
        "Après la réunion du 22 octobre"
    )
    expect(page.locator(".synopsis .cell.col-2").first).to_contain_text(
        "After the 22 October meeting"
    )
    page.screenshot(path=artifacts / "document-page-1366.png", full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    expect(page.locator(".synopsis .cell.col-1").first).to_be_visible()
    expect(page.locator(".synopsis .cell.col-2").first).to_be_hidden()  # one witness at a time
    page.locator(".witness-switcher a", has_text="CVCE").click()
    expect(page.locator(".synopsis .cell.col-1").first).to_contain_text("After the 22 October")
    page.screenshot(path=artifacts / "document-page-390.png", full_page=True)


def test_a_user_adds_the_french_original_as_a_word_file(page, live_server, demo, tmp_path):
    word = docx.Document()
    word.add_heading("Télégramme", level=1)
    for text in FRENCH_ORIGINAL.strip().split("\n\n"):
        word.add_paragraph(text)
    path = tmp_path / "original-alphand.docx"
    word.save(path)
    _open_cvce_document(page, live_server)
    page.get_by_role("link", name="Add a witness").click()
    page.set_input_files("#id_file", str(path))
    page.select_option("#id_role", "original")
    page.get_by_role("button", name="Preview").click()
    expect(page.locator("#preview")).to_contain_text("4 segments")
    expect(page.locator("#preview")).to_contain_text("Après la réunion du 22 octobre")
    page.get_by_role("button", name="Save this witness").click()
    expect(page.locator(".synopsis .cell-head").nth(0)).to_have_attribute("lang", "fr")
    french = page.locator('.synopsis .cell.col-1[lang="fr"]')
    expect(french.locator("h3")).to_have_text("Télégramme")
    expect(french.nth(2)).to_contain_text("M. Rusk a souligné")


def test_a_user_imports_a_record_through_the_upload_form(
    page, live_server, demo, artifacts, tmp_path
):
    record = tmp_path / "wilson-record.md"
    source = (artifacts.parent.parent / "fixtures" / "wilson-circular-96-1962-11-10.md").read_text()
    record.write_text(source.replace("Circular Telegram No. 96", "Circular Telegram No. 97"))
    sign_in(page, live_server)
    page.get_by_role("link", name="The Cuban crisis in French diplomatic documents, 1962").click()
    page.get_by_role("link", name="Import a document").click()
    page.set_input_files("#id_file", str(record))
    page.get_by_role("button", name="Preview").click()
    preview = page.locator("#preview-document")
    expect(preview).to_contain_text("Circular Telegram No. 97")
    expect(page.locator("#preview-witness")).to_contain_text("Garret J. Martin")
    assert not Document.objects.filter(reference_numbers="Circular Telegram No. 97").exists()
    page.get_by_role("button", name="Save this document").click()
    expect(page.locator("#metadata")).to_contain_text("Circular Telegram No. 97")
    expect(page.locator("#metadata")).to_contain_text("Very Secret")
    # The rows come by pages as the reader scrolls; the footnotes close the document.
    for _page in range(5):
        more = page.locator(".more-after")
        if not more.count():
            break
        last = page.locator(".srow[data-row]").last.get_attribute("data-row")
        more.scroll_into_view_if_needed()
        expect(page.locator(f"#srow-{int(last) + 1}")).to_have_count(1)
    expect(page.locator(".segment-footnote")).to_have_count(7)
    page.screenshot(path=artifacts / "imported-wilson.png", full_page=True)


def test_a_user_signs_out_and_pages_then_ask_to_sign_in(page, live_server, demo):
    sign_in(page, live_server)
    page.get_by_role("button", name="Sign out").click()
    page.goto(f"{live_server.url}/")
    expect(page.locator("h1")).to_have_text("Sign in")


def test_a_bad_upload_is_refused_with_a_message(page, live_server, demo, tmp_path):
    bad = tmp_path / "scan.pdf"
    bad.write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n" + bytes(range(256)))
    sign_in(page, live_server)
    page.get_by_role("link", name="The Cuban crisis in French diplomatic documents, 1962").click()
    page.get_by_role("link", name="Import a document").click()
    page.set_input_files("#id_file", str(bad))
    page.get_by_role("button", name="Preview").click()
    expect(page.locator("#preview .error")).to_contain_text("Nothing was saved")
    assert Document.objects.filter(edition__slug="cuban-crisis-1962").count() == 2
