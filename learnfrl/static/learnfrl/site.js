// Site-wide behaviour kept out of the templates so a strict Content-Security-Policy can hold.
document.addEventListener("htmx:afterSwap", (event) => {
  // Move focus to the first heading or control of swapped-in content for keyboard and screen-reader users.
  const target = event.detail.target;
  const focusable = target.querySelector("[data-autofocus]");
  if (focusable) focusable.focus();
});

// Esc closes the open disclosure (<details>) that has focus or was last opened, and gives focus
// back to its summary, as a disclosure should.
document.addEventListener("keydown", (event) => {
  if (event.key !== "Escape") return;
  const inside = document.activeElement?.closest("details[open]");
  const open = inside || document.querySelector("details[open]");
  if (!open) return;
  event.preventDefault();
  open.open = false;
  open.querySelector("summary")?.focus();
});

// Sign-up sends the browser's time zone, so that the learner's days start at their own hour.
for (const input of document.querySelectorAll("input[data-browser-time-zone]")) {
  try {
    input.value = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
  } catch {
    // An old browser without time zones: the server uses the site's.
  }
}
