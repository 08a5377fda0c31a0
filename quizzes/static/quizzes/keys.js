// The one keyboard handler of the study card and the quiz question (the element with data-keys):
// 1–9 pick a choice (or, on the back of a card, a rating), Space/Enter show a card's answer
// (Space on a focused button or an unpicked choice works that control instead), Enter on a quiz
// question submits its answer (with none given, the page says why), - buries and @ suspends the
// card on its back (as in Anki), R says "I was right" about a typed answer marked wrong, U or
// Ctrl+Z (⌘Z) undoes the last action. Plain forms work without it.
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

  // Ctrl+Z (⌘Z) undoes the last action, as in Anki, also from the answer box the next card
  // focuses (where U is a letter), as long as nothing has been typed in it: once something has
  // (even if deleted since), and in any other text field, it is the browser's own undo.
  const undoChord = (event) =>
    (event.ctrlKey || event.metaKey) && !event.altKey && !event.shiftKey &&
    (event.key === "z" || event.key === "Z");
  const typedIn = new WeakSet();
  document.addEventListener("input", (event) => typedIn.add(event.target));

  // A quiz answer the form refuses (no choice picked, nothing typed) is said in words, in the
  // question's alert, in place of the browser's bubble (which a screen reader may not read), and
  // the focus goes to the first choice or stays in the box. Emptied first, so a second Enter
  // says it again. The event comes once for each choice of the group: said once.
  let refusing = 0;
  document.addEventListener("invalid", (event) => {
    const form = event.target.form;
    const said = form?.querySelector("[data-answer-error]");
    if (!said) return;
    event.preventDefault();
    if (refusing) return;
    said.textContent = "";
    form.querySelector("input:invalid")?.focus();
    refusing = setTimeout(() => {
      said.textContent = said.dataset.message;
      refusing = 0;
    }, 50);
  }, true);
  // Once a choice is picked or something typed, the message has done its work.
  const answered = (control) => {
    const said = control.form?.querySelector("[data-answer-error]");
    if (said) said.textContent = "";
  };
  document.addEventListener("input", (event) => answered(event.target));

  document.addEventListener("keydown", (event) => {
    if (undoChord(event)) {
      if (event.isComposing) return;
      const area = document.querySelector("[data-keys]");
      const undo = area?.querySelector('[data-shortcut="undo"]');
      const active = document.activeElement;
      const freshAnswerBox =
        active?.name === "response" && area.contains(active) && !typedIn.has(active);
      if (!undo || (typing(active) && !freshAnswerBox)) return;
      event.preventDefault();
      if (!event.repeat) undo.click();
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
        answered(target);
      } else {
        press(event, target);
      }
      return;
    }
    // On a quiz question, from a choice or from the question itself (where focus lands), also
    // with none picked: the button says Enter submits, and the form then says why it did not
    // (the "invalid" handler above). A focused button or link keeps its own Enter.
    const answer = area.querySelector("[data-answer-error]")?.closest("form");
    const inQuestion = !active || active === document.body || area.contains(active);
    const ownEnter = ["BUTTON", "A", "SUMMARY"].includes(active?.tagName);
    if (key === "Enter" && answer && inQuestion && !ownEnter) {
      event.preventDefault();
      answer.requestSubmit();
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
