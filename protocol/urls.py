"""TODO"""

from django.urls import path  # noqa: F401

app_name = "protocol"

urlpatterns = [
    # ----- consular posts and national days -----
    #
    #
    #
    # ----- events and guests -----
    #
    #
    #
    # ----- city ambassadors -----
]
