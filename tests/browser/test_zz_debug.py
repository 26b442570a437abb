import pytest
from tests.browser.test_phone import a_small_office, staff_tour
pytestmark = pytest.mark.browser
JS = """
const out = [];
for (const e of document.querySelectorAll("body *")) {
  const b = e.getBoundingClientRect();
  if (b.right > window.innerWidth + 0.5 && b.width) {
    let chain = [];
    for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) {
      const o = getComputedStyle(a).overflowX; if (o !== "visible") chain.push(a.tagName + "." + a.className + ":" + o);
    }
    out.push(e.tagName + "." + e.className + " r=" + Math.round(b.right) + " w=" + Math.round(b.width) + " | " + chain.join(" < "));
  }
}
return out.slice(0, 12);
"""
def test_debug(page, transactional_db):
    page.driver.set_window_size(390, 844)
    office = a_small_office()
    page.log_in("stefan")
    for name, path in staff_tour(office):
        if name not in ("partnership page", "event page", "delegation page"):
            continue
        page.driver.get(page.base_url + path)
        print("==", name, page.driver.execute_script("return document.documentElement.scrollWidth"))
        for line in page.driver.execute_script(JS):
            print(line)
    page.driver.set_window_size(1280, 900)
