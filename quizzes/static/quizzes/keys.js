// The one keyboard handler of the study card and the quiz question (the element with data-keys):
// 1–9 pick a choice (or, on the back of a card, a rating), Space/Enter show a card's answer
// (Space on a focused button or an unpicked choice works that control instead),
// Enter on a picked quiz choice submits it, - buries and @ suspends the card on its back (as in
// Anki), R says "I was right" about a typed answer marked wrong, U or Ctrl+Z (⌘Z) undoes the last
// action. Plain forms work without it.
(() => {
  const typing = (el) =>
    el && (el.tagName === "TEXTAREA" || el.tagName === "SELECT" ||
      (el.tagName === "INPUT" && !["radio", "checkbox", "button", "submit"].includes(el.type)));

  const press = (event, control) => {
    event.preventDefault();
    control.click();
  };

  // A control Space itself works keeps it: a button is pressed, a choice not yet picked is picked
  // (a picked one, as after 1–9, lets Space show the answer).
  const spaceWorks = (el) =>
    el && (["BUTTON", "SUMMARY"].includes(el.tagName) ||
      (el.tagName === "INPUT" && (["checkbox", "button", "submit"].includes(el.type) ||
        (el.type === "radio" && !el.checked))));

  // Ctrl+Z (⌘Z) undoes the last action, as in Anki, even from the answer box the next card
  // focuses (where U is a letter), unless the box holds text: then it is the browser's own undo.
  const undoChord = (event) =>
    (event.ctrlKey || event.metaKey) && !event.altKey && !event.shiftKey &&
    (event.key === "z" || event.key === "Z");

  document.addEventListener("keydown", (event) => {
    if (undoChord(event)) {
      const undo = document.querySelector('[data-keys] [data-shortcut="undo"]');
      const active = document.activeElement;
      const ownUndo = typing(active) && active.tagName !== "SELECT" && active.value !== "";
      if (undo && !ownUndo) press(event, undo);
      return;
    }
    // "@" is typed with AltGr (Ctrl and Alt together on Windows) or Option on many layouts: it is
    // a key, not a chord. Any other key with Ctrl, Alt or Meta is the browser's.
    const typedAt = event.key === "@" && !event.metaKey;
    if ((event.ctrlKey || event.metaKey || event.altKey) && !typedAt) return;
    const area = document.querySelector("[data-keys]");
    const active = document.activeElement;
    if (!area || typing(active)) return;
    const key = event.key;

    const show = area.querySelector('[data-shortcut="show"]');
    if (show && (key === " " || key === "Enter")) {
      // Enter on a focused button or link does what it does (a link out of the study page), and
      // Space on a focused choice or button.
      const own = key === "Enter" ? ["BUTTON", "A"].includes(active?.tagName) : spaceWorks(active);
      if (!own) press(event, show);
      return;
    }
    if (/^[1-9]$/.test(key)) {
      const target = area.querySelector(`[data-key="${key}"]`);
      if (!target) return;
      if (target.type === "radio") {
        event.preventDefault();
        target.checked = true;
        target.focus();
      } else {
        press(event, target);
      }
      return;
    }
    if (key === "Enter" && active?.type === "radio" && active.form) {
      event.preventDefault();
      active.form.requestSubmit();
      return;
    }
    const hold = { "-": "bury", "@": "suspend" }[key];
    if (hold) {
      // Only the back of a card has these buttons.
      const button = area.querySelector(`[data-shortcut="${hold}"]`);
      if (button) press(event, button);
      return;
    }
    if (key === "r" || key === "R") {
      const claim = area.querySelector('[data-shortcut="claim"]');
      if (claim) press(event, claim);
      return;
    }
    if (key === "u" || key === "U") {
      const undo = area.querySelector('[data-shortcut="undo"]');
      if (undo) press(event, undo);
    }
  });
})();
