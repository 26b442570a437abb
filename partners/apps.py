import warnings

from django.apps import AppConfig
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "partners"
    verbose_name = _("Partner cities")

    def ready(self):
        # Pillow's own guard against decompression bombs, at our photo limit:
        # it warns above it and refuses twice it; the warning becomes an error,
        # so no image over the limit is ever decoded (services.resized_jpeg).
        from PIL import Image

        Image.MAX_IMAGE_PIXELS = settings.OIA_PHOTO_MAX_PIXELS
        warnings.simplefilter("error", Image.DecompressionBombWarning)

        # Its retention rule joins the nightly job (oia.retention).
        from .retention import register_rules

        register_rules()
        from .personal_data import register_fields

        register_fields()
        from .rights import register_collectors

        register_collectors()
        from .search import register_searches

        register_searches()  # cities, partnerships, clubs and staff for the searchable pickers
        from .people import register_affiliations

        register_affiliations()  # a club leader's clubs on the People pages
