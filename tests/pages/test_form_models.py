"""The browser forms' models (app/routes/forms.py): fields read as a person types them, and every
field that cannot be read refused at once, named as the API names it."""

from __future__ import annotations

import io

import pytest
from starlette.datastructures import FormData, UploadFile

from app.domain.errors import InvalidInput
from app.routes import forms


def test_a_missing_field_is_an_empty_one_and_the_csrf_token_is_ignored() -> None:
    typed = forms.ProposeForm.parse(FormData([("title", "Podcasts in class"), ("csrf_token", "x")]))
    assert typed == forms.ProposeForm(title="Podcasts in class", description="", tags="", facilitate=False)


def test_a_checkbox_is_on_when_sent_as_browsers_send_it() -> None:
    assert forms.ProposeForm.parse(FormData([("facilitate", "on")])).facilitate is True
    assert forms.ProposeForm.parse(FormData([("facilitate", "")])).facilitate is False


def test_numbers_are_whole_and_optional_ones_may_be_left_empty() -> None:
    rules = forms.MarkingRulesForm.parse(FormData([("vote_budget", " 5 "), ("facilitator_limit", "")]))
    assert (rules.vote_budget, rules.facilitator_limit, rules.min_interest) == (5, None, None)


def test_every_refused_field_is_named_at_once_with_the_words_the_page_shows() -> None:
    with pytest.raises(InvalidInput) as refused:
        forms.MarkingRulesForm.parse(
            FormData([("vote_budget", "five"), ("min_interest", "1234567890"), ("hide_counts", "on")])
        )
    assert [(e.field, e.message) for e in refused.value.field_errors] == [
        ("vote_budget", "'five' is not a whole number"),
        ("min_interest", "'1234567890' is not a whole number"),
    ]
    assert str(refused.value) == (
        "vote_budget: 'five' is not a whole number. min_interest: '1234567890' is not a whole number."
    )


def test_a_control_character_is_refused_naming_its_field_and_bidi_overrides_are_dropped() -> None:
    with pytest.raises(InvalidInput) as refused:
        forms.TopicForm.parse(FormData([("title", "ok"), ("tags", "a\x07b")]))
    assert [e.field for e in refused.value.field_errors] == ["tags"]
    assert "control character (U+0007)" in refused.value.field_errors[0].message
    assert forms.TopicForm.parse(FormData([("title", "a\u202eb")])).title == "ab"


def test_repeated_fields_are_rows_and_a_bad_row_is_named_by_its_index() -> None:
    typed = forms.NewEventForm.parse(
        FormData(
            [
                ("room_name", "Library"),
                ("room_capacity", "30"),
                ("room_features", "projector, sink"),
                ("room_name", "Gym"),
                ("slot_start", "09:00"),
                ("slot_end", "09:45"),
            ]
        )
    )
    assert [(r.name, r.capacity, r.features) for r in typed.rooms()] == [
        ("Library", "30", ["projector", "sink"]),
        ("Gym", "", []),
    ]
    assert [(s.start, s.end) for s in typed.slots()] == [("09:00", "09:45")]
    with pytest.raises(InvalidInput) as refused:
        forms.NewEventForm.parse(FormData([("room_name", "ok"), ("room_name", "bad\x00")]))
    assert [e.field for e in refused.value.field_errors] == ["room_name[1]"]


def test_a_file_sent_where_text_belongs_reads_as_no_text() -> None:
    upload = UploadFile(file=io.BytesIO(b"x"), filename="x.txt")
    assert forms.NameForm.parse(FormData([("name", upload)])).name == ""


@pytest.mark.parametrize(
    ("fields", "target"), [([("cell", "3:7")], (3, 7)), ([("room_id", "3"), ("slot_id", "7")], (3, 7))]
)
def test_a_cell_is_chosen_from_the_menu_or_by_a_drag(fields: list[tuple[str, str]], target: tuple[int, int]) -> None:
    assert forms.CellForm.parse(FormData(fields)).target() == target


@pytest.mark.parametrize(
    ("fields", "field"), [([("cell", "3:x")], "cell"), ([], "cell"), ([("room_id", "3")], "slot_id")]
)
def test_a_cell_that_is_not_one_is_refused_naming_the_field(fields: list[tuple[str, str]], field: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        forms.CellForm.parse(FormData(fields)).target()
    assert refused.value.field == field


def test_a_merge_names_the_topic_that_goes() -> None:
    pair = forms.MergeForm.parse(FormData([("keep_id", "4"), ("topic_a", "4"), ("topic_b", "9")]))
    assert pair.merging() == 9
    chosen = forms.MergeForm.parse(FormData([("keep_id", "4"), ("merge_id", "6")]))
    assert chosen.merging() == 6
    with pytest.raises(InvalidInput) as refused:
        forms.MergeForm.parse(FormData([("keep_id", "4")])).merging()
    assert refused.value.field == "merge_id"
