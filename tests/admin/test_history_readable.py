"""History pages read like the change form: labels, money, local times, no "pk=None"."""

from decimal import Decimal

import pytest
from django.urls import reverse

from companies.services import registration_transition
from tests.factories import InterestRegistrationFactory, PledgeFactory

pytestmark = pytest.mark.django_db


def history(client, user, url_name, pk):
    client.force_login(user)
    response = client.get(reverse(url_name, args=(pk,)))
    assert response.status_code == 200
    return response.content.decode()


def test_registration_history_shows_labels_not_codes_and_no_deleted_user(client, staff_user):
    registration = InterestRegistrationFactory(status="received")
    registration_transition(registration=registration, status="under_review", user=staff_user)
    body = history(
        client, staff_user, "admin:companies_interestregistration_history", registration.pk
    )
    assert "Received" in body and "Under review" in body
    assert "under_review" not in body.split('id="change-history"')[1]
    assert "pk=None" not in body and "Deleted user" not in body
    assert "(Asia/Karachi)" in body


def test_pledge_history_shows_money_as_money(client, staff_user):
    pledge = PledgeFactory(amount=Decimal("2500000.00"))
    pledge.amount_usd = Decimal("2600000.00")
    pledge.save()
    body = history(client, staff_user, "admin:investments_pledge_history", pledge.pk)
    assert "US$2,500,000" in body and "US$2,600,000" in body


def test_an_author_without_an_account_reads_as_the_system(client, staff_user):
    registration = InterestRegistrationFactory()
    body = history(
        client, staff_user, "admin:companies_interestregistration_history", registration.pk
    )
    assert "the system (import, API or command)" in body
    assert ">None<" not in body.replace(" ", "").replace("\n", "")
