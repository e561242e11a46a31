"""Moving through a page with the keyboard alone, as a person who does not use a mouse:
Tab (or Shift+Tab) until the element wanted has the focus, checking that the focus is
always somewhere and always visible."""

#: the focused element's accessible name, near enough: its label, aria-label or text
FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const label = el.labels && el.labels.length ? el.labels[0].innerText : null;
  return (label || el.getAttribute("aria-label") || el.innerText || el.value || "")
    .replace(/\\s+/g, " ").trim();
}"""

#: whether the focused element is drawn differently from unfocused: GOV.UK Frontend's
#: focus style is a yellow outline, box shadow or background
FOCUS_SHOWN = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return false;
  const style = getComputedStyle(el);
  const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0
    && style.outlineColor !== "rgba(0, 0, 0, 0)" && style.outlineColor !== "transparent";
  const shadow = style.boxShadow && style.boxShadow !== "none";
  const yellow = style.backgroundColor === "rgb(255, 221, 0)";
  return outline || shadow || yellow;
}"""

PRESSES = 250


def focused(page) -> str | None:
    return page.evaluate(FOCUSED)


def tab_to(
    page, name: str, *, backwards: bool = False, exact: bool = False, within: str | None = None
) -> None:
    """Press Tab (Shift+Tab backwards) until the focused element's name is ``name`` (or
    starts with it), inside the element ``within`` (a CSS selector) if given, and check
    the focus can be seen there."""
    key = "Shift+Tab" if backwards else "Tab"
    inside = "(selector) => document.activeElement.closest(selector) !== null"
    seen = []
    for _ in range(PRESSES):
        page.keyboard.press(key)
        now = focused(page)
        seen.append(now)
        if (
            now is not None
            and (now == name if exact else now.startswith(name))
            and (within is None or page.evaluate(inside, within))
        ):
            assert page.evaluate(FOCUS_SHOWN), f"the focus on {name!r} cannot be seen"
            return
    raise AssertionError(f"{name!r} was never reached with {key}; the focus went: {seen[-30:]}")


def press(page, key: str) -> None:
    """Press a key on the focused element, which must be somewhere visible."""
    assert focused(page) is not None, f"nothing has the focus to press {key} on"
    page.keyboard.press(key)


def follow(page, key: str = "Enter") -> None:
    """Press a key that opens another page (a link, a button that posts), and wait for
    it."""
    assert focused(page) is not None, f"nothing has the focus to press {key} on"
    with page.expect_navigation():
        page.keyboard.press(key)
