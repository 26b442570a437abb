"""The users of the load test (scripts/load.py runs this file with locust).

Office staff and club leaders do their day against gunicorn: they sign in
through the login page, open lists with the filters the pages offer, search,
open detail pages and save through the real forms (CSRF token, the record's
``version``); office staff also read the API with a token of their own.

The client plays the browser behind the city's TLS proxy (deploy/nginx.conf):
every request says ``X-Forwarded-Proto: https`` and ``X-Forwarded-For`` the
user's own address (one machine a user, so django-axes counts each apart);
forms are posted with the ``Origin`` a browser sends. locust's fast client
sends the ``Secure`` ``__Host-`` cookies over the plain socket, as the
browser does over TLS to the proxy.

Each office user edits only the delegations whose id falls to them (id modulo
the number of office users), so two users never save over each other and every
save must succeed: a refused save (a stale version, a form error) is a failure.
"""

import csv
import itertools
import os
import random
import re
import time
from datetime import time as clock
from html import unescape
from html.parser import HTMLParser
from http.cookiejar import DefaultCookiePolicy
from urllib.parse import urlencode

import gevent
import gevent.event
from locust import FastHttpUser, between, events, task
from locust.exception import StopUser

PASSWORD = os.environ.get("OIA_LOAD_PASSWORD", "")
OFFICE_USERS = int(os.environ.get("OIA_LOAD_OFFICE", "50"))
CLUB_LEADERS = int(os.environ.get("OIA_LOAD_LEADERS", "20"))
# How long the day lasts, in seconds, from the moment the last user signed in.
DAY_SECONDS = float(os.environ.get("OIA_LOAD_DAY_SECONDS", "120"))
# Reading a page, typing into a form: seconds between two actions of one user.
THINK_TIME = between(2, 8)
# Every request's time goes here (scripts/load.py reads exact percentiles from it).
RESULTS = os.environ.get("OIA_LOAD_RESULTS", "")
_requests: list[tuple] = []
_signed_in = 0
_day_begins = gevent.event.Event()
_environment = None


def api_tokens() -> dict[str, str]:
    """The office users' API tokens, made before the run (OIA_LOAD_TOKENS: a
    file of "username<TAB>token" lines): a script holds a token for a day
    (OIA_API_TOKEN_HOURS) rather than giving its password every morning."""
    path = os.environ.get("OIA_LOAD_TOKENS")
    if not path:
        return {}
    with open(path) as file:
        return dict(line.rstrip("\n").split("\t") for line in file if line.strip())


TOKENS = api_tokens()


@events.init.add_listener
def _keep_environment(environment, **kwargs):
    global _environment
    _environment = environment


@events.request.add_listener
def _record(request_type, name, response_time, exception, **kwargs):
    phase = "day" if _day_begins.is_set() else "sign-in"
    _requests.append((phase, request_type, name, round(response_time, 1), str(exception or "")[:300], time.time()))


@events.quitting.add_listener
def _write(**kwargs):
    if RESULTS:
        with open(RESULTS, "w", newline="") as file:
            writer = csv.writer(file)
            writer.writerow(["phase", "method", "name", "ms", "failure", "at"])
            writer.writerows(_requests)


def signed_in() -> None:
    """Wait until every user has signed in: the day (and its clock) starts
    then, so the morning's sign-ins, slow on purpose (the password hasher),
    are measured apart and do not crowd the day's requests."""
    global _signed_in
    _signed_in += 1
    if _signed_in == OFFICE_USERS + CLUB_LEADERS:
        _day_begins.set()
        gevent.spawn_later(DAY_SECONDS, _environment.runner.quit)
    _day_begins.wait()


