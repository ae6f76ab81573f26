"""Registered domains from the Public Suffix List (sources/sites.py), on real hosts."""

from __future__ import annotations

import pytest

from cleaner.settings import SiteKey
from cleaner.sources.sites import PLATFORMS, host_of, place_of, registered_domain, site_key


@pytest.mark.parametrize("host, expected", [
    # the hand-made list got these wrong (issue 18)
    ("www.service-public.gouv.fr", "service-public.gouv.fr"),
    ("www.legifrance.gouv.fr", "legifrance.gouv.fr"),
    ("www.canada.ca", "canada.ca"),
    ("www.cra-arc.gc.ca", "cra-arc.gc.ca"),
    ("www.mhlw.go.jp", "mhlw.go.jp"),
    ("www.city.yokohama.lg.jp", "yokohama.lg.jp"),
    ("coolstore.myshopify.com", "coolstore.myshopify.com"),
    ("www.gov.br", "www.gov.br"),  # gov.br, nhs.uk, gov.za are public suffixes in the PSL
    ("www.bundesregierung.de", "bundesregierung.de"),
    ("www.nhs.uk", "www.nhs.uk"),
    ("www.ox.ac.uk", "ox.ac.uk"),
    ("news.bbc.co.uk", "bbc.co.uk"),
    ("www.abc.net.au", "abc.net.au"),
    ("www.stuff.co.nz", "stuff.co.nz"),
    ("www.gov.za", "www.gov.za"),
    ("www.elpais.com.uy", "elpais.com.uy"),
    ("www.xinhuanet.com.cn", "xinhuanet.com.cn"),
    ("www.kantei.go.jp", "kantei.go.jp"),
    ("www3.nhk.or.jp", "nhk.or.jp"),
    ("store.steampowered.com", "steampowered.com"),
    ("alice.github.io", "alice.github.io"),
    ("foo.blogspot.com", "foo.blogspot.com"),
    ("d111111abcdef8.cloudfront.net", "d111111abcdef8.cloudfront.net"),
    ("my-app.herokuapp.com", "my-app.herokuapp.com"),
    ("site.pages.dev", "site.pages.dev"),
    ("a.b.s3.amazonaws.com", "b.s3.amazonaws.com"),
    ("bücher.de", "bücher.de"),
    ("xn--bcher-kva.de", "xn--bcher-kva.de"),
    ("example.com", "example.com"),
    ("127.0.0.1", "127.0.0.1"),
    ("::1", "::1"),
    ("2001:db8::1", "2001:db8::1"),
    ("fe80::1%eth0", "fe80::1%eth0"),
    ("10.0.0.256", "0.256"),  # not an address (an octet past 255): a name, as the suffix list reads it
    ("192.168.001.1", "001.1"),  # nor this (a leading zero)
    ("12.example.com", "example.com"),
    ("host.10", "host.10"),
    ("localhost", "localhost"),
    ("gouv.fr", "gouv.fr"),  # a public suffix itself: its own key
    # platforms missing from the PSL: each blog its own site
    ("someone.wordpress.com", "someone.wordpress.com"),
    ("writer.substack.com", "writer.substack.com"),
    ("wordpress.com", "wordpress.com"),
])
def test_registered_domain_of_real_hosts(host, expected):
    assert expected == registered_domain(host)


def test_the_platform_additions_are_not_already_in_the_suffix_list():
    from publicsuffixlist import PublicSuffixList

    psl = PublicSuffixList()
    assert [] == sorted(p for p in PLATFORMS if psl.is_public(p))  # else they can go


def test_site_key_of_a_url_under_a_government_suffix():
    assert "service-public.gouv.fr" == site_key("https://www.service-public.gouv.fr/particuliers", "x/1.txt")
    assert "gov.br" == site_key("https://www.gov.br/saude/pt-br", "x/1.txt")  # www. dropped first


@pytest.mark.parametrize("mode", list(SiteKey))
def test_place_of_is_the_host_and_the_site_key(mode):
    urls = [None, "", "https://www.bbc.co.uk/news/1", "http://127.0.0.1:8080/x", "https://[::1]/y",
            "example.org/page", "https://Foo.BLOGSPOT.com/2020/", "mailto:someone", "https://www./"]
    for url in urls:
        for relpath in (None, "a.jsonl", "site/a.jsonl"):
            assert (host_of(url), site_key(url, relpath, mode)) == place_of(url, relpath, mode)
