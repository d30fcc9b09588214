"""The one paginator: every list, desk, statement and dashboard table shows a page of rows,
never the whole programme. Templates render it with `common/_pagination.html`."""

from django.core.paginator import Page, Paginator

# 25 rows: what a phone shows, and what a page renders in about the time of the bare 25-row
# page at regional scale (benchmarks/pages.py). Every list uses it unless it says otherwise.
PAGE_SIZE = 25


def paginate(request, items, *, per_page: int = PAGE_SIZE, param: str = "page") -> Page:
    """The page of `items` the request asks for (`?page=`, or `param` when a page shows two
    tables), with `.query`: the request's other parameters, kept by the page links."""
    page = Paginator(items, per_page).get_page(request.GET.get(param))
    query = request.GET.copy()
    query.pop(param, None)
    page.query = query.urlencode()
    page.param = param
    return page
