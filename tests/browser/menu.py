"""The main menu in browser tests: its links sit in groups (closed <details>), so a test opens
the group first, as a person would."""

import re


def menu_go(page, name: str) -> None:
    """Follow the main menu's link named exactly `name`, opening its group if it is closed."""
    link = page.locator(".main-nav a").filter(has_text=re.compile(rf"^\s*{re.escape(name)}\s*$"))
    link = link.first
    group = link.locator("xpath=ancestor::details[1]")
    if group.count() and not group.evaluate("details => details.open"):
        group.locator("summary").click()
    link.click()
