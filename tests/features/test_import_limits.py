"""import_content refuses what is too big to be content, saying where and what the limit is."""

import json

import pytest
from django.core.management import CommandError

from features.content_io import ImportFailed, import_content
from features.content_io.format import MAX_TEXT_LENGTH
from features.content_io.problems import MAX_PROBLEMS
from features.content_io.read import MAX_FILE_BYTES
from features.models import Feature
from tests.features.test_imports import launch_document, refused, run_import, write

pytestmark = pytest.mark.django_db


def problems_of(path, **options) -> list[str]:
    with pytest.raises(ImportFailed) as failure:
        import_content(path, **options)
    return [str(problem) for problem in failure.value.problems]


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(db, tmp_path, snapshot):
    before = snapshot()
    text = json.dumps(launch_document())
    path = write(tmp_path, text + " " * (160_000 - len(text.encode())))
    assert problems_of(path, max_bytes=100_000) == [
        f"{path}: the file is 0.2 MB; the limit is 0.1 MB (import_content --max-size raises it)"
    ]
    assert "the limit is 10,000 bytes" in refused(path, "--max-size", "0.01")
    assert snapshot() == before


def test_the_size_limit_is_an_option_of_the_command(db, tmp_path):
    big = launch_document()
    big["features"][0]["body"]["en"] = "Long. " * 3_000  # 18,000 characters: a long body
    path = write(tmp_path, big)
    assert "features: 13 created" in run_import(path, "--max-size", "1")
    for bad in ("0", "-1", "lots", "nan", "inf"):
        with pytest.raises(CommandError, match="expected a size in MB"):
            run_import(path, "--max-size", bad)


def test_the_default_size_limit_fits_ten_thousand_features():
    document = launch_document()
    longest = max(document["features"], key=lambda f: len(json.dumps(f, ensure_ascii=False)))
    one = json.dumps(longest, ensure_ascii=False, indent=2).encode()
    rest = json.dumps({**document, "features": []}, ensure_ascii=False, indent=2).encode()
    assert len(rest) + 10_000 * (len(one) + 2) < MAX_FILE_BYTES


def test_a_huge_text_is_reported_with_its_place_and_never_written(launch_content, tmp_path):
    document = launch_document()
    document["features"][2]["body"]["ja"] = "長" * 5_000_000  # 15 MB, within the file limit
    assert problems_of(write(tmp_path, document)) == [
        "features[2].body.ja: is 5,000,000 characters long; the limit is 20,000"
    ]
    assert not Feature.objects.filter(body_ja__startswith="長長").exists()
    document["features"][2]["body"]["ja"] = "長" * 50_000_000  # the 50 MB text of the report
    assert problems_of(write(tmp_path, document)) == [
        f"{tmp_path / 'content.json'}: the file is 150 MB; the limit is 32 MB "
        "(import_content --max-size raises it)"
    ]


def test_a_text_at_the_limit_is_imported(launch_content, tmp_path):
    document = launch_document()
    document["features"][2]["body"]["en"] = "x" * MAX_TEXT_LENGTH
    run_import(write(tmp_path, document))
    assert len(Feature.objects.get(slug=document["features"][2]["slug"]).body_en) == 20_000


def test_a_name_longer_than_its_field_is_reported_with_its_limit(launch_content, tmp_path):
    document = launch_document()
    document["features"][0]["name"] = "N" * 1_000
    assert problems_of(write(tmp_path, document)) == [
        "features[0].name: is 1,000 characters long; the limit is 200"
    ]


def _nested(depth: int) -> str:
    return "[" * depth + "]" * depth


@pytest.mark.parametrize("depth", [10, 500, 5_000, 100_000])
@pytest.mark.parametrize("where", ["complete", "features", "related"])
def test_deep_nesting_is_reported_not_raised(db, tmp_path, depth, where):
    value = _nested(depth)
    if where == "related":
        value = '[{"slug": "x", "related": ' + value + "}]"
        where = "features"
    text = '{"schema_version": 1, "' + where + '": ' + value + "}"
    problems = problems_of(write(tmp_path, text))
    assert problems and all(len(problem) < 300 for problem in problems)


@pytest.mark.parametrize(
    "make",
    [
        lambda: {"schema_version": 1, "features": [{}] * 200_000},
        lambda: {"schema_version": 1, "areas": [1] * 1_000_000},
        lambda: {"schema_version": 1, "features": [{"related": [None] * 1_000_000}]},
    ],
)
def test_huge_lists_are_reported_in_a_bounded_list_of_problems(db, tmp_path, make):
    problems = problems_of(write(tmp_path, make()))
    assert len(problems) == MAX_PROBLEMS + 1
    assert problems[-1] == f"…: more problems not listed (the first {MAX_PROBLEMS} are)"