class Page(HTMLParser):
    """The links, static files and forms of a page; a form's fields as a
    browser would submit them (checked boxes and radios, selected options)."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str]] = []
        self.assets: list[str] = []
        self.forms: list[dict] = []
        self._form = self._select = self._textarea = self._link = None
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        source = attrs.get("href") or attrs.get("src") or ""
        if tag == "a" and attrs.get("href"):
            self._link = [unescape(attrs["href"]), ""]
            self.links.append(self._link)
        elif tag in ("link", "script", "img") and source.startswith("/static/"):
            self.assets.append(source)
        elif tag == "form":
            self._form = {"method": (attrs.get("method") or "get").lower(), "fields": [], "radios": {}, "selects": {}}
            self.forms.append(self._form)
        elif tag == "option" and self._select is not None:
            value = attrs.get("value", "")
            self._select["options"].append(value)
            if "selected" in attrs:
                self._select["chosen"].append(value)
        elif self._form is None or not attrs.get("name"):
            return
        elif tag == "input":
            self._input(attrs)
        elif tag == "select":
            self._select = {"name": attrs["name"], "options": [], "chosen": [], "multiple": "multiple" in attrs}
        elif tag == "textarea":
            self._textarea = [attrs["name"], ""]
            self._form["fields"].append(self._textarea)

    def _input(self, attrs):
        kind, name = attrs.get("type", "text"), attrs["name"]
        if kind in ("submit", "button", "file", "image", "reset"):
            return
        if kind == "radio":
            # The checked one; else the first real choice, as a user would pick (not the blank "---------").
            radios, value = self._form["radios"], attrs.get("value", "on")
            if "checked" in attrs or not radios.get(name):
                radios[name] = value
        elif kind != "checkbox" or "checked" in attrs:
            self._form["fields"].append([name, attrs.get("value", "on" if kind == "checkbox" else "")])

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data
        if self._link is not None:
            self._link[1] += data

    def handle_endtag(self, tag):
        if tag == "a":
            self._link = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select" and self._select is not None and self._form is not None:
            select, self._select = self._select, None
            chosen = select["chosen"] or ([] if select["multiple"] else select["options"][:1])
            self._form["fields"] += [[select["name"], value] for value in chosen]
            self._form["selects"][select["name"]] = select["options"]
        elif tag == "form" and self._form is not None:
            self._form["fields"] += [[name, value] for name, value in self._form["radios"].items()]
            self._form = None

    def form_with(self, field: str) -> dict:
        for form in self.forms:
            if any(name == field for name, _ in form["fields"]):
                return form
        raise LookupError(f"no form with the field {field!r}")

    def matching(self, pattern: str) -> list[str]:
        return sorted({href for href, _ in self.links if re.fullmatch(pattern, href)})

    def words(self, pattern: str) -> list[str]:
        """The words of the links to ``pattern`` (names of cities, people, trips)."""
        return [
            word for href, text in self.links if re.fullmatch(pattern, href) for word in text.split() if len(word) > 3
        ]


class BehindTlsProxy(DefaultCookiePolicy):
    """The browser talks HTTPS to the proxy, so it sends the ``Secure`` cookies."""

    def return_ok_secure(self, cookie, request):
        return True


def page(response) -> Page:
    return Page(response.text or "")


class Person(FastHttpUser):
    """Shared base of the two kinds of user: signing in like a browser."""

    abstract = True
    wait_time = THINK_TIME
    numbers = None
    prefix = ""

    def on_start(self):
        self.number = next(self.numbers)
        self.username = f"{self.prefix}-{self.number:02}"
        self.headers = {"X-Forwarded-Proto": "https", "X-Forwarded-For": f"10.70.0.{self.number + self.offset}"}
        self.seen_assets: set[str] = set()
        self.client.cookiejar.set_policy(BehindTlsProxy())
        login = self.get("/accounts/login/", name="login page")
        form = page(login).form_with("username")
        fields = dict(form["fields"])
        fields.update(username=self.username, password=PASSWORD)
        with self.post("/accounts/login/", fields, referer="/accounts/login/", name="sign in") as answer:
            refused = answer.status_code != 302
            if refused:
                answer.failure(f"sign-in of {self.username} answered {answer.status_code}")
        signed_in()
        if refused:
            # One failure, not a day of redirects to the login page.
            raise StopUser()

    def think(self):
        """Read the page before the next one (within a task; between tasks, wait_time)."""
        gevent.sleep(THINK_TIME(self))

    def get(self, path: str, *, name: str | None = None, assets: bool = True):
        """A page as a browser loads it: the page, and its static files the first time."""
        with self.client.get(
            path, name=name, headers=self.headers, allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"{path} answered {response.status_code}")
        if assets and response.status_code == 200 and "html" in response.headers.get("Content-Type", ""):
            for asset in page(response).assets:
                if asset not in self.seen_assets:
                    self.seen_assets.add(asset)
                    self.client.get(asset, name="static file", headers=self.headers)
        return response

    def post(self, path: str, fields, *, referer: str, name: str):
        host = self.host.split("://", 1)[1]
        headers = {
            **self.headers,
            "Origin": f"https://{host}",
            "Referer": f"https://{host}{referer}",
            "Content-Type": "application/x-www-form-urlencoded",
        }
        body = urlencode([tuple(field) for field in (fields.items() if isinstance(fields, dict) else fields)])
        return self.client.post(path, data=body, headers=headers, name=name, allow_redirects=False, catch_response=True)

    def browse_list(self, path: str, name: str, detail: str) -> list[str]:
        """A list, then the same list filtered by one of its filter form's
        choices (or searched for a part of a name it shows); returns the detail
        links seen."""
        first = page(self.get(path, name=name))
        links = first.matching(detail)
        filters = next((form for form in first.forms if form["method"] == "get" and form.get("selects")), None)
        if filters and random.random() < 0.7:
            field, options = random.choice(list(filters["selects"].items()))
            options = [option for option in options if option]
            if options:
                query = {field: random.choice(options)}
                self.think()
                links += page(self.get(f"{path}?{urlencode(query)}", name=f"{name} filtered")).matching(detail)
        elif any(field == "q" for form in first.forms for field, _ in form["fields"]):
            words = first.words(detail)
            term = random.choice(words)[:4] if words else "a"
            self.think()
            links += page(self.get(f"{path}?{urlencode({'q': term})}", name=f"{name} search")).matching(detail)
        return links


class OfficeStaff(Person):
    """Someone of the office: lists, filters, searches, detail pages, the
    calendar and the budget; now and then a note on a delegation or a
    programme item; the API with a token."""

    fixed_count = OFFICE_USERS
    numbers = itertools.count(1)
    prefix = "load-staff"
    offset = 0

    @task(4)
    def dashboard(self):
        self.get("/", name="dashboard")

    @task(4)
    def partnerships(self):
        links = self.browse_list("/partners/", "partnership list", r"/partners/\d+/")
        if links:
            self.think()
            self.get(random.choice(links), name="partnership detail")

    @task(4)
    def delegations(self):
        links = self.browse_list("/delegations/", "delegation list", r"/delegations/\d+/")
        if links:
            self.think()
            self.get(random.choice(links), name="delegation detail")

    @task(2)
    def people(self):
        links = self.browse_list("/delegations/people/", "people list", r"/delegations/people/\d+/")
        if links:
            self.think()
            self.get(random.choice(links), name="person detail")

    @task(1)
    def search(self):
        term = random.choice(["kra", "lyon", "tor", "yoko", "mayor", "fest", "schul", "a"])
        path = random.choice(["/partners/", "/delegations/", "/delegations/people/"])
        self.get(f"{path}?{urlencode({'q': term})}", name="search")

    @task(2)
    def calendar(self):
        calendar = page(self.get("/delegations/calendar/", name="calendar"))
        months = calendar.matching(r"/delegations/calendar/\?.+")
        if months:
            self.think()
            self.get(unescape(random.choice(months)), name="calendar other month")

    @task(2)
    def budget(self):
        years = page(self.get("/budget/", name="budget list")).matching(r"/budget/\d{4}/")
        if years:
            self.think()
            self.get(years[-1] if random.random() < 0.7 else random.choice(years), name="budget overview")

    @task(1)
    def other_pages(self):
        path, name = random.choice(
            [
                ("/networks/", "network list"),
                ("/partners/anniversaries/", "anniversaries"),
                ("/partners/exchanges/", "exchange list"),
                ("/delegations/coordination/", "coordination cases"),
                ("/notifications/", "notifications"),
                ("/partners/clubs/", "club list"),
            ]
        )
        self.get(path, name=name)

    @task(3)
    def api(self):
        headers = {**self.headers, "Authorization": f"Token {TOKENS.get(self.username, '')}"}
        headers["Accept"] = "application/json"
        path, name = random.choice(
            [
                ("/api/partnerships/", "API partnerships"),
                ("/api/delegations/", "API delegations"),
                ("/api/people/", "API people"),
                ("/api/exchanges/", "API exchanges"),
                ("/api/budget-lines/", "API budget lines"),
            ]
        )
        with self.client.get(path, name=name, headers=headers, catch_response=True) as answer:
            if answer.status_code != 200:
                answer.failure(f"{path} answered {answer.status_code}")
                return
            results = answer.json().get("results") or []
        if results and "id" in results[0]:
            item = random.choice(results)["id"]
            self.think()
            with self.client.get(f"{path}{item}/", name=f"{name} detail", headers=headers, catch_response=True) as one:
                if one.status_code != 200:
                    one.failure(f"{path}{item}/ answered {one.status_code}")

    def own_delegations(self) -> list[str]:
        links = page(self.get("/delegations/", name="delegation list")).matching(r"/delegations/\d+/")
        mine = [link for link in links if int(link.split("/")[2]) % OFFICE_USERS == self.number % OFFICE_USERS]
        return mine

    @task(1)
    def note_on_delegation(self):
        mine = self.own_delegations()
        if not mine:
            return
        edit = f"{random.choice(mine)}edit/"
        self.think()
        form = page(self.get(edit, name="delegation edit form")).form_with("internal_notes")
        fields = [[name, value] for name, value in form["fields"] if name != "internal_notes"]
        fields.append(["internal_notes", f"Called the partner city's office ({self.username}, load test)."])
        self.think()
        with self.post(edit, fields, referer=edit, name="delegation save") as answer:
            if answer.status_code != 302:
                answer.failure(f"{edit} was not saved ({answer.status_code}): {form_errors(answer.text)}")

    @task(1)
    def programme_item(self):
        mine = self.own_delegations()
        if not mine:
            return
        new = f"{random.choice(mine)}programme/new/"
        self.think()
        form = page(self.get(new, name="programme item form")).form_with("title")
        fields = dict(form["fields"])
        start = clock(random.randint(8, 16), random.choice([0, 30]))
        fields.update(
            title="Meeting with the partner city's youth office",
            place="City hall",
            starts_at=start.strftime("%H:%M"),
            ends_at=start.replace(hour=start.hour + 1).strftime("%H:%M"),
        )
        self.think()
        with self.post(new, fields, referer=new, name="programme item save") as answer:
            if answer.status_code != 302:
                answer.failure(f"{new} was not saved ({answer.status_code}): {form_errors(answer.text)}")


class ClubLeader(Person):
    """A partnership club's leader in the portal: the club's page, its
    exchanges and grants; now and then logs an exchange (a draft, or sent
    to the office for review)."""

    fixed_count = CLUB_LEADERS
    numbers = itertools.count(1)
    prefix = "load-leader"
    offset = 100

    def from_portal(self, link: str, name: str) -> None:
        """The portal's home, then one of its links that match ``link``, if any."""
        home = page(self.get("/portal/", name="portal home"))
        links = home.matching(link)
        if links:
            self.think()
            self.get(random.choice(links), name=name)

    @task(4)
    def club_page(self):
        self.from_portal(r"/portal/clubs/\d+/", "portal club page")

    @task(3)
    def exchange(self):
        self.from_portal(r"/portal/exchanges/\d+/", "portal exchange")

    @task(1)
    def grant(self):
        self.from_portal(r"/portal/grants/\d+/", "portal grant")

    @task(1)
    def log_exchange(self):
        home = page(self.get("/portal/", name="portal home"))
        new = home.matching(r"/portal/clubs/\d+/exchanges/new/")
        if not new:
            return
        path = random.choice(new)
        self.think()
        form = page(self.get(path, name="exchange form")).form_with("title")
        fields = [[name, value] for name, value in form["fields"] if name not in FILLED_EXCHANGE_FIELDS]
        fields += [[name, value] for name, value in FILLED_EXCHANGE_FIELDS.items()]
        if random.random() < 0.5:
            fields.append(["submit", "1"])
        self.think()
        with self.post(path, fields, referer=path, name="exchange save") as answer:
            if answer.status_code != 302:
                answer.failure(f"{path} was not saved ({answer.status_code}): {form_errors(answer.text)}")


FILLED_EXCHANGE_FIELDS = {
    "title": "Youth football tournament",
    "starts_on": "2026-06-12",
    "ends_on": "2026-06-14",
    "participants_local": "12",
    "participants_partner": "14",
    "young_participants": "20",
    "description": "Two teams of each city, one weekend; the club hosted the guests.",
}


def form_errors(text: str) -> str:
    """The error messages a refused form shows, for the failure's line."""
    found = re.findall(r'<small class="field-error" id="id_(\w+)_error">(.*?)</small>', text or "", re.S)
    found += [
        ("form", message)
        for message in re.findall(r'<div class="form-errors" role="alert">(.*?)</div>', text or "", re.S)
    ]
    return "; ".join(f"{field}: {re.sub(r'<[^>]+>', ' ', message).strip()}" for field, message in found)[:300]
