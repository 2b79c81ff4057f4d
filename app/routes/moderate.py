"""The console's topic forms: hide, restore, tidy, merge and unmerge topics, paper cards, facilitators."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response

from app.deps import CsrfChecked
from app.domain import moderation
from app.domain.errors import DomainError
from app.i18n import _, ngettext
from app.routes import forms
from app.routes.organizing import ConsoleDep

router = APIRouter(prefix="/e/{code}/organize/topics")


@router.post("/hide", name="topic_hide", dependencies=[CsrfChecked])
def topic_hide(console: ConsoleDep) -> Response:
    """Take a topic off the wall, with a reason its author sees."""

    def hide(form: forms.TopicReasonForm) -> str:
        topic = moderation.hide_topic(
            console.session, event=console.event, topic_id=form.topic_id, reason=form.reason, actor=console.organizer
        )
        return _("Hid “{title}”.").format(title=topic.title)

    return console.run(forms.TopicReasonForm, hide, "#topics", open_form="hide")


@router.post("/edit", name="topic_moderate_edit", dependencies=[CsrfChecked])
def topic_moderate_edit(console: ConsoleDep) -> Response:
    """Tidy a topic's title, description, tags or language (any phase)."""

    def edit(form: forms.ModerateEditForm) -> str:
        topic = moderation.edit_topic(
            console.session,
            event=console.event,
            topic_id=form.topic_id,
            title=form.title,
            description=form.description,
            tags=form.tags,
            language=form.language,
            actor=console.organizer,
        )
        return _("Saved “{title}”.").format(title=topic.title)

    return console.run(forms.ModerateEditForm, edit, "#topics", open_form="edit")


@router.post("/restore", name="topic_restore", dependencies=[CsrfChecked])
def topic_restore(console: ConsoleDep) -> Response:
    """Put a hidden or withdrawn topic back on the wall."""

    def restore(form: forms.TopicIdForm) -> str:
        topic = moderation.restore_topic(
            console.session, event=console.event, topic_id=form.topic_id, actor=console.organizer
        )
        return _("“{title}” is back on the wall.").format(title=topic.title)

    return console.run(forms.TopicIdForm, restore, "#topics")


@router.post("/merge", name="topic_merge", dependencies=[CsrfChecked])
def topic_merge(console: ConsoleDep) -> Response:
    """Merge a duplicate into the topic that stays; marks are united. A likely pair sends both ids
    (topic_a, topic_b) and the organizer's choice of the title that stays (keep_id)."""

    def merge(form: forms.MergeForm) -> tuple[str, dict[str, str]]:
        merge_id = form.merging()
        keep = moderation.merge_topics(
            console.session, event=console.event, keep_id=form.keep_id, merge_id=merge_id, actor=console.organizer
        )
        return _("Merged into “{title}”.").format(title=keep.title), {"undo": str(merge_id)}

    return console.run(forms.MergeForm, merge, "#topics")


@router.post("/unmerge", name="topic_unmerge", dependencies=[CsrfChecked])
def topic_unmerge(console: ConsoleDep) -> Response:
    """Undo a merge: both topics are on the wall again with their own marks."""

    def unmerge(form: forms.TopicIdForm) -> str:
        back, into = moderation.unmerge_topic(
            console.session, event=console.event, topic_id=form.topic_id, actor=console.organizer
        )
        return _("Undone: “{one}” and “{other}” are both on the wall again, with their own marks.").format(
            one=back.title, other=into.title
        )

    return console.run(forms.TopicIdForm, unmerge, "#topics")


@router.post("/paper", name="topic_paper", dependencies=[CsrfChecked])
def topic_paper(console: ConsoleDep) -> Response:
    """Type in a card from the paper wall with its hand-counted marks; the next card's form opens."""
    try:
        form = forms.PaperTopicForm.parse(console.form)
        topic = moderation.add_paper_topic(
            console.session,
            event=console.event,
            title=form.title,
            paper_marks=form.paper_marks,
            tags=form.tags,
            actor=console.organizer,
        )
    except DomainError as error:
        typed = forms.kept(console.form)
        paper_form = {key: typed.get(key, "") for key in forms.PaperTopicForm.model_fields}
        return console.page(error=error, paper_form=paper_form, section="topics")
    added = ngettext(
        "Added “{title}” with {n} paper mark.", "Added “{title}” with {n} paper marks.", topic.paper_marks
    ).format(title=topic.title, n=topic.paper_marks)
    return console.back(added, "#topics", paper="next")


@router.post("/paper-marks", name="topic_paper_marks", dependencies=[CsrfChecked])
def topic_paper_marks(console: ConsoleDep) -> Response:
    """Correct a topic's hand-counted paper marks."""

    def count(form: forms.PaperMarksForm) -> str:
        topic = moderation.set_paper_marks(
            console.session,
            event=console.event,
            topic_id=form.topic_id,
            paper_marks=form.paper_marks,
            actor=console.organizer,
        )
        return ngettext("“{title}” has {n} paper mark.", "“{title}” has {n} paper marks.", topic.paper_marks).format(
            title=topic.title, n=topic.paper_marks
        )

    return console.run(forms.PaperMarksForm, count, "#topics", open_form="paper")


@router.post("/facilitators", name="topic_facilitators", dependencies=[CsrfChecked])
def topic_facilitators(console: ConsoleDep) -> Response:
    """Assign (action=assign) or remove (action=remove) a facilitator."""

    def change(form: forms.FacilitatorForm) -> str:
        removing = form.action == "remove"
        act = moderation.remove_facilitator if removing else moderation.assign_facilitator
        act(
            console.session,
            event=console.event,
            topic_id=form.topic_id,
            attendee_id=form.attendee_id,
            actor=console.organizer,
        )
        return _("Facilitator removed.") if removing else _("Facilitator assigned.")

    return console.run(forms.FacilitatorForm, change, "#people")
