app_name = "public_talents"
urlpatterns: list = []
