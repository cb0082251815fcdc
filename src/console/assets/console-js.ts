// The console's one script, served as /assets/console.js (the CSP allows only 'self' scripts): progressive
// enhancement only, every page works without it.

/** The script's text: a "select all" checkbox ticks every checkbox of its form named by its data-select. */
export const CONSOLE_JS = `
document.addEventListener('change', function (event) {
  var box = event.target;
  if (!box || !box.classList || !box.classList.contains('select-all')) return;
  var form = box.closest('form');
  if (!form) return;
  form.querySelectorAll('input[type="checkbox"][name="' + box.dataset.select + '"]').forEach(function (item) { item.checked = box.checked; });
});
`;
