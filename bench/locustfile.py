"""Locust users for the load benchmark (bench/load.py): staff and partners browsing main pages."""

from __future__ import annotations

import os
import re

from locust import HttpUser, between, task

PASSWORD = os.environ.get("LOAD_PASSWORD", "demo-password-2024")
TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


class SignedIn(HttpUser):
    abstract = True
    wait_time = between(0.1, 0.5)
    email = ""
    pages: tuple[str, ...] = ()

    def on_start(self):
        page = self.client.get("/login", name="/login")
        token = TOKEN.search(page.text).group(1)
        response = self.client.post("/login", name="/login [POST]", data={
            "email": self.email, "password": PASSWORD, "csrf_token": token})
        if "/login" in response.url:
            raise RuntimeError(f"could not sign in as {self.email}")

    @task
    def browse(self):
        for path in self.pages:
            self.client.get(path, name=path.split("?")[0])


class Coordinator(SignedIn):
    weight = 3
    email = "coordinator@recruit.example"
    pages = tuple(os.environ.get(
        "LOAD_STAFF_PAGES",
        "/ /participants/ /cohorts/ /vacancies/ /applications/ /partners/ /outreach/").split())


class Partner(SignedIn):
    weight = 2
    email = "partner@recruit.example"
    pages = tuple(os.environ.get("LOAD_PARTNER_PAGES", "/partners/mine /outreach/").split())


class Board(SignedIn):
    weight = 1
    email = "board@recruit.example"
    pages = tuple(os.environ.get("LOAD_BOARD_PAGES", "/ /representativeness/ /targets/").split())
