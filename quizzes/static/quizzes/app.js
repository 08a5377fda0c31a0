// Keyboard shortcuts for the study card: Space/Enter show the answer, 1–4 pick a choice or a
// rating, - buries and @ suspends the card on its back (as in Anki), U undoes the last action.
// Plain forms work without this file.
(() => {
  const typing = (el) =>
    el && (el.tagName === "TEXTAREA" || el.tagName === "SELECT" ||
      (el.tagName === "INPUT" && !["radio", "checkbox", "button", "submit"].includes(el.type)));

  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const card = document.getElementById("card");
    if (!card || typing(document.activeElement)) return;
    const side = card.dataset.side;
    const key = event.key;

    if (side === "front" && (key === " " || key === "Enter")) {
      const show = card.querySelector('[data-shortcut="show"]');
      if (show && !(key === "Enter" && document.activeElement?.tagName === "BUTTON")) {
        event.preventDefault();
        show.click();
      }
      return;
    }
    if (/^[1-9]$/.test(key)) {
      const target = card.querySelector(`[data-key="${key}"]`);
      if (!target) return;
      event.preventDefault();
      if (side === "front") {
        target.checked = true;
        target.focus();
      } else if (side === "back") {
        target.click();
      }
      return;
    }
    const hold = { "-": "bury", "@": "suspend" }[key];
    if (hold && side === "back") {
      const button = card.querySelector(`[data-shortcut="${hold}"]`);
      if (button) {
        event.preventDefault();
        button.click();
      }
      return;
    }
    if (key === "u" || key === "U") {
      const undo = card.querySelector('[data-shortcut="undo"]');
      if (undo) {
        event.preventDefault();
        undo.click();
      }
    }
  });
})();
