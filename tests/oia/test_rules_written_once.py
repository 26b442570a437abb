"""Each counting rule is written once, next to its model; everything else calls
it by name. These tests read the source tree (without migrations and tests)
and fail when a module other than the rule's home writes the rule again."""

import os
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SKIPPED_DIRECTORIES = {"tests", "migrations", "node_modules", "static", "templates", "locale", "__pycache__"}


@dataclass(frozen=True)
class Rule:
    name: str
    home: str  # the one module allowed to write it
    call_instead: str
    patterns: tuple[str, ...]


RULES = [
    Rule(
        "the year a delegation counts in",
        "delegations/models/delegations.py",
        "Delegation.objects.in_years(...) / counted_in(...), or counting_year()",
        (
            r"\bstart_on__year",
            r"""ExtractYear\(\s*["'](?:\w+__)?start_on["']""",
            r"status=(?:DelegationStatus|S)\.COMPLETED\b",
        ),
    ),
    Rule(
        "the size of a delegation",
        "delegations/models/delegations.py",
        "Delegation.objects.with_size() (named_count, total_size)",
        (
            r"""Count\(\s*["'](?:\w+__)?participants["']""",
            r"Participant\.objects\.filter\(\s*delegation=OuterRef",
            r"""(?:F|Coalesce)\(\s*["'](?:\w+__)?head_count["']""",
        ),
    ),
    Rule(
        "the current status of a partnership",
        "partners/models/partnerships.py",
        "partnership.current_status (a column kept by triggers), status_on(day), partnership.current_status_change(), "
        "StatusChange.objects.newest_first() / with_previous_status()",
        (
            r"""["']-effective_on["']""",
            r"\beffective_on__lte?\b",
            r"StatusChange\.objects\.filter\(\s*partnership=OuterRef",
            r"\.effective_on,\s*\w+\.pk\b",
        ),
    ),
    Rule(
        "whether money charged to a budget line may overdraw it",
        "budget/services/bookings.py",
        "budget.services.line_charge(...) (expenses, approved trips), under lock_line",
        # The rule's refusal and warning, whose amounts only the rule knows.
        (r"would overdraw\b[^\"]*%\(\w+\)s", r"is now overdrawn by %\("),
    ),
    Rule(
        "accepted exchanges",
        "partners/models/exchanges.py",
        "Exchange.objects.accepted()",
        (r"review_status(?:__in)?=[^,)]*ReviewStatus\.ACCEPTED",),
    ),
]


def source_files():
    for directory, subdirectories, files in os.walk(ROOT):
        subdirectories[:] = [d for d in subdirectories if not d.startswith(".") and d not in SKIPPED_DIRECTORIES]
        for name in files:
            if name.endswith(".py"):
                path = Path(directory) / name
                yield path.relative_to(ROOT).as_posix(), path.read_text(encoding="utf-8")


def rewrites(rule: Rule, files) -> list[str]:
    found = []
    for relative, text in files:
        if relative == rule.home:
            continue
        for number, line in enumerate(text.splitlines(), start=1):
            if any(re.search(pattern, line) for pattern in rule.patterns):
                found.append(f"{relative}:{number}: {line.strip()}")
    return found


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.name)
def test_the_rule_is_written_only_in_its_home(rule):
    found = rewrites(rule, list(source_files()))

    assert not found, f"{rule.name} is written again; call {rule.call_instead} instead:\n" + "\n".join(found)


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.name)
def test_the_search_reads_the_home_of_each_rule(rule):
    assert rule.home in dict(source_files())


# How the rules were written again before they had a name: each must be caught.
REWRITES = {
    "the year a delegation counts in": [
        "Delegation.objects.filter(status=DelegationStatus.COMPLETED, direction=direction, start_on__year=year)",
        "start_on__year__gte=first_year,",
        'queryset.annotate(y=ExtractYear("start_on"))',
        '.annotate(y=ExtractYear("delegation__start_on"))',
        'year = YearFilter(label=_("Year"), field_name="start_on__year")',
    ],
    "the size of a delegation": [
        'total_size=Count("participants", distinct=True) + F("head_count"),',
        'named = Participant.objects.filter(delegation=OuterRef("pk")).order_by().values("delegation")',
        '+ Coalesce("head_count", 0)',
    ],
    "the current status of a partnership": [
        'latest = partnership.status_changes.order_by("-effective_on", "-pk").first()',
        "latest = max(changes, key=lambda change: (change.effective_on, change.pk), default=None)",
        'latest = StatusChange.objects.filter(partnership=OuterRef("pk"), effective_on__lte=day)',
        'StatusChange.objects.filter(partnership=OuterRef("pk")).order_by("x")',
    ],
    "whether money charged to a budget line may overdraw it": [
        'raise ValidationError(_("This grant would overdraw the line by %(over)s."))',
        'warning = _("“%(line)s” is now overdrawn by %(over)s.") % values',
    ],
    "accepted exchanges": [
        "Exchange.objects.filter(review_status=ReviewStatus.ACCEPTED)",
        "exchanges.filter(review_status__in=[ReviewStatus.ACCEPTED])",
    ],
}

# Lawful code that looks alike and must not be flagged.
UNRELATED = [
    'year = YearFilter(label=_("Year"), field_name="starts_on__year")',  # exchanges and grants
    "GrantApplication.objects.filter(club=club, starts_on__year=year, status__in=GRANTED_STATUSES)",
    "head_count=plan.head_count,",
    'outbound = trips.aggregate(visits=Count("pk"), head_counts=Coalesce(Sum("head_count"), 0))',
    'Prefetch("status_changes", queryset=StatusChange.objects.select_related("recorded_by"))',
    '{"date": change.effective_on, "kind": "status", "change": change}',
    "Exchange.objects.filter(review_status=ReviewStatus.SUBMITTED).count()",
    "if exchange.review_status == ReviewStatus.ACCEPTED:",
    "StatusChange.objects.filter(effective_on__year__in=[year - 1, year])",
    "if to_status == S.COMPLETED:",
    'help_text=_("Administrators only, when approving would overdraw a line of a line-item budget."),',
]


@pytest.mark.parametrize(("name", "line"), [(name, line) for name, lines in REWRITES.items() for line in lines])
def test_a_rewrite_of_the_rule_is_caught(name, line):
    rule = next(rule for rule in RULES if rule.name == name)

    assert rewrites(rule, [("somewhere/else.py", line)])


@pytest.mark.parametrize("line", UNRELATED)
def test_unrelated_code_is_not_flagged(line):
    assert not [rule.name for rule in RULES if rewrites(rule, [("somewhere/else.py", line)])]
