// Small progressive enhancements; every page works without them.
document.addEventListener("DOMContentLoaded", () => {
  document.documentElement.classList.add("js");
  // Buttons with data-confirm ask before their form is sent (removing a member, deactivating).
  document.querySelectorAll("[data-confirm]").forEach((button) => {
    button.addEventListener("click", (event) => {
      if (!window.confirm(button.dataset.confirm)) event.preventDefault();
    });
  });
  // A select marked data-autosubmit sends its form on change (the site switcher).
  document.querySelectorAll("select[data-autosubmit]").forEach((select) => {
    select.addEventListener("change", () => select.form.submit());
  });
  // A read-only field marked data-select-on-focus selects its text for copying (the partner's link).
  document.querySelectorAll("input[data-select-on-focus]").forEach((input) => {
    input.addEventListener("focus", () => input.select());
  });
});
