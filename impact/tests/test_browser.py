"""The impact page in a real Chromium: the headline and the charts, without JavaScript, in English
and in German, on screen and printed on A4; the period form."""

import pytest
from django.utils import translation

from impact import reporting
from impact.selectors import Period, compute_figures

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHARTS = ["chart-countries", "chart-kinds", "chart-sectors", "chart-growth"]


def _headline(language: str) -> str:
    with translation.override(language):
        return reporting.headline(compute_figures(Period()))


@pytest.fixture
def no_script(browser, live_server):
    """Pages of a Chromium with JavaScript turned off, in the given locale."""
    contexts = []

    def open_page(locale="en-GB"):
        context = browser.new_context(
            base_url=live_server.url, locale=locale, java_script_enabled=False
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


def _assert_charts_drawn(page):
    for chart in CHARTS:
        svg = page.locator(f'svg[aria-labelledby="{chart}-title {chart}-desc"]')
        box = svg.bounding_box()
        assert box and box["width"] > 300 and box["height"] > 60, chart
    # Bars and lines are drawn, each value printed beside them.
    assert page.locator("svg.chart rect.series-0").count() >= 7
    assert page.locator("svg.chart polyline.line").count() == 2


def test_headline_and_charts_in_english_without_javascript(no_script, world):
    page = no_script()
    page.goto("/impact/")
    headline = page.locator("#impact-headline")
    assert headline.inner_text() == _headline("en")
    assert headline.inner_text().startswith("5 stakeholders have been mapped")
    _assert_charts_drawn(page)
    country_title = page.locator("#chart-countries-title").text_content()
    assert country_title == "Stakeholders mapped and involved, by country"
    # The table beside the chart says the same, for screen readers and print.
    row = page.locator("#countries-table tr", has_text="Austria")
    assert row.locator("td").all_inner_texts() == ["2", "2", "100.0 %"]


def test_headline_and_charts_in_german(no_script, world):
    page = no_script(locale="de-DE")
    page.goto("/language/?language=de&next=/impact/")
    page.wait_for_url("**/impact/")
    assert page.locator("html").get_attribute("lang") == "de"
    headline = page.locator("#impact-headline").inner_text()
    assert headline == _headline("de") and headline != _headline("en")
    _assert_charts_drawn(page)
    english = "Stakeholders mapped and involved, by country"
    with translation.override("de"):
        title = translation.gettext(english)
    assert title != english
    assert page.locator("#chart-countries-title").text_content() == title
    assert page.locator("#countries-table tr", has_text="Österreich").count() == 1
    assert "100,0 %" in page.locator("#countries-table").inner_text()


def test_printed_on_a4_the_charts_stay_and_the_controls_go(page, world):
    page.goto("/impact/")
    page.emulate_media(media="print")
    assert not page.locator(".impact-period form").is_visible()
    assert not page.locator(".site-navbar").is_visible()
    assert page.locator("#impact-headline").is_visible()
    _assert_charts_drawn(page)
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF") and b"/MediaBox [0 0 595" in pdf


def test_choosing_a_period(page, world):
    page.goto("/impact/")
    page.get_by_role("textbox", name="From", exact=True).fill("2025-03-01")
    page.get_by_role("textbox", name="To", exact=True).fill("2025-04-30")
    page.get_by_role("button", name="Show this period").click()
    page.wait_for_url("**from=2025-03-01&to=2025-04-30**")
    figure = page.locator(".figure-card", has_text="AlpCafés held").locator("dd")
    assert figure.inner_text() == "1"
    csv = page.get_by_role("link", name="CSV", exact=True).get_attribute("href")
    assert csv == "/impact/export.csv?from=2025-03-01&to=2025-04-30"
