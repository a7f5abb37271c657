"""mkdocs hook: the Content-Security-Policy <meta> tag of generator/render/csp.py on every page.

It must stay the last hook in mkdocs.yml `hooks:` that changes page HTML: a script changed
after the hash is computed would be blocked.
"""

from __future__ import annotations

from generator.render.csp import with_policy


def on_post_page(output, page, config):  # noqa: ANN001, ANN201 - mkdocs hook signature
    return with_policy(output)


def on_post_template(output_content, template_name, config):  # noqa: ANN001, ANN201 - mkdocs hook signature
    # 404.html is a theme template, not a page: it gets the same policy.
    if template_name.endswith(".html"):
        return with_policy(output_content)
    return output_content
