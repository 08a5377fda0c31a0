// The cards page's "Choose every card on this page" box: ticks or clears each card's box, and
// shows itself ticked, clear or mixed as they are. It needs this script, so it is hidden until
// the script shows it; without it, each card's box works alone.
(() => {
  const setUp = () => {
    const holder = document.querySelector("[data-pick-page]");
    if (!holder || holder.dataset.ready) return;
    holder.dataset.ready = "1";
    holder.hidden = false;
    const all = holder.querySelector("input");
    const form = holder.closest("form");
    const boxes = () => [...form.querySelectorAll("[data-pick]")];
    const reflect = () => {
      const picked = boxes().filter((box) => box.checked).length;
      all.checked = picked > 0 && picked === boxes().length;
      all.indeterminate = picked > 0 && !all.checked;
    };
    all.addEventListener("change", () => {
      for (const box of boxes()) box.checked = all.checked;
    });
    form.addEventListener("change", (event) => {
      if (event.target.matches("[data-pick]")) reflect();
    });
    reflect();
  };

  document.addEventListener("DOMContentLoaded", setUp);
  document.addEventListener("htmx:afterSwap", setUp);
})();

// A search refused under htmx: its message comes with the results, not the form, so the search
// box is marked invalid and described by it here, as the page without JavaScript marks it.
(() => {
  const mark = () => {
    const field = document.getElementById("id_q");
    if (!field) return;
    const error = document.getElementById("card-search-error");
    const own = (field.getAttribute("aria-describedby") || "")
      .split(" ").filter((id) => id && id !== "card-search-error");
    if (error) {
      field.setAttribute("aria-invalid", "true");
      own.push("card-search-error");
    } else if (!document.getElementById("id_q_error")) {
      field.removeAttribute("aria-invalid");
    }
    if (own.length) field.setAttribute("aria-describedby", own.join(" "));
    else field.removeAttribute("aria-describedby");
  };
  document.addEventListener("htmx:afterSettle", mark);
})();
