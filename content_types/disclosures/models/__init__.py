"""Disclosures (公开公示): figures a compound must publish, kept as rows owners can check.

The figures are structured rather than prose so that totals and rates are computed, never typed,
and so that a statement that does not add up cannot be saved at all — not from the admin, not
from code, not even as a draft. One module per kind; ``kinds`` declares what the API, the
dashboard and the configuration file know of each.
"""

from .asset_lists import AssetItem, AssetKind, AssetListsPage
from .base import (
    NOT_NEGATIVE,
    ZERO,
    DisclosurePage,
    Errors,
    FiguresHoldInDrafts,
    ReportingPeriod,
    money_field,
    percent,
    round_half_up,
    row_errors,
    yuan,
)
from .fee_collection import (
    COLLECTION_FIGURES,
    BuildingCollection,
    CollectionFigures,
    FeeCollectionPage,
)
from .finance import Direction, FinanceLine, FinanceStatementPage, Fund, line_totals
from .property_services import (
    EnergyCostSplit,
    EnergyKind,
    PropertyServicesPage,
    ServiceItem,
    SplitBasis,
)

__all__ = [
    "COLLECTION_FIGURES",
    "NOT_NEGATIVE",
    "ZERO",
    "AssetItem",
    "AssetKind",
    "AssetListsPage",
    "BuildingCollection",
    "CollectionFigures",
    "Direction",
    "DisclosurePage",
    "EnergyCostSplit",
    "EnergyKind",
    "Errors",
    "FeeCollectionPage",
    "FiguresHoldInDrafts",
    "FinanceLine",
    "FinanceStatementPage",
    "Fund",
    "PropertyServicesPage",
    "ReportingPeriod",
    "ServiceItem",
    "SplitBasis",
    "line_totals",
    "money_field",
    "percent",
    "round_half_up",
    "row_errors",
    "yuan",
]
