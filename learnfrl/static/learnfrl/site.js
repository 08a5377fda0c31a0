// Site-wide behaviour kept out of the templates so a strict Content-Security-Policy can hold.
document.addEventListener("htmx:afterSwap", (event) => {
  // Move focus to the first heading or control of swapped-in content for keyboard and screen-reader users.
  const target = event.detail.target;
  const focusable = target.querySelector("[data-autofocus]");
  if (focusable) focusable.focus();
});
