// Site-wide behaviour kept out of the templates so a strict Content-Security-Policy can hold.
// After htmx swaps content in (a new card, its back, an undo, the next quiz question), move focus
// to what the learner works with next: the element marked data-autofocus (the answer box of a typed
// or cloze card, the heading otherwise). On afterSettle, whose target is the new element even when
// the old one was replaced whole (outerHTML). The `autofocus` attribute on the same element does
// this on a first, full page load; templates leave it out of htmx answers, since htmx would focus
// it whatever the learner was doing. Only when the learner was
// working in what was replaced (or nowhere): a swap they did not ask for from there (the "done
// for now" panel looking again by itself) leaves their focus where it is, on a link or a field.
let focusWasInTarget = true;
document.addEventListener("htmx:beforeSwap", (event) => {
  const active = document.activeElement;
  const target = event.detail.target;
  focusWasInTarget = !active || active === document.body ||
    (target instanceof Element && target.contains(active));
});
document.addEventListener("htmx:afterSettle", (event) => {
  const swapped = event.target;
  if (!(swapped instanceof Element) || !swapped.isConnected) return;
  const focusable = swapped.matches("[data-autofocus]") ? swapped : swapped.querySelector("[data-autofocus]");
  // Nor when the learner has moved on since (one swap settles in steps, each an event): focus
  // they gave a link outside it stays there.
  const active = document.activeElement;
  const free = !active || active === document.body || swapped.contains(active);
  const focused = focusable && focusWasInTarget && free;
  if (focused) focusable.focus();
  // Say once, politely, what arrived ("New card: …"): the page's one live region stays in place
  // outside the swapped content, so screen readers hear each change in it. Content that says
  // nothing empties it (what it said belonged to what was replaced), and so does content whose
  // announcement the focused heading already reads out ("You are done for now"): said twice
  // otherwise.
  const region = document.querySelector("[data-announcements]");
  if (!region || !swapped.hasAttribute("data-announce")) return;
  const text = swapped.dataset.announce || "";
  const bare = (words) => words.trim().replace(/\.$/, "");
  region.textContent = "";
  if (text && !(focused && bare(focusable.textContent) === bare(text))) {
    // Emptied first, so the same words for two cards in a row are still spoken.
    setTimeout(() => { region.textContent = text; }, 50);
  }
});

// A sentence's popover on the article page stays inside the screen: shifted left when it would
// run off the right edge (its width is already capped by the CSS at the screen's width), and
// scrolled into view when it opened below the screen's bottom (a sentence tapped near it on a
// phone), smoothly unless the learner asks for less motion.
const lessMotion = window.matchMedia("(prefers-reduced-motion: reduce)");
document.addEventListener("toggle", (event) => {
  const details = event.target;
  if (!(details instanceof HTMLDetailsElement) || !details.open) return;
  const info = details.querySelector(".passage-info");
  if (!info) return;
  // The sentences are one group (<details name>): a browser too old to close the others itself.
  if (details.name) {
    for (const other of document.querySelectorAll("details[name][open]")) {
      if (other !== details && other.name === details.name) other.open = false;
    }
  }
  info.style.removeProperty("translate");
  const margin = 8;
  const box = info.getBoundingClientRect();
  const overflow = box.right - (document.documentElement.clientWidth - margin);
  const shift = overflow > 0 ? Math.min(overflow, box.left - margin) : 0;
  if (shift > 0) info.style.setProperty("translate", `${-shift}px 0`);
  info.scrollIntoView({ block: "nearest", behavior: lessMotion.matches ? "auto" : "smooth" });
}, true);

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
// Arriving at a part of a page by its address (#answer-N, the quiz answer just marked right), focus
// moves to that part when it asks (data-focus-on-arrival): the browser only scrolls to it, leaving
// focus at the top of the page, far from the change, and on the heading's autofocus.
document.addEventListener("DOMContentLoaded", () => {
  let id = "";
  try {
    id = decodeURIComponent(location.hash.slice(1));
  } catch {
    return; // an address no part of the page has
  }
  const part = id && document.getElementById(id);
  if (part && part.matches("[data-focus-on-arrival]")) part.focus();
});
// A table or chart too wide for the screen scrolls inside its own box (.table-scroll, .heat-scroll).
// Such a box must be reachable by keyboard to be scrolled: when it overflows and holds nothing
// focusable, it becomes a named, focusable region (named after its table's caption, its chart's
// title, or the heading or summary of the part it sits in).
const scrollBoxes = (root) => {
  for (const box of root.querySelectorAll(".table-scroll, .heat-scroll")) {
    const overflows = box.scrollWidth > box.clientWidth + 1;
    const reachable = box.querySelector("a[href], button, input, select, textarea, [tabindex]");
    if (!overflows || reachable || box.hasAttribute("tabindex")) continue;
    const part = box.closest("section, .chart-block");
    // A chart's own title first: two charts of one part must not share a name.
    const name = box.querySelector("caption, svg > title")?.textContent ||
      part?.querySelector("h2, h3")?.textContent || "Table";
    box.setAttribute("tabindex", "0");
    box.setAttribute("role", "region");
    box.setAttribute("aria-label", `${name.trim()} (scrolls sideways)`);
  }
};
document.addEventListener("DOMContentLoaded", () => scrollBoxes(document));
document.addEventListener("htmx:afterSettle", (event) => {
  if (event.target instanceof Element) scrollBoxes(event.target);
});
// A box inside a closed <details> has no size until it opens.
document.addEventListener("toggle", (event) => {
  if (event.target instanceof HTMLDetailsElement && event.target.open) scrollBoxes(event.target);
}, true);
window.addEventListener("resize", () => scrollBoxes(document));
