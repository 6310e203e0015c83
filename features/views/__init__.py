from .catalog import catalog
from .pages import comparison_detail, comparison_list, feature_detail
from .recap import event_recap, home

__all__ = [
    "catalog",
    "comparison_detail",
    "comparison_list",
    "event_recap",
    "feature_detail",
    "home",
]
