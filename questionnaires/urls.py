app_name = "questionnaires"

urlpatterns: list = []
