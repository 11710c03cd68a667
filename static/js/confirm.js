// Plain (non-HTMX) forms that destroy something ask first: <form data-confirm="Delete ...?">.
document.addEventListener("submit", (event) => {
  const message = event.target.dataset && event.target.dataset.confirm;
  if (message && !window.confirm(message)) event.preventDefault();
});
