"""The demo: deterministic data, every printed login works, and `inka demo` really serves INKA."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.db import transaction
from django.test import Client

from inka.accounts.demo import login_rows
from inka.accounts.models import Membership, User
from inka.core.demo import DEMO_PASSWORD, demo_generate
from inka.core.permissions import Role
from inka.programme.models import Site

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_every_printed_demo_login_works_and_every_role_is_there(settings):
    settings.TWO_FACTOR = False  # as `inka demo` runs: the printed logins need the password only
    demo_generate(scale=0.02)
    rows = login_rows()
    assert {row.role_label for row in rows} == {str(role.label) for role in Role}
    for row in rows:
        client = Client()
        response = client.post("/anmelden/", {"username": row.email, "password": DEMO_PASSWORD})
        assert response.status_code == 302, row.email
        assert client.get("/").status_code == 200


@pytest.mark.django_db
def test_demo_data_is_deterministic_and_covers_two_sites_per_role():
    with transaction.atomic():
        demo_generate(seed=7, scale=0.02)
        first = sorted(User.objects.values_list("email", flat=True))
        transaction.set_rollback(True)  # case work keeps the accounts from being deleted
    demo_generate(seed=7, scale=0.02)
    assert sorted(User.objects.values_list("email", flat=True)) == first
    for role in (Role.CASEWORKER, Role.SITE_LEAD):
        assert Membership.objects.filter(role=role).values("site").distinct().count() >= 2
    active = Site.objects.filter(status=Site.Status.ACTIVE)
    assert all(site.memberships.exists() for site in active)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def run_inka(*args: str, data_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "INKA_DATA_DIR": str(data_dir)}
    for name in ("INKA_DATABASE_URL", "INKA_DEBUG", "INKA_SECRET_KEY", "INKA_HTTPS", "INKA_STATIC_MANIFEST"):
        env.pop(name, None)
    return subprocess.run(  # noqa: S603  (our own command)
        [sys.executable, "-m", "inka.cli", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )


def test_inka_demo_sets_up_keeps_data_and_starts_afresh_on_request(tmp_path):
    first = run_inka("demo", "--no-serve", data_dir=tmp_path)
    assert first.returncode == 0, first.stderr
    assert "lotse.alt@inka.example" in first.stdout
    assert "koordination@inka.example" in first.stdout
    again = run_inka("demo", "--no-serve", data_dir=tmp_path)
    assert "vorhandene Demo-Daten" in again.stdout
    fresh = run_inka("demo", "--no-serve", "--fresh", data_dir=tmp_path)
    assert "lege ThINKA-Standorte und Demo-Daten an" in fresh.stdout


def test_inka_demo_serves_the_login_page(tmp_path):
    port = free_port()
    env = {**os.environ, "INKA_DATA_DIR": str(tmp_path)}
    for name in ("INKA_DATABASE_URL", "INKA_DEBUG", "INKA_SECRET_KEY", "INKA_HTTPS", "INKA_STATIC_MANIFEST"):
        env.pop(name, None)
    server = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "inka.cli", "demo", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/anmelden/", timeout=2) as response:
                    body = response.read().decode()
                    break
            except OSError:
                assert server.poll() is None, server.stdout.read() if server.stdout else ""
                assert time.monotonic() < deadline, "INKA did not start in time"
                time.sleep(0.5)
        assert "Bei INKA anmelden" in body
    finally:
        server.terminate()
        server.wait(timeout=20)


def test_inka_serve_refuses_to_start_without_a_secret_key(tmp_path):
    result = run_inka("serve", "--bind", f"127.0.0.1:{free_port()}", data_dir=tmp_path)
    assert result.returncode == 2
    assert "INKA_SECRET_KEY" in result.stderr
