from wagtail import hooks

from .admin_views import UnitRegisterViewSet


@hooks.register("register_admin_viewset")
def register_units_register() -> UnitRegisterViewSet:
    return UnitRegisterViewSet("weizhi_units")
