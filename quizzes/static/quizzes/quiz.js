// The quiz clock: counts down from the time the server says is left and, at zero, asks the server
// to finish the quiz. The server decides; this only shows its deadline and saves a click.
(() => {
  let endAt = null;
  let finishing = false;

  const sync = () => {
    const timer = document.getElementById("timer");
    if (!timer) return;
    endAt = performance.now() + parseFloat(timer.dataset.remaining) * 1000;
  };

  const tick = () => {
    const timer = document.getElementById("timer");
    if (!timer || endAt === null) return;
    const left = Math.max(0, Math.ceil((endAt - performance.now()) / 1000));
    const minutes = Math.floor(left / 60);
    const seconds = String(left % 60).padStart(2, "0");
    timer.querySelector(".time-left").textContent = minutes ? `${minutes}:${seconds}` : `${left} s`;
    timer.classList.toggle("low", left <= 10);
    if (left === 0 && !finishing) {
      finishing = true;
      document.getElementById("finish-form")?.submit();
    }
  };

  document.addEventListener("DOMContentLoaded", () => {
    sync();
    tick();
    setInterval(tick, 250);
  });
  document.addEventListener("htmx:afterSwap", sync);

  // 1–9 pick a choice; Enter on a picked choice submits.
  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const active = document.activeElement;
    if (active && active.tagName === "INPUT" && active.type === "text") return;
    const question = document.getElementById("question");
    if (!question) return;
    if (/^[1-9]$/.test(event.key)) {
      const radio = question.querySelector(`[data-key="${event.key}"]`);
      if (radio) {
        event.preventDefault();
        radio.checked = true;
        radio.focus();
      }
    } else if (event.key === "Enter" && active && active.type === "radio") {
      event.preventDefault();
      active.form.requestSubmit();
    }
  });
})();
