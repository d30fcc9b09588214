app_name = "tenancies"

urlpatterns: list = []
