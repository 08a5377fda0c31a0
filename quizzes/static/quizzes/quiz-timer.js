// The quiz clock: counts down from the time the server says is left and, at zero, asks the server
// to finish the quiz. The server decides; this only shows its deadline and saves a click.
// Screen readers hear, politely, when one minute and when ten seconds are left.
(() => {
  const ANNOUNCEMENTS = [
    [60, "One minute left."],
    [10, "Ten seconds left."],
  ];
  let endAt = null;
  let finishing = false;
  let announced = new Set();

  const sync = () => {
    const timer = document.getElementById("timer");
    if (!timer) return;
    const remaining = parseFloat(timer.dataset.remaining);
    endAt = performance.now() + remaining * 1000;
    // A reload or a new question re-reads the server's time: say only what is still ahead.
    announced = new Set(ANNOUNCEMENTS.filter(([at]) => remaining <= at).map(([at]) => at));
  };

  // The finish form asks the server to ask first (a page of its own, for a browser without
  // JavaScript); here the dialog has asked, or the clock has run out: finish at once.
  const asked = (form) => {
    const ask = form.elements.namedItem("ask");
    if (ask) ask.value = "";
  };

  const announce = (left) => {
    const region = document.getElementById("timer-announcement");
    if (!region) return;
    for (const [at, text] of ANNOUNCEMENTS) {
      if (left <= at && !announced.has(at)) {
        announced.add(at);
        region.textContent = text;
      }
    }
  };

  const tick = () => {
    const timer = document.getElementById("timer");
    if (!timer || endAt === null) return;
    const left = Math.max(0, Math.ceil((endAt - performance.now()) / 1000));
    const minutes = Math.floor(left / 60);
    const seconds = String(left % 60).padStart(2, "0");
    // Always minutes and seconds, as the server writes it: "2:13", "0:09".
    timer.querySelector(".time-left").textContent = `${minutes}:${seconds}`;
    timer.classList.toggle("low", left <= 10);
    announce(left);
    if (left === 0 && !finishing) {
      finishing = true;
      const form = document.getElementById("finish-form");
      if (form) {
        asked(form);
        form.submit();
      }
    }
  };

  document.addEventListener("DOMContentLoaded", () => {
    sync();
    tick();
    setInterval(tick, 250);
  });
  document.addEventListener("htmx:afterSwap", sync);

  // "Finish now" ended the quiz for good at one tap, next to "Submit answer" on a phone (an
  // outside audit): while questions are left it asks first. The clock's own finish at zero
  // (form.submit(), above) fires no submit event, so it never asks.
  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || form.id !== "finish-form") return;
    const progress = document.getElementById("quiz-progress");
    const left = progress ? Math.round(progress.max - progress.value) : 0;
    if (left > 0) {
      const words = left === 1 ? "1 question is" : `${left} questions are`;
      if (!window.confirm(`Finish the quiz now? ${words} not answered yet.`)) {
        event.preventDefault();
        return;
      }
    }
    asked(form);
  });
})();
