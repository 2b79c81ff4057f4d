"""The address phones use: which of this computer's addresses is chosen, and what serve and demo print.

Nothing here sends a packet anywhere: the LAN address is found with a UDP ``connect()`` (which
sends nothing) or read from the interfaces, and the addresses below are only strings.
"""

from __future__ import annotations

import ipaddress
from pathlib import Path

import pytest

from app.addresses import choose_lan_address, is_loopback, lan_address, loopback_warning, serve_address
from app.cli import main


@pytest.mark.parametrize(
    "address",
    [
        "http://localhost:8000",
        "localhost",
        "http://127.0.0.1:8000",
        "127.0.0.5",
        "http://[::1]:8000",
        "http://0.0.0.0:8000",
        "http://app.localhost",
    ],
)
def test_loopback_addresses_are_ones_phones_cannot_open(address: str) -> None:
    assert is_loopback(address)
    assert loopback_warning(address) is not None


@pytest.mark.parametrize(
    "address",
    ["http://192.168.1.20:8000", "http://10.9.8.7:8000", "https://edcamp.example.org", "http://laptop.local:8000"],
)
def test_network_addresses_and_names_raise_no_warning(address: str) -> None:
    assert not is_loopback(address)
    assert loopback_warning(address) is None


def test_warning_names_the_address_and_the_way_out() -> None:
    text = loopback_warning("http://localhost:8000") or ""
    assert "“localhost”" in text and "--base-url" in text and "Phones cannot open" in text
    short = loopback_warning("http://127.0.0.1:8000", short=True) or ""
    assert "“127.0.0.1”" in short and "--base-url" in short and len(short) < len(text)


def test_choice_prefers_a_private_ipv4_address_and_skips_the_unreachable() -> None:
    assert choose_lan_address(["127.0.0.1", "169.254.10.2", "fe80::1", "::1", "192.168.1.20"]) == "192.168.1.20"
    assert choose_lan_address(["100.64.3.4", "10.0.0.7"]) == "10.0.0.7"  # a private network before carrier NAT
    assert choose_lan_address(["172.20.1.1", "192.168.0.9"]) == "172.20.1.1"  # private ones keep the kernel's order
    assert choose_lan_address(["8.8.4.4"]) == "8.8.4.4"  # a public address is still better than none
    assert choose_lan_address(["127.0.0.1", "0.0.0.0", "224.0.0.1", "not an address"]) is None
    assert choose_lan_address([]) is None


def test_lan_address_is_one_of_this_computers_usable_addresses_or_none() -> None:
    found = lan_address()
    if found is not None:
        address = ipaddress.ip_address(found)
        assert address.version == 4 and not address.is_loopback and not address.is_link_local


def test_no_base_url_uses_the_lan_address_on_every_interface_with_the_hint() -> None:
    chosen = serve_address(base_url=None, host=None, port=8000, found="192.168.1.20")
    assert (chosen.base_url, chosen.host) == ("http://192.168.1.20:8000", "0.0.0.0")
    assert chosen.lines[0] == "Phones join at http://192.168.1.20:8000/ (this computer's address on the local network)."
    assert "restart with --base-url http://THAT-ADDRESS:8000" in chosen.lines[1]


def test_a_given_base_url_wins_and_decides_where_to_listen() -> None:
    given = serve_address(base_url="http://edcamp.school.org", host=None, port=8000, found="192.168.1.20")
    assert (given.base_url, given.host) == ("http://edcamp.school.org", "0.0.0.0")
    local = serve_address(base_url="http://localhost:8000/", host=None, port=8000, found="192.168.1.20")
    assert (local.base_url, local.host) == ("http://localhost:8000", "127.0.0.1")
    assert any("Phones cannot open" in line for line in local.lines)
    chosen_host = serve_address(base_url="http://10.9.8.7:8080", host="10.9.8.7", port=8080, found=None)
    assert (chosen_host.base_url, chosen_host.host) == ("http://10.9.8.7:8080", "10.9.8.7")


def test_no_network_falls_back_to_localhost_and_says_so() -> None:
    alone = serve_address(base_url=None, host=None, port=8123, found=None)
    assert (alone.base_url, alone.host) == ("http://localhost:8123", "127.0.0.1")
    assert "No network address found" in alone.lines[0] and "--base-url" in alone.lines[1]
    only_here = serve_address(base_url=None, host="127.0.0.1", port=8000, found=None)
    assert only_here.base_url == "http://localhost:8000" and "Phones cannot open" in " ".join(only_here.lines)
    one_interface = serve_address(base_url=None, host="192.168.1.20", port=8000, found=None)
    assert (one_interface.base_url, one_interface.host) == ("http://192.168.1.20:8000", "192.168.1.20")


def test_demo_without_a_base_url_prints_the_lan_address_and_the_hint(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("TWOFEET_BASE_URL", raising=False)
    assert main(["demo", "--db", str(tmp_path / "demo.db"), "--port", "8123", "--no-serve"]) == 0
    out = capsys.readouterr().out
    found = lan_address()
    if found is None:  # a machine on no network at all
        assert "  attendees join:  http://localhost:8123/e/" in out and "No network address found" in out
    else:
        assert f"  attendees join:  http://{found}:8123/e/" in out
        assert f"Phones join at http://{found}:8123/ (this computer's address on the local network)." in out
        assert "restart with --base-url http://THAT-ADDRESS:8123" in out
    assert "localhost" not in out or found is None


def test_demo_with_a_base_url_prints_it_and_no_guess(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("TWOFEET_BASE_URL", raising=False)
    assert (
        main(
            [
                "demo",
                "--db",
                str(tmp_path / "demo.db"),
                "--port",
                "8123",
                "--no-serve",
                "--base-url",
                "http://10.9.8.7:8123",
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "  projector board: http://10.9.8.7:8123/e/" in out and "Phones join at http://10.9.8.7:8123/" in out
    assert "THAT-ADDRESS" not in out
    monkeypatch.setenv("TWOFEET_BASE_URL", "http://localhost:8123")
    assert main(["demo", "--db", str(tmp_path / "demo2.db"), "--port", "8123", "--no-serve"]) == 0
    out = capsys.readouterr().out
    assert "  attendees join:  http://localhost:8123/e/" in out and "Phones cannot open" in out
