from django.conf import settings


def organisation(request):
    return {"org": settings.ORGANISATION}
