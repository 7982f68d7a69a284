"""The demo street's year of content, loaded through the models, chains and services real use has.

``load`` runs each subject in turn (notices, disclosures, governance, expenditures,
elections, cases, reports, audits, firm evaluations, annual tasks, scorecards), every step
at its own date relative to today (``clock``), by the people who would take it (``review``).
Each subject is a module of its own; each skips what an earlier load wrote, so loading twice
changes nothing. Everything runs in one transaction: a demo that no longer fits the rules fails
whole, and says where. Search and reference indexing wait for the end of it, as in an apply
(``search_index``): each of the year's hundreds of saves would otherwise index again.
"""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command
from django.db import transaction

from content_types.structure.models import CommunityPage, CompoundPage, StreetPage
from site_config.search_index import indexing_deferred

from . import (
    annual_tasks,
    audits,
    cases,
    committee_records,
    configured,
    disclosures,
    elections,
    evaluations,
    expenditures,
    governance,
    notices,
    scorecards,
)
from . import reports as report_demo
from .clock import Clock


def load(street_slug: str) -> None:
    clock = Clock()
    with transaction.atomic(), indexing_deferred():
        street = StreetPage.objects.get(slug=street_slug)
        communities = list(CommunityPage.objects.child_of(street).live().order_by("path"))
        compounds = list(CompoundPage.objects.descendant_of(street).live().order_by("path"))
        notices.load(clock, compounds, communities)
        disclosures.load(clock, compounds)
        governance.load(clock, compounds)
        committee_records.load(clock, compounds)
        expenditures.load(clock, compounds)
        elections.load(clock, compounds)
        cases.load(clock, compounds, communities)
        report_demo.load(clock, compounds)
        audits.load(clock, compounds)
        evaluations.load(clock, compounds)
        configured.load(clock, compounds)
        annual_tasks.load(clock, street, communities)
        scorecards.load(clock)  # after everything it counts
        # What the worker does every few minutes: notices whose time is up leave the site.
        call_command("publish_scheduled", stdout=StringIO())
