"""factory-boy factories: each makes a valid object with one call."""

import datetime

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from partners.models import StatusChange

TEST_PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    """A user; pass ``role="oia_staff"`` (etc.) to put them in that role's group."""

    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if extracted:
            # get_or_create: transactional tests flush the groups the migration made.
            self.groups.add(Group.objects.get_or_create(name=extracted)[0])
        if create:
            self.save()


class CityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "partners.City"

    name = factory.Sequence(lambda n: f"City {n}")
    country = "FR"
    latitude = factory.Sequence(lambda n: round(40 + (n % 100) * 0.1, 6))
    longitude = factory.Sequence(lambda n: round(2 + (n % 100) * 0.1, 6))


class PartnershipFactory(factory.django.DjangoModelFactory):
    """A partnership with its first status entry (``status``, default active)."""

    class Meta:
        model = "partners.Partnership"
        skip_postgeneration_save = True

    partner_city = factory.SubFactory(CityFactory)
    kind = "twinning"
    formalised_on = datetime.date(1990, 5, 12)

    @factory.post_generation
    def status(self, create, extracted, **kwargs):
        if create:
            StatusChange.objects.create(
                partnership=self, status=extracted or "active", effective_on=self.formalised_on, reason="Formalised."
            )


class ClubFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "partners.Club"
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Friends of City {n} e.V.")
    member_count = 40

    @factory.post_generation
    def partnerships(self, create, extracted, **kwargs):
        if create and extracted:
            self.partnerships.set(extracted)


class ClubAssociationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "partners.ClubAssociation"
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Umbrella association {n} e.V.")
    contact_email = "dachverband@example.org"

    @factory.post_generation
    def clubs(self, create, extracted, **kwargs):
        if create and extracted:
            for club in extracted:
                club.association = self
                club.save(update_fields=["association"])

    @factory.post_generation
    def leaders(self, create, extracted, **kwargs):
        if create and extracted:
            self.leaders.set(extracted)


class SubPartnershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "partners.SubPartnership"

    partnership = factory.SubFactory(PartnershipFactory)
    kind = "school"
    local_institution = factory.Sequence(lambda n: f"Goethe-Gymnasium {n}")
    partner_institution = factory.Sequence(lambda n: f"Lycée {n}")


class TrilateralLinkFactory(factory.django.DjangoModelFactory):
    """A partnership linked with another partnership (pass ``third_city`` and
    ``linked_partnership=None`` for a third city instead)."""

    class Meta:
        model = "partners.TrilateralLink"

    partnership = factory.SubFactory(PartnershipFactory)
    linked_partnership = factory.SubFactory(PartnershipFactory)
    note = "Youth orchestra of the three cities"


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "partners.Contact"

    partnership = factory.SubFactory(PartnershipFactory)
    name = factory.Faker("name")
    role = "Head of International Relations"
    organisation = "City Hall"
    email = factory.Sequence(lambda n: f"contact{n}@example.org")


class DocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "partners.Document"

    partnership = factory.SubFactory(PartnershipFactory)
    title = "Partnership agreement"
    file = factory.django.FileField(filename="agreement.pdf", data=b"%PDF-1.4\n%%EOF\n")


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "delegations.Department"
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Department {n}")


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "delegations.Person"

    name = factory.Faker("name")
    title = "Deputy Mayor"
    department = factory.SubFactory(DepartmentFactory)


class DelegationFactory(factory.django.DjangoModelFactory):
    """An outbound draft trip to a city, 3 days in spring 2026."""

    class Meta:
        model = "delegations.Delegation"

    direction = "outbound"
    title = factory.Sequence(lambda n: f"Trip {n}")
    purpose = "partner_city_visit"
    city = factory.SubFactory(CityFactory)
    country = factory.LazyAttribute(lambda d: d.city.country if d.city else "FR")
    start_on = datetime.date(2026, 4, 20)
    end_on = factory.LazyAttribute(lambda d: d.start_on + datetime.timedelta(days=2))
    department = factory.SubFactory(DepartmentFactory)
    status = factory.LazyAttribute(lambda d: "draft" if d.direction == "outbound" else "requested")


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "delegations.Participant"

    delegation = factory.SubFactory(DelegationFactory)
    person = factory.SubFactory(PersonFactory)
    role = "member"
    sector = "government"


class ProgrammeItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "delegations.ProgrammeItem"

    delegation = factory.SubFactory(DelegationFactory)
    date = factory.LazyAttribute(lambda item: item.delegation.start_on)
    title = "Meeting with the mayor"
    place = "City Hall"


class CostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "delegations.Cost"

    delegation = factory.SubFactory(DelegationFactory)
    category = "travel"
    estimated = 1000


class GiftFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "delegations.Gift"

    delegation = factory.SubFactory(DelegationFactory)
    direction = "given"
    description = factory.Sequence(lambda n: f"City chronicle {n}")
    counterpart = "Mayor"
    value = 40


class OutcomeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "delegations.Outcome"

    delegation = factory.SubFactory(DelegationFactory)
    kind = "follow_up"
    description = "Send the tram study"


class CoordinationCaseFactory(factory.django.DjangoModelFactory):
    """Two trips to the same city at the same time, as a case (lower id first)."""

    class Meta:
        model = "delegations.CoordinationCase"

    trip = factory.SubFactory(DelegationFactory)
    other = factory.LazyAttribute(lambda case: DelegationFactory(city=case.trip.city))
    match = "same_city"


class NetworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "networks.Network"
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Network {n}")
    acronym = factory.Sequence(lambda n: f"N{n}")
    scope = "european"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "networks.Membership"

    network = factory.SubFactory(NetworkFactory)
    since = datetime.date(2005, 1, 1)
    lead_department = factory.SubFactory(DepartmentFactory)
    yearly_fee = 16000


class BudgetFactory(factory.django.DjangoModelFactory):
    """An adopted line-item budget for 2026."""

    class Meta:
        model = "budget.Budget"
        django_get_or_create = ("year",)

    year = 2026
    mode = "line_item"
    status = "adopted"


class BudgetLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "budget.BudgetLine"

    budget = factory.SubFactory(BudgetFactory)
    name = factory.Sequence(lambda n: f"Line {n}")
    category = "partner_cities"
    planned = 13000


class ExpenseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "budget.Expense"

    line = factory.SubFactory(BudgetLineFactory)
    date = datetime.date(2026, 3, 1)
    amount = 100
    payee = "Hotel am Römer"
    description = "Accommodation"


class SupplementaryRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "budget.SupplementaryRequest"

    line = factory.SubFactory(BudgetLineFactory)
    amount_requested = 25000
    justification = "Jubilee year: 25 years of partnership."
    status = "submitted"


class CommitmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "budget.Commitment"

    line = factory.SubFactory(BudgetLineFactory)
    amount = 500
    description = "Trip to Lyon"


class NetworkRoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "networks.NetworkRole"

    network = factory.SubFactory(NetworkFactory)
    person = factory.SubFactory(PersonFactory)
    body = "Executive Committee"
    title = "Treasurer"
    starts_on = datetime.date(2024, 1, 1)


class NetworkActivityFactory(factory.django.DjangoModelFactory):
    """An outcome of a membership (pass ``kind="meeting"`` and a ``delegation`` for a meeting attended)."""

    class Meta:
        model = "networks.NetworkActivity"

    network = factory.SubFactory(NetworkFactory)
    kind = "project_partners"
    date = datetime.date(2025, 6, 3)
    title = factory.Sequence(lambda n: f"Project partners for the housing call {n}")


def _a_club_partnership(club):
    """The club's first partnership, or a new one attached to the club."""
    partnership = club.partnerships.first()
    if partnership is None:
        partnership = PartnershipFactory()
        club.partnerships.add(partnership)
    return partnership


class ExchangeFactory(factory.django.DjangoModelFactory):
    """A submitted school exchange of a club with its partner city."""

    class Meta:
        model = "partners.Exchange"

    club = factory.SubFactory(ClubFactory)
    partnership = factory.LazyAttribute(lambda o: _a_club_partnership(o.club))
    kind = "school"
    direction = "outgoing"
    starts_on = datetime.date(2026, 3, 10)
    ends_on = datetime.date(2026, 3, 14)
    title = factory.Sequence(lambda n: f"School exchange {n}")
    participants_local = 20
    participants_partner = 5
    young_participants = 18
    review_status = "submitted"


class GrantApplicationFactory(factory.django.DjangoModelFactory):
    """A submitted application for a group trip of 20 (10 students) in June 2026."""

    class Meta:
        model = "budget.GrantApplication"

    club = factory.SubFactory(ClubFactory)
    partnership = factory.LazyAttribute(lambda o: _a_club_partnership(o.club))
    starts_on = datetime.date(2026, 6, 1)
    ends_on = datetime.date(2026, 6, 7)
    destination = "Kraków"
    programme_summary = "Choir concerts in both cities' town halls."
    travellers = 20
    students = 10
    total_costs = 6000
    own_contribution = 3000
    requested_amount = 1500
    status = "submitted"


class ExchangePhotoFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "partners.ExchangePhoto"

    exchange = factory.SubFactory(ExchangeFactory)
    image = factory.django.ImageField(width=40, height=30, format="JPEG", filename="photo.jpg")
    caption = "On stage in the town hall"


class ReportRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "reports.ReportRequest"

    year = 2025
    idempotency_key = factory.Sequence(lambda n: f"key-{n}")


class ReportVersionFactory(factory.django.DjangoModelFactory):
    """A draft version with small stand-in renderings (real ones come from the service)."""

    class Meta:
        model = "reports.ReportVersion"

    year = 2025
    number = factory.Sequence(lambda n: n + 1)
    request = factory.SubFactory(ReportRequestFactory, year=factory.SelfAttribute("..year"))
    data_cut_off = factory.LazyFunction(lambda: datetime.datetime(2026, 1, 15, 6, 0, tzinfo=datetime.UTC))
    checksum = "0" * 64
    figures = factory.LazyAttribute(lambda v: {"year": v.year, "sections": []})
    html = "<p>The report.</p>"
    pdf = b"%PDF-1.7 stand-in"
    xlsx = b"PK stand-in"


class JubileePlanFactory(factory.django.DjangoModelFactory):
    """A planned 25th jubilee in 2026 (partnership formalised in 2001) on a
    line of the 2026 budget, made directly: no commitment (the service makes one)."""

    class Meta:
        model = "budget.JubileePlan"

    partnership = factory.SubFactory(PartnershipFactory, formalised_on=datetime.date(2001, 6, 1))
    year = 2026
    years = 25
    title = factory.Sequence(lambda n: f"Jubilee {n}")
    starts_on = datetime.date(2026, 6, 1)
    estimate = 20000
    line = factory.SubFactory(BudgetLineFactory)


# protocol


class ConsularPostFactory(factory.django.DjangoModelFactory):
    """An open career consulate-general whose consul-general received the exequatur in 2020."""

    class Meta:
        model = "protocol.ConsularPost"

    country = "FR"
    kind = "consulate_general"
    name = factory.Sequence(lambda n: f"Consulate-General {n}")
    # A name no search for another post's head can match by chance (a Faker name could).
    head = factory.SubFactory(
        PersonFactory, department=None, title="Consul General", name=factory.Sequence(lambda n: f"Head of post {n}")
    )
    head_title = "Consul General"
    head_class = 1
    head_category = "career"
    exequatur_on = datetime.date(2020, 3, 1)
    national_day_month = 7
    national_day_day = 14
    opened_on = datetime.date(1990, 1, 1)


class NationalDayObservanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "protocol.NationalDayObservance"

    post = factory.SubFactory(ConsularPostFactory)
    date = datetime.date(2026, 7, 14)
    kind = "greeting"


class AmbassadorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "protocol.Ambassador"

    person = factory.SubFactory(PersonFactory, department=None, title="")
    city = factory.SubFactory(CityFactory)
    tie = "Born in our city"
    appointed_on = datetime.date(2024, 1, 1)
    areas = factory.LazyFunction(lambda: ["trade"])


class AmbassadorActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "protocol.AmbassadorActivity"

    ambassador = factory.SubFactory(AmbassadorFactory)
    date = datetime.date(2026, 3, 1)
    kind = "introduction"
    description = "Introduced a trade association"


class EventFactory(factory.django.DjangoModelFactory):
    """A public Europe Day in City Hall on 9 May 2026."""

    class Meta:
        model = "protocol.Event"

    title = factory.Sequence(lambda n: f"Europe Day {n}")
    kind = "europe_day"
    starts_at = factory.LazyFunction(lambda: datetime.datetime(2026, 5, 9, 11, 0, tzinfo=datetime.UTC))
    place = "City Hall"
    is_public = True


class EventCostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "protocol.EventCost"

    event = factory.SubFactory(EventFactory)
    description = "Stage and sound"
    estimated = 2000


class GuestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "protocol.Guest"

    event = factory.SubFactory(EventFactory)
    person = factory.SubFactory(PersonFactory, department=None)
