"""Closing a year's budget: admin only, only once adopted, and nothing is booked after it."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from budget import services
from budget.models import Budget, Expense
from tests.factories import BudgetFactory, BudgetLineFactory


def test_an_admin_closes_an_adopted_budget_and_no_expense_is_booked_after(admin_client, admin_user_oia):
    line = BudgetLineFactory(budget=BudgetFactory(year=2025, status="adopted"), planned=Decimal("1000.00"))
    url = reverse("budget:budget-close", kwargs={"year": 2025})

    assert "Closing ends the year" in admin_client.get(url).content.decode()
    response = admin_client.post(url)

    assert response.status_code == 302
    assert Budget.objects.get(year=2025).status == "closed"
    with pytest.raises(ValidationError, match="only on an adopted budget"):
        services.expense_book(
            line=line,
            date=datetime.date(2025, 12, 30),
            payee="Hotel",
            description="Late bill",
            by=admin_user_oia,
            amount=Decimal("10.00"),
        )
    assert not Expense.objects.exists()


def test_a_draft_cannot_be_closed_and_the_page_says_why(admin_client):
    BudgetFactory(year=2027, status="draft")

    response = admin_client.post(reverse("budget:budget-close", kwargs={"year": 2027}))

    assert response.status_code == 200
    assert "Only an adopted budget can be closed." in response.content.decode()
    assert Budget.objects.get(year=2027).status == "draft"


def test_staff_may_not_close_a_budget(staff_client, staff_user):
    budget = BudgetFactory(year=2025, status="adopted")

    assert staff_client.post(reverse("budget:budget-close", kwargs={"year": 2025})).status_code == 403
    with pytest.raises(ValidationError):
        services.budget_close(budget=budget, by=staff_user)
    assert Budget.objects.get(year=2025).status == "adopted"


def test_the_api_closes_for_admins_and_refuses_staff(admin_user_oia, staff_user):
    budget = BudgetFactory(year=2025, status="adopted")
    url = reverse("api:budget-close", args=[budget.pk])
    staff, admin = APIClient(), APIClient()
    staff.force_authenticate(staff_user)
    admin.force_authenticate(admin_user_oia)

    assert staff.post(url).status_code == 403
    closed = admin.post(url)
    again = admin.post(url)

    assert closed.status_code == 200
    assert closed.json()["status"] == "closed"
    assert again.status_code == 400
    assert "Only an adopted budget can be closed." in str(again.json())
