"""Which tables the audit trail tracks, and the event table of each.

django-pghistory installs a trigger on each tracked table that copies the row
into its event table on every insert, update and delete, whatever wrote it (the
ORM, a bulk ``update()``, raw SQL), with the context of the request, task or
command that did it (see ``oia.audit``).

The triggers are declared on proxy models of this app, so the migrations that
install them live here and the apps' own migrations stay untouched (the same
works for Django's User and the implicit many-to-many tables). Each event table
is ``<Model>Event``; its ``pgh_obj`` points at the tracked row's real model, with
no database constraint, so deleting a row (or a user) never touches its events.
"""

import sys

import pghistory
from django.contrib.auth import get_user_model
from django.db import models

# Modules, not names: an event model is called <Model>Event, and partners has an ExchangeEvent.
from budget import models as budget
from delegations import models as delegations
from networks import models as networks
from partners import models as partners
from protocol import models as protocol
from reports import models as reports

User = get_user_model()

# Kept out of the snapshots: the frozen report's rendered files are large and
# never edited; a user's password hash and last sign-in are not the office's
# business (and change on every sign-in).
USER_FIELDS = ["username", "first_name", "last_name", "email", "is_active", "is_staff", "is_superuser"]

# (name, model, fields to snapshot or None for all, fields to leave out)
TRACKED = [
    # partners
    ("City", partners.City, None, []),
    # Its current status is a copy of the latest status change (tracked below), kept by the database.
    ("Partnership", partners.Partnership, None, ["current_status", "current_status_on"]),
    ("PartnershipArea", partners.Partnership.areas.through, None, []),
    ("SubPartnership", partners.SubPartnership, None, []),
    ("TrilateralLink", partners.TrilateralLink, None, []),
    ("AreaOfCooperation", partners.AreaOfCooperation, None, []),
    ("StatusChange", partners.StatusChange, None, []),
    ("Club", partners.Club, None, []),
    ("ClubPartnership", partners.Club.partnerships.through, None, []),
    ("ClubLeader", partners.Club.leaders.through, None, []),
    ("ClubAssociation", partners.ClubAssociation, None, []),
    ("ClubAssociationLeader", partners.ClubAssociation.leaders.through, None, []),
    ("Contact", partners.Contact, None, []),
    ("Document", partners.Document, None, []),
    ("Exchange", partners.Exchange, None, []),
    ("ExchangePhoto", partners.ExchangePhoto, None, []),
    ("ExchangeEvent", partners.ExchangeEvent, None, []),
    # delegations
    ("Department", delegations.Department, None, []),
    ("Person", delegations.Person, None, []),
    ("Delegation", delegations.Delegation, None, []),
    ("Participant", delegations.Participant, None, []),
    ("ProgrammeItem", delegations.ProgrammeItem, None, []),
    ("Cost", delegations.Cost, None, []),
    ("Gift", delegations.Gift, None, []),
    ("Outcome", delegations.Outcome, None, []),
    ("Transition", delegations.Transition, None, []),
    ("CoordinationCase", delegations.CoordinationCase, None, []),
    # networks
    ("Network", networks.Network, None, []),
    ("Membership", networks.Membership, None, []),
    ("NetworkRole", networks.NetworkRole, None, []),
    ("NetworkActivity", networks.NetworkActivity, None, []),
    ("FeeShare", networks.FeeShare, None, []),
    ("MembershipReview", networks.MembershipReview, None, []),
    # budget
    ("Budget", budget.Budget, None, []),
    ("BudgetLine", budget.BudgetLine, None, []),
    ("Expense", budget.Expense, None, []),
    ("Commitment", budget.Commitment, None, []),
    ("BudgetChange", budget.BudgetChange, None, []),
    ("SupplementaryRequest", budget.SupplementaryRequest, None, []),
    ("GrantApplication", budget.GrantApplication, None, []),
    ("GrantRules", budget.GrantRules, None, []),
    ("JubileePlan", budget.JubileePlan, None, []),
    # protocol
    ("ConsularPost", protocol.ConsularPost, None, []),
    ("ConsularPostContact", protocol.ConsularPost.contacts.through, None, []),
    ("NationalDayObservance", protocol.NationalDayObservance, None, []),
    ("Event", protocol.Event, None, []),
    ("EventPartnership", protocol.Event.partnerships.through, None, []),
    ("EventConsularPost", protocol.Event.consular_posts.through, None, []),
    ("EventCost", protocol.EventCost, None, []),
    # The RSVP token's hash is a secret, not a fact worth keeping.
    ("Guest", protocol.Guest, None, ["token_hash"]),
    ("Ambassador", protocol.Ambassador, None, []),
    ("AmbassadorActivity", protocol.AmbassadorActivity, None, []),
    # reports
    ("ReportRequest", reports.ReportRequest, None, []),
    ("ReportVersion", reports.ReportVersion, None, ["html", "pdf", "xlsx", "figures"]),
    # accounts: the user (without password) and their roles
    ("User", User, USER_FIELDS, []),
    ("UserRole", User.groups.through, None, []),
]


def _track(name: str, model, fields, exclude) -> None:
    """A proxy of ``model`` carrying the triggers, and its event model ``<name>Event``."""
    module = sys.modules[__name__]
    meta = type("Meta", (), {"proxy": True, "app_label": "audit", "default_permissions": ()})
    proxy = type(f"Tracked{name}", (model,), {"__module__": __name__, "Meta": meta})
    setattr(module, proxy.__name__, proxy)
    concrete = model._meta.concrete_model
    pghistory.track(
        pghistory.InsertEvent(),
        pghistory.UpdateEvent(),
        pghistory.DeleteEvent(),
        fields=fields,
        exclude=exclude,
        obj_field=None,
        model_name=f"{name}Event",
        app_label="audit",
        attrs={
            # The real model, not the proxy, so pghistory's Events.tracks(obj) finds it.
            "pgh_obj": models.ForeignKey(concrete, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"),
        },
        meta={"default_permissions": (), "verbose_name": f"{concrete._meta.object_name} event"},
    )(proxy)


for _name, _model, _fields, _exclude in TRACKED:
    _track(_name, _model, _fields, _exclude)
