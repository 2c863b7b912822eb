app_name = "outside_records"

urlpatterns: list = []
