app_name = "talents"
urlpatterns: list = []
