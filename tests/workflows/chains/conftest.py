"""The expenditure chains' role holders and chains, shared by the modules that test them.

A module that needs other people or chains (the notice chain, the history) defines its own.
"""

from __future__ import annotations

import pytest

from .expenditure import make_chains, make_people


@pytest.fixture
def people(street_tree, role_user):
    return make_people(street_tree, role_user)


@pytest.fixture
def chains(street_tree, people, public_site):
    return make_chains(street_tree)
