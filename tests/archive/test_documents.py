"""Reading and rewriting archived documents: links, nonces, htmx attributes and the CSP."""

from django.utils.csp import CSP

from archive import documents

PAGE = """<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <link rel="canonical" href="http://site.test/en/">
  <link rel="stylesheet" href="/static/css/site.css">
  <script src="/static/js/site.js" defer nonce="abc123"></script>
</head>
<body>
  <a href="/en/features/?status=ga" hx-get="/en/features/?status=ga" hx-target="#results">GA</a>
  <img src="/static/a.png" srcset="/static/a.png 1x, /static/b.png 2x" alt="">
  <a href="https://learn.microsoft.com/azure/aks/">Docs</a> <a href="#main">Skip</a>
  <script nonce="abc123">document.title = "x";</script>
  <script type="application/ld+json">{"url": "http://site.test/en/"}</script>
</body>
</html>
"""


def _rewrite(value: str) -> str | None:
    if value.startswith("/"):
        return "local:" + value
    return None


def test_links_are_found_in_every_url_attribute_and_srcset():
    links = list(documents.html_links(documents.parse_html(PAGE)))
    assert links == [
        "http://site.test/en/",
        "/static/css/site.css",
        "/static/js/site.js",
        "/en/features/?status=ga",
        "/static/a.png",
        "/static/a.png",
        "/static/b.png",
        "https://learn.microsoft.com/azure/aks/",
        "#main",
    ]


def test_rewriting_changes_links_and_drops_nonces_and_htmx_attributes_only():
    text = documents.rewrite_html(documents.parse_html(PAGE), _rewrite)
    assert '<a href="local:/en/features/?status=ga">GA</a>' in text
    assert 'srcset="local:/static/a.png 1x, local:/static/b.png 2x"' in text
    assert '<script src="local:/static/js/site.js" defer>' in text
    assert "nonce" not in text and "hx-" not in text
    assert '<a href="https://learn.microsoft.com/azure/aks/">Docs</a> <a href="#main">' in text
    # Everything else is byte for byte as it was.
    assert text.splitlines()[:4] == PAGE.splitlines()[:4]
    assert '<script type="application/ld+json">{"url": "http://site.test/en/"}</script>' in text


def test_the_archive_policy_allows_inline_scripts_by_hash_instead_of_a_nonce():
    config = {
        "default-src": [CSP.SELF],
        "script-src": [CSP.SELF, CSP.NONCE],
        "frame-ancestors": [CSP.NONE],
        "base-uri": [CSP.NONE],
    }
    policy = documents.archive_policy(config, documents.parse_html(PAGE))
    script_hash = documents.csp_hash('document.title = "x";')
    assert policy == f"default-src 'self'; script-src 'self' {script_hash}; base-uri 'none'"


def test_the_policy_meta_comes_right_after_the_charset():
    parsed = documents.parse_html(PAGE)
    text = documents.insert_csp_meta(PAGE, parsed, "script-src 'self'")
    lines = text.splitlines()
    assert lines[3] == '  <meta charset="utf-8">'
    assert (
        lines[4] == """  <meta http-equiv="Content-Security-Policy" content="script-src 'self'">"""
    )


def test_absolute_addresses_of_the_site_are_found_in_any_text_and_nowhere_else():
    pattern = documents.absolute_url_pattern(["http://site.test"])
    text = (
        "<loc>http://site.test/en/?a=1&amp;b=2</loc> http://site.test.evil.example/x "
        "[LocalDNS](http://site.test/en/features/localdns/), http://site.test"
    )
    assert list(documents.text_links(text, pattern, markup=True)) == [
        "http://site.test/en/?a=1&b=2",
        "http://site.test/en/features/localdns/",
        "http://site.test",
    ]


def test_rewriting_text_keeps_markup_escaped():
    pattern = documents.absolute_url_pattern(["http://site.test"])
    text = documents.rewrite_text(
        "<loc>http://site.test/en/?a=1&amp;b=2</loc>",
        pattern,
        lambda url: url.replace("http://site.test/", "https://archive.test/r/"),
        markup=True,
    )
    assert text == "<loc>https://archive.test/r/en/?a=1&amp;b=2</loc>"


def test_stylesheet_references_are_found_and_rewritten():
    css = "@import 'base.css'; .a { background: url(\"/static/img/a.png\") } .b { x: url(data:x) }"
    assert list(documents.css_links(css)) == ["base.css", "/static/img/a.png", "data:x"]
    rewritten = documents.rewrite_css(css, _rewrite)
    assert 'url("local:/static/img/a.png")' in rewritten and "url(data:x)" in rewritten
