"""factory_boy factories for directory records (written straight to the test database)."""

from __future__ import annotations

import factory
from factory.alchemy import SQLAlchemyModelFactory

from app.extensions import db
from directory.catalog import records
from directory.models import Location, Organization, Phone, Service, ServiceHours


class Base(SQLAlchemyModelFactory):
    class Meta:
        abstract = True
        sqlalchemy_session_factory = lambda: db.session  # noqa: E731
        sqlalchemy_session_persistence = "commit"


class OrganizationFactory(Base):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Test Organization {n}")
    kind = "ngo"
    scope = "local"


class LocationFactory(Base):
    class Meta:
        model = Location

    organization = factory.SubFactory(OrganizationFactory)
    address_1 = factory.Sequence(lambda n: f"{100 + n} Test Street")
    city = "Chicago"
    region = "IL"
    postal_code = "60601"
    country = "US"
    latitude = 41.8839
    longitude = -87.6270
    timezone = "America/Chicago"
    confidential = False

    @factory.post_generation
    def placed(obj, create, extracted, **kwargs):  # noqa: N805
        records.place_location(obj)


class ServiceFactory(Base):
    class Meta:
        model = Service

    organization = factory.SubFactory(OrganizationFactory)
    location = factory.LazyAttribute(lambda s: LocationFactory(organization=s.organization))
    name = factory.Sequence(lambda n: f"Test Service {n}")
    category = "food"
    languages = "en"
    description = "A test service."


class PhoneFactory(Base):
    class Meta:
        model = Phone

    number = "+13125550199"
    kind = "voice"


class HoursFactory(Base):
    class Meta:
        model = ServiceHours

    weekday = 0
    opens = 9 * 60
    closes = 17 * 60
