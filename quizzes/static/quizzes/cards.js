// The cards page's "choose every card on this page" box: ticks or clears each card's box, and
// shows itself ticked, clear or mixed as they are. Without it, each card's box works alone.
(() => {
  const boxes = (all) => [...all.closest("table").querySelectorAll("[data-pick]")];

  const reflect = (all) => {
    const picked = boxes(all).filter((box) => box.checked).length;
    all.checked = picked > 0 && picked === boxes(all).length;
    all.indeterminate = picked > 0 && !all.checked;
  };

  const setUp = () => {
    const all = document.querySelector("[data-pick-page]");
    if (!all || all.dataset.ready) return;
    all.dataset.ready = "1";
    all.hidden = false;
    all.addEventListener("change", () => {
      for (const box of boxes(all)) box.checked = all.checked;
    });
    all.closest("table").addEventListener("change", (event) => {
      if (event.target.matches("[data-pick]")) reflect(all);
    });
    reflect(all);
  };

  document.addEventListener("DOMContentLoaded", setUp);
  document.addEventListener("htmx:afterSwap", setUp);
})();
