"""A public page that uses the CSP nonce (no page of the site does today), served through the
page cache: what any such page would get."""

from django.http import HttpResponse
from django.middleware.csp import get_nonce
from django.urls import path

from ignite.page_cache import public_page


@public_page
def page_with_a_nonce(request):
    body = f'<!doctype html><title>x</title><script nonce="{get_nonce(request)}">1</script>'
    return HttpResponse(body + "<p>" + "padding " * 100 + "</p>")


urlpatterns = [path("with-a-nonce/", page_with_a_nonce)]
