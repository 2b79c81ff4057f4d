"""The organizer console's moderation forms, and who may use them."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from tests.pages.test_pages import create_event, csrf, join, set_phase


def _topic_ids(client: TestClient, code: str) -> list[str]:
    return re.findall(r'id="mod-(\d+)"', client.get(f"/e/{code}/organize").text)


def test_paper_wall_merge_and_hide_from_the_console(client: TestClient) -> None:
    code, _ = create_event(client)
    for title, marks in (("Genius hour", "4"), ("Genius Hour!", "3"), ("Buy my app", "0")):
        done = client.post(
            f"/e/{code}/organize/topics/paper", data={"title": title, "paper_marks": marks, "csrf_token": csrf(client)}
        )
        assert done.status_code == 200 and "paper marks" in done.text
    console = client.get(f"/e/{code}/organize").text
    assert "Likely duplicates" in console and "Which title stays?" in console
    ids = _topic_ids(client, code)
    assert len(ids) == 3
    rows = dict(re.findall(r'id="mod-(\d+)">\s*<td>([^<]+)', console))
    genius = next(i for i, t in rows.items() if t.strip() == "Genius hour")
    genius2 = next(i for i, t in rows.items() if t.strip() == "Genius Hour!")
    app_id = next(i for i, t in rows.items() if t.strip() == "Buy my app")
    pair = re.search(r'<form[^>]*topics/merge"[^>]*class="merge-pair">(.*?)</form>', console, re.S)
    assert pair is not None
    assert re.findall(r'name="keep_id" value="(\d+)"', pair.group(1)) == [genius, genius2], "either title may stay"
    # The organizer keeps the second title.
    merged = client.post(
        f"/e/{code}/organize/topics/merge",
        data={"topic_a": genius, "topic_b": genius2, "keep_id": genius2, "csrf_token": csrf(client)},
    )
    assert "Merged into “Genius Hour!”" in merged.text
    assert re.search(r'id="mod-' + genius2 + r'">.*?<td>7', merged.text, re.S), "4 + 3 paper marks"
    assert f'id="mod-{genius}"' not in merged.text
    assert re.search(r'topics/unmerge".*?name="topic_id" value="' + genius + r'".*?Undo the merge', merged.text, re.S)
    undone = client.post(f"/e/{code}/organize/topics/unmerge", data={"topic_id": genius, "csrf_token": csrf(client)})
    assert "both on the wall again" in undone.text
    assert re.search(r'id="mod-' + genius + r'">.*?<td>4', undone.text, re.S)
    assert re.search(r'id="mod-' + genius2 + r'">.*?<td>3', undone.text, re.S)
    merged = client.post(
        f"/e/{code}/organize/topics/merge", data={"keep_id": genius, "merge_id": genius2, "csrf_token": csrf(client)}
    )
    assert "Merged into “Genius hour”" in merged.text
    assert re.search(r'id="mod-' + genius + r'">.*?<td>7', merged.text, re.S), "4 + 3 paper marks"
    no_reason = client.post(
        f"/e/{code}/organize/topics/hide", data={"topic_id": app_id, "reason": "", "csrf_token": csrf(client)}
    )
    assert no_reason.status_code == 422 and "reason" in no_reason.text
    hidden = client.post(
        f"/e/{code}/organize/topics/hide",
        data={"topic_id": app_id, "reason": "<b>Sales</b> pitch", "csrf_token": csrf(client)},
    )
    assert hidden.status_code == 200 and "&lt;b&gt;Sales&lt;/b&gt; pitch" in hidden.text
    assert "Off the wall" in hidden.text
    bad_marks = client.post(
        f"/e/{code}/organize/topics/paper", data={"title": "Card", "paper_marks": "many", "csrf_token": csrf(client)}
    )
    assert bad_marks.status_code == 422 and 'value="Card"' in bad_marks.text, "what was typed is kept"
    log = client.get(f"/e/{code}/organize").text
    assert "What organizers did" in log
    assert "hid “Buy my app”: &lt;b&gt;Sales&lt;/b&gt; pitch" in log
    assert "merged “Genius Hour!” into “Genius hour”" in log
    assert "took “Genius hour” back out of “Genius Hour!”" in log


def test_co_organizer_link_shown_once_and_works(client: TestClient) -> None:
    code, _ = create_event(client)
    invited = client.post(f"/e/{code}/organize/organizers", data={"name": "Jo", "csrf_token": csrf(client)})
    assert invited.status_code == 200
    link = re.search(
        r'value="(http://testserver/e/' + code + r'/organize\?key=[^"]+)" aria-label="Jo(?:&#39;|\')s private',
        invited.text,
    )
    assert link is not None, "the new co-organizer's link is on the page"
    assert link.group(1) not in client.get(f"/e/{code}/organize").text, "shown once"
    client.cookies.clear()
    console = client.get(link.group(1).replace("http://testserver", "").replace("&amp;", "&"))
    assert console.status_code == 200 and "(you)" in console.text and "Jo" in console.text


def test_attendees_and_other_events_organizers_reach_no_organizer_action(client: TestClient) -> None:
    code, _ = create_event(client)
    set_phase(client, code, "proposing")
    other_code, _ = create_event(client)  # this browser is now also the organizer of another event
    client.cookies.delete(f"tf_o_{code}")
    join(client, code, "Mallory")
    client.post(f"/e/{code}/topics", data={"title": "Real topic", "csrf_token": csrf(client)})
    topic_id = re.search(r"/topics/(\d+)/mark", client.get(f"/e/{code}").text).group(1)  # type: ignore[union-attr]
    token = csrf(client)
    attempts = {
        "topics/hide": {"topic_id": topic_id, "reason": "gone"},
        "topics/merge": {"keep_id": topic_id, "merge_id": topic_id},
        "topics/paper": {"title": "Stuffed", "paper_marks": "999"},
        "topics/paper-marks": {"topic_id": topic_id, "paper_marks": "999"},
        "topics/facilitators": {"topic_id": topic_id, "attendee_id": "1"},
        "organizers": {"name": "Mallory"},
        "phase": {"phase": "closed"},
        "settings": {"vote_budget": "1"},
        "announcement": {"announcement": "Free pizza"},
    }
    for path, data in attempts.items():
        response = client.post(f"/e/{code}/organize/{path}", data={**data, "csrf_token": token}, follow_redirects=False)
        assert response.status_code == 401, (path, response.status_code)
    # The other event's organizer cookie does not open this event's console either.
    assert client.cookies.get(f"tf_o_{other_code}")
    assert "Sign in" in client.get(f"/e/{code}/organize").text or "password" in client.get(f"/e/{code}/organize").text
    wall = client.get(f"/e/{code}").text
    assert "Real topic" in wall and "Stuffed" not in wall


def test_typing_a_title_offers_similar_topics_and_authors_see_why_theirs_was_hidden(client: TestClient) -> None:
    code, _ = create_event(client)  # this browser is the organizer, and joins as an attendee too
    set_phase(client, code, "proposing")
    join(client, code, "Ana")
    client.post(f"/e/{code}/topics", data={"title": "Thinking classrooms in math", "csrf_token": csrf(client)})
    client.post(f"/e/{code}/topics", data={"title": "<script>x</script> sales", "csrf_token": csrf(client)})
    offered = client.get(
        f"/e/{code}/topics/similar", params={"title": "thinking classroom"}, headers={"HX-Request": "true"}
    )
    assert offered.status_code == 200 and "Thinking classrooms in math" in offered.text
    assert "Mark this one instead" in offered.text and "Offer to co-facilitate" in offered.text
    assert "sales" not in offered.text and "<html" not in offered.text
    nothing = client.get(f"/e/{code}/topics/similar", params={"title": "xyzzy plugh"})
    assert "Already on the wall" not in nothing.text
    rows = {
        t.strip(): i for i, t in re.findall(r'id="mod-(\d+)">\s*<td>([^<]+)', client.get(f"/e/{code}/organize").text)
    }
    sales_id = next(i for t, i in rows.items() if t.endswith("sales"))
    client.post(
        f"/e/{code}/organize/topics/hide",
        data={"topic_id": sales_id, "reason": "Sales pitches are not sessions", "csrf_token": csrf(client)},
    )
    my_day = client.get(f"/e/{code}/my").text
    assert "took off the wall" in my_day and "Sales pitches are not sessions" in my_day
    assert "&lt;script&gt;x&lt;/script&gt; sales" in my_day


def test_organizer_edits_a_topic_in_any_phase(client: TestClient) -> None:
    code, _ = create_event(client)
    client.post(
        f"/e/{code}/organize/topics/paper", data={"title": "math tlaks", "paper_marks": "1", "csrf_token": csrf(client)}
    )
    set_phase(client, code, "scheduled")
    topic_id = _topic_ids(client, code)[0]
    saved = client.post(
        f"/e/{code}/organize/topics/edit",
        data={
            "topic_id": topic_id,
            "title": "Math talks",
            "description": "Number sense",
            "tags": "K-5",
            "csrf_token": csrf(client),
        },
    )
    assert saved.status_code == 200 and "Saved “Math talks”" in saved.text
    assert "edited “math tlaks” (now “Math talks”)" in saved.text
    empty = client.post(
        f"/e/{code}/organize/topics/edit", data={"topic_id": topic_id, "title": " ", "csrf_token": csrf(client)}
    )
    assert empty.status_code == 422 and "title" in empty.text
