"""The JSON-LD export as a generic Web Annotation client reads it.

pyld expands it with the W3C context (the copy in ../shared, through a local document
loader: no network); each target's ``source`` is fetched like any client would and its
``TextPositionSelector`` offsets must select the quoted words; replies are annotations
replying to theirs; an orphan keeps its quote and no stale position.
"""

import copy
import json
import subprocess
import sys

import pytest
from pyld import jsonld

from editions.exporters import export_document

from .export_fixtures import PRIVATE_NOTE, annotated_fixture  # noqa: F401

# Slow: the W3C test schemas over every item.
pytestmark = pytest.mark.slow

ANNO = "http://www.w3.org/ns/anno.jsonld"
OA = "http://www.w3.org/ns/oa#"


@pytest.fixture
def collection(annotated) -> dict:
    return json.loads(export_document(annotated.document, "jsonld", "http://testserver/").data)


@pytest.fixture
def loader(shared_dir):
    context = json.loads((shared_dir / "schemas" / "w3c-annotation" / "anno.jsonld").read_text())

    def load(url, options=None):
        if url.rstrip("/") != ANNO:
            raise jsonld.JsonLdError(f"No network here: {url}", "loading document failed")
        return {"contextUrl": None, "documentUrl": url, "document": copy.deepcopy(context)}

    return load


def _items(collection) -> list[dict]:
    return collection["first"]["items"]


def test_pyld_expands_every_annotation_with_the_w3c_context(collection, loader):
    expanded = jsonld.expand(collection, {"documentLoader": loader})
    annotations = [
        node
        for node in _walk(expanded)
        if isinstance(node, dict) and f"{OA}Annotation" in node.get("@type", [])
    ]
    assert len(annotations) == len(_items(collection)) == 6
    for node in annotations:
        assert node[f"{OA}hasTarget"] and node[f"{OA}motivatedBy"]
    motivations = {n[f"{OA}motivatedBy"][0]["@id"] for n in annotations}
    assert motivations == {f"{OA}commenting", f"{OA}replying"}


def _walk(value):
    yield value
    if isinstance(value, dict):
        for item in value.values():
            yield from _walk(item)
    elif isinstance(value, list):
        for item in value:
            yield from _walk(item)


def test_each_position_selector_selects_its_quote_in_the_fetched_source(collection, client_as):
    client = client_as("reader")
    checked = 0
    for item in _items(collection):
        targets = item["target"] if isinstance(item["target"], list) else [item["target"]]
        for target in targets:
            if isinstance(target, str):
                continue  # a reply targets its annotation
            selectors = {s["type"]: s for s in target["selector"]}
            if "TextPositionSelector" not in selectors:
                continue
            answer = client.get(target["source"])
            assert answer.status_code == 200
            assert answer["Content-Type"] == "text/plain; charset=utf-8"
            text = answer.content.decode()
            position = selectors["TextPositionSelector"]
            quote = selectors["TextQuoteSelector"]
            assert text[position["start"] : position["end"]] == quote["exact"]
            assert text[: position["start"]].endswith(quote.get("prefix", ""))
            assert text[position["end"] :].startswith(quote.get("suffix", ""))
            checked += 1
    assert checked == 5  # every anchored target, in both texts and in a footnote


def test_a_segment_text_is_private_to_those_who_may_read_the_edition(collection, client_as):
    source = next(t for t in _items(collection)[0]["target"])["source"]
    assert client_as("outsider").get(source).status_code == 404


def test_replies_are_annotations_replying_to_their_annotation(collection):
    items = _items(collection)
    ids = {item["id"] for item in items}
    replies = [item for item in items if item["motivation"] == "replying"]
    assert len(replies) == 1
    reply = replies[0]
    assert reply["target"] in ids and reply["body"]["value"] == "Agreed, and see the **index**."
    assert reply["creator"]["nickname"] == "editor"
    replied = next(item for item in items if item["id"] == reply["target"])
    assert replied["body"][0]["value"].startswith("Dean *Rusk*")


def test_an_orphan_keeps_its_quote_and_no_stale_position(collection):
    orphan = next(
        item
        for item in _items(collection)
        if isinstance(item.get("body"), list)
        and item["body"][0]["value"] == "The telegram numbers."
    )
    selectors = orphan["target"][0]["selector"]
    assert [s["type"] for s in selectors] == ["TextQuoteSelector"]
    assert selectors[0]["exact"] == "telegram"


def test_every_item_passes_the_w3c_annotation_tests(collection, shared_dir, tmp_path):
    tool = shared_dir / "tools" / "validate_w3c_annotation.py"
    assert PRIVATE_NOTE not in json.dumps(collection)
    for item in _items(collection):
        path = tmp_path / "item.json"
        path.write_text(json.dumps(item))
        result = subprocess.run(
            [sys.executable, str(tool), str(path)], capture_output=True, text=True
        )
        assert result.returncode == 0, result.stdout + result.stderr
