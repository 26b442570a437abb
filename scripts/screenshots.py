"""Screenshots of the pages the UI work is judged by, for docs/screenshots/.

Runs Debian's headless Chromium against a running server with the demo data
(`make run`, or `manage.py runserver` after `manage.py load_demo`):

    .venv/bin/python scripts/screenshots.py --base http://127.0.0.1:8000 --prefix after

It signs in with the demo logins and saves, each as ``<prefix>-<name>.png``:
the dashboard, a delegation page, the delegation form with errors (desktop),
and the club leader's portal on a 390 px phone. Whole pages, not only the
first screen, so a reviewer sees what a user scrolls through."""

import argparse
import base64
import shutil
import tempfile
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

DESKTOP = (1280, 900)
PHONE = (390, 844)


def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--lang=en-GB"):
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tempfile.mkdtemp(prefix='oia-shots-')}")
    service = Service(executable_path=shutil.which("chromedriver") or "/usr/bin/chromedriver")
    return webdriver.Chrome(service=service, options=options)


def sign_in(driver, base, username, password):
    driver.delete_all_cookies()
    driver.get(base + "/accounts/login/")
    driver.find_element(By.ID, "id_username").send_keys(username)
    driver.find_element(By.ID, "id_password").send_keys(password)
    driver.find_element(By.CSS_SELECTOR, "main button[type=submit]").click()


def shoot(driver, path: Path, size):
    """The whole page at the given width (Chromium's capture beyond the viewport)."""
    driver.set_window_size(*size)
    metrics = driver.execute_cdp_cmd("Page.getLayoutMetrics", {})
    width, height = size[0], metrics["cssContentSize"]["height"]
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": int(height), "deviceScaleFactor": 1, "mobile": size == PHONE},
    )
    shot = driver.execute_cdp_cmd("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True})
    driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    path.write_bytes(base64.b64decode(shot["data"]))
    print(path, f"{width}x{int(height)}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--out", default="docs/screenshots")
    parser.add_argument("--prefix", required=True, help="before or after")
    parser.add_argument("--delegation", type=int, required=True, help="id of a delegation with participants and costs")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    driver = browser()
    try:
        driver.set_window_size(*DESKTOP)
        sign_in(driver, args.base, "staff", "demo-staff")
        driver.get(args.base + "/")
        shoot(driver, out / f"{args.prefix}-dashboard.png", DESKTOP)
        driver.get(f"{args.base}/delegations/{args.delegation}/")
        shoot(driver, out / f"{args.prefix}-delegation.png", DESKTOP)
        driver.get(args.base + "/delegations/new/")
        form = driver.find_element(By.CSS_SELECTOR, "main form[method=post]")
        for name, value in (("title", "Study visit"), ("start_on", "2026-06-12"), ("end_on", "2026-06-10")):
            fields = form.find_elements(By.NAME, name)
            if fields:
                driver.execute_script("arguments[0].value = arguments[1]", fields[0], value)
        form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        shoot(driver, out / f"{args.prefix}-form-errors.png", DESKTOP)
        sign_in(driver, args.base, "clubleader", "demo-clubleader")
        driver.set_window_size(*PHONE)
        driver.get(args.base + "/")
        shoot(driver, out / f"{args.prefix}-portal-phone.png", PHONE)
    finally:
        driver.quit()


if __name__ == "__main__":
    main()
