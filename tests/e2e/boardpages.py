"""What the board and print tests read on a page: geometry, colours, pages; and events built over the API."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import httpx
from playwright.sync_api import Page

# The contrast of an element's text against what is really behind it: the first ancestor with an
# opaque background, or white paper when there is none (and always paper when printing, since
# browsers leave backgrounds out of print unless a page forces them).
CONTRAST = """([selector, paper]) => {
  const rgb = s => { const m = s.match(/[\\d.]+/g).map(Number); return {r: m[0], g: m[1], b: m[2], a: m.length > 3 ? m[3] : 1}; };
  const lum = c => { const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
                     return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b); };
  const behind = el => {
    if (paper) return {r: 255, g: 255, b: 255, a: 1};
    for (let e = el; e; e = e.parentElement) { const c = rgb(getComputedStyle(e).backgroundColor); if (c.a > 0.5) return c; }
    const root = rgb(getComputedStyle(document.documentElement).backgroundColor);
    return root.a > 0.5 ? root : {r: 255, g: 255, b: 255, a: 1};
  };
  return [...document.querySelectorAll(selector)].map(el => {
    const fg = rgb(getComputedStyle(el).color), bg = behind(el);
    const [hi, lo] = [lum(fg), lum(bg)].sort((a, b) => b - a);
    return {text: el.textContent.trim(), color: getComputedStyle(el).color, ratio: (hi + 0.05) / (lo + 0.05)};
  });
}"""

# Every title on the board with its box, the viewport, its font size, its words and whether one
# of them is wider than the box (a title whose word overflows must be broken or cut).
TITLES = """(selector) => {
  const out = [];
  for (const el of document.querySelectorAll(selector)) {
    const r = el.getBoundingClientRect(), style = getComputedStyle(el);
    const visible = r.width > 0 && r.height > 0 && style.visibility !== 'hidden' && !el.closest('[hidden]');
    let widest = 0;
    if (visible) {
      const probe = document.createElement('span');
      probe.style.cssText = 'position:absolute;visibility:hidden;white-space:nowrap;font:inherit;letter-spacing:inherit';
      el.appendChild(probe);
      for (const word of el.textContent.trim().split(/\\s+/)) { probe.textContent = word; widest = Math.max(widest, probe.getBoundingClientRect().width); }
      probe.remove();
    }
    // The box the title may use: its own, clipped by every ancestor that hides overflow.
    let clip = {left: 0, top: 0, right: innerWidth, bottom: innerHeight};
    for (let e = el.parentElement; e; e = e.parentElement) {
      const s = getComputedStyle(e);
      if (s.overflow !== 'visible' || s.overflowX !== 'visible' || s.overflowY !== 'visible') {
        const b = e.getBoundingClientRect();
        clip = {left: Math.max(clip.left, b.left), top: Math.max(clip.top, b.top),
                right: Math.min(clip.right, b.right), bottom: Math.min(clip.bottom, b.bottom)};
      }
    }
    out.push({text: el.textContent.trim(), visible, left: r.left, top: r.top, right: r.right, bottom: r.bottom,
              width: el.clientWidth, scrollWidth: el.scrollWidth, scrollHeight: el.scrollHeight, height: el.clientHeight,
              widest, fontSize: parseFloat(style.fontSize), clip,
              wrap: style.overflowWrap, wordBreak: style.wordBreak, hyphens: style.hyphens});
  }
  return out;
}"""


def contrast(page: Page, selector: str, *, paper: bool = False) -> list[dict[str, Any]]:
    """The text contrast of each element matching ``selector`` (against paper when ``paper``)."""
    return page.evaluate(CONTRAST, [selector, paper])  # type: ignore[no-any-return]


def titles(page: Page, selector: str) -> list[dict[str, Any]]:
    return page.evaluate(TITLES, selector)  # type: ignore[no-any-return]


def boxes(page: Page, selector: str) -> list[dict[str, float]]:
    """The bounding boxes of the visible elements matching ``selector``."""
    return page.evaluate(
        """(s) => [...document.querySelectorAll(s)].filter(e => e.getClientRects().length)
      .map(e => { const r = e.getBoundingClientRect(); return {left: r.left, top: r.top, right: r.right, bottom: r.bottom,
                  text: e.textContent.trim().slice(0, 40)}; })""",
        selector,
    )  # type: ignore[no-any-return]


def overlaps(a: dict[str, float], b: dict[str, float]) -> bool:
    return (
        a["left"] < b["right"] - 0.5
        and b["left"] < a["right"] - 0.5
        and a["top"] < b["bottom"] - 0.5
        and b["top"] < a["bottom"] - 0.5
    )


@dataclass
class BuiltEvent:
    code: str
    token: str  # the organizer's bearer token
    organize: str  # the organizer's private link
    rooms: list[dict[str, Any]]
    slots: list[dict[str, Any]]
    titles: list[str]


TITLES_POOL = [
    "Math talks in a multilingual classroom",
    "Standards-based grading: what actually changed",
    "AI in lesson planning without losing your voice",
    "Restorative circles that students run",
    "Thinking classrooms: vertical whiteboards",
    "Phonics after the science of reading",
    "Project-based learning on a budget",
    "Co-teaching with special education",
    "Student podcasts for history",
    "Outdoor science with no equipment",
    "Grading less, feeding back more",
    "Newcomer students in the first month",
    "Chromebooks: apps worth keeping",
    "Reading workshop in middle school",
    "Building a maker space from donations",
    "Teacher burnout: what helps",
    "Family conferences led by students",
    "Coding without computers",
    "Debate in every subject",
    "Data walls that don't shame",
    "Escape rooms for review",
    "Mindfulness minutes",
    "Teaching climate change with local data",
    "Discourse norms for math",
    "Music across the curriculum",
    "Restorative practices in the cafeteria",
    "Interdisciplinary units with the science department",
    "Multilingual families as partners",
    "Social-emotional learning in advisory",
    "Sketchnoting for every learner",
    "Universal Design for Learning, really",
    "Peer observation without evaluation",
    "Classroom libraries that reflect students",
    "Mock trials in civics",
    "Formative assessment with mini whiteboards",
    "Homework: keep it, change it, drop it?",
    "Gardening as a science lab",
    "Choice boards for differentiation",
    "Supporting students with anxiety",
    "Financial literacy in middle school",
    "Computational thinking in kindergarten",
    "Attendance: what brings kids back",
    "Trauma-informed classroom routines",
    "Writing conferences in ten minutes",
    "Student-led data chats",
    "Inquiry-based social studies",
    "Field trips on zero dollars",
    "Microcredentials for teachers",
    "Mentoring first-year teachers",
    "Bilingual labels and word walls",
    "Engineering design challenges",
    "Cell phones: policies that work",
    "Read-alouds for older students",
    "Makerspace safety basics",
    "Collaborative grading with rubrics",
    "Esports club as a community",
    "Poetry slams in English class",
    "Accessible field days",
    "Visible thinking routines",
    "Community partnerships for internships",
]


def topic_titles(n: int) -> list[str]:
    """``n`` distinct, plausible titles (the pool, then numbered repeats of it)."""
    return [
        TITLES_POOL[i % len(TITLES_POOL)] + (f" ({i // len(TITLES_POOL) + 1})" if i >= len(TITLES_POOL) else "")
        for i in range(n)
    ]


def build_event(
    base: str,
    *,
    rooms: int,
    slots: int,
    topics: int,
    publish: bool,
    name: str = "Edcamp Big Board",
    seconds: int = 3,
    date: str = "2027-03-13",
    zone: str = "America/Chicago",
    slot_times: list[dict[str, str]] | None = None,
) -> BuiltEvent:
    """An event made the way another tool would, over the JSON API: rooms, slots, people, topics, marks;
    with ``publish`` the schedule is built (a short solve) and published."""
    with httpx.Client(base_url=base, timeout=60) as http:
        body = {
            "name": name,
            "date": date,
            "timezone": zone,
            "rooms": [
                {"name": f"Room {100 + i}" if i % 3 else f"Library wing {i + 1}", "capacity": 30 + i}
                for i in range(rooms)
            ],
            "slots": slot_times or [{"start": f"{9 + i:02d}:00", "end": f"{9 + i:02d}:50"} for i in range(slots)],
        }
        created = http.post("/api/v1/events", json=body).raise_for_status().json()
        code, org = created["code"], {"Authorization": f"Bearer {created['organizer_token']}"}
        http.post(f"/api/v1/events/{code}/phase", json={"phase": "proposing"}, headers=org).raise_for_status()
        people = [
            http.post(f"/api/v1/events/{code}/attendees", json={"name": f"Teacher {i}"})
            .raise_for_status()
            .json()["token"]
            for i in range(max(12, topics))
        ]
        names = topic_titles(topics)
        ids = []
        for i, title in enumerate(names):
            who = {"Authorization": f"Bearer {people[i % len(people)]}"}
            topic = (
                http.post(f"/api/v1/events/{code}/topics", json={"title": title, "facilitate": i % 5 != 4}, headers=who)
                .raise_for_status()
                .json()
            )
            ids.append(topic["id"])
        for p, token in enumerate(people):
            for k in range(5):  # a skewed wall: the first topics are wanted most
                topic_id = ids[(p * 2 + k * k * 3) % len(ids) if k else p % min(5, len(ids))]
                http.put(
                    f"/api/v1/events/{code}/topics/{topic_id}/interest", headers={"Authorization": f"Bearer {token}"}
                ).raise_for_status()
        if publish:
            http.post(f"/api/v1/events/{code}/phase", json={"phase": "scheduled"}, headers=org).raise_for_status()
            http.post(
                f"/api/v1/events/{code}/schedule/build", json={"time_limit": seconds}, headers=org
            ).raise_for_status()
            deadline = time.monotonic() + 120
            while http.get(f"/api/v1/events/{code}/schedule/build", headers=org).json()["running"]:
                assert time.monotonic() < deadline, "the build did not finish"
                time.sleep(0.3)
            http.post(f"/api/v1/events/{code}/schedule/publish", json={}, headers=org).raise_for_status()
        event = http.get(f"/api/v1/events/{code}").raise_for_status().json()
    return BuiltEvent(
        code, created["organizer_token"], created["links"]["organize"], event["rooms"], event["slots"], names
    )
