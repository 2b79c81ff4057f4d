"""Pushed fragments carry the base URL or paths, never the host of whichever socket connected first.

A real uvicorn on 127.0.0.1, its base URL the string ``http://10.9.8.7:PORT`` (nothing is sent
there). The first socket says ``Host: localhost:PORT``, the second ``Host: 127.0.0.1:PORT``: what
each receives must be the same, and hold neither.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import httpx

from tests.realtime.live import Server, board_sequence, free_port, listen, run_async, server_env

LINK = re.compile(r'(?<![\w-])(?:href|hx-get|hx-post|src|action)="([^"]*)"')


def test_pushed_links_use_the_base_url_whatever_host_the_first_socket_used(
    sqlite_template: Path, tmp_path: Path
) -> None:
    db = tmp_path / "live.db"
    shutil.copy(sqlite_template, db)
    port = free_port()
    base = f"http://10.9.8.7:{port}"
    server = Server(port, server_env(f"sqlite:///{db}", TWOFEET_BASE_URL=base), tmp_path / "server.log").start()
    try:
        api = f"{server.url}/api/v1"
        created = httpx.post(
            f"{api}/events",
            json={
                "name": "Edcamp Hosts",
                "date": "2027-03-13",
                "timezone": "UTC",
                "rooms": [{"name": "Library", "capacity": 30}],
                "slots": [{"start": "09:30", "end": "10:20"}],
            },
        ).json()
        code, organizer = created["code"], {"Authorization": f"Bearer {created['organizer_token']}"}
        httpx.post(f"{api}/events/{code}/phase", json={"phase": "proposing"}, headers=organizer).raise_for_status()
        me = {"Authorization": f"Bearer {httpx.post(f'{api}/events/{code}/attendees', json={}).json()['token']}"}
        start = board_sequence(server.url, code)

        async def scenario() -> tuple[list[str], list[str]]:
            # The first socket of the event comes in by the name "localhost".
            board = await listen(f"ws://localhost:{port}", code, view="board")
            await board.wait_for(start)  # its snapshot: the welcome screen, with the join address
            wall = await listen(f"ws://127.0.0.1:{port}", code, view="wall", since=start)
            async with httpx.AsyncClient(base_url=api, timeout=10) as http:
                made = await http.post(f"/events/{code}/topics", json={"title": "Math talks"}, headers=me)
                made.raise_for_status()
                topic_id = made.json()["id"]
                edited = await http.patch(
                    f"/events/{code}/topics/{topic_id}", json={"title": "Math talks, K-5"}, headers=me
                )
                edited.raise_for_status()
                last = int(edited.headers["x-board-sequence"])
            await board.wait_for(last)
            await wall.wait_for(last)
            texts = [f.text for f in board.frames], [f.text for f in wall.frames]
            await board.close()
            await wall.close()
            return texts

        board_frames, wall_frames = run_async(scenario())
    finally:
        server.stop()

    everything = "".join(board_frames + wall_frames)
    assert "localhost" not in everything and "127.0.0.1" not in everything
    assert f"10.9.8.7:{port}/e/{code}" in board_frames[0], "the board's join address is the base URL"
    links = LINK.findall(everything)
    assert f"/e/{code}/sessions/" in " ".join(links), "the wall's pushed title links to its session"
    assert all(link.startswith(("/", base)) for link in links), links
