// Keeps what a customer types in a long form (the enquiry form) in this tab's session storage,
// so that a dropped connection or a closed page does not lose it. The draft is put back into
// empty fields when the form is shown again, and removed once the enquiry page confirms it
// arrived (an element with data-clear-draft).

const PREFIX = "enquiries-draft-";
const KEPT = "input[type=text], textarea, select, input[type=radio]";

document.querySelectorAll("[data-clear-draft]").forEach((element) => {
  window.sessionStorage.removeItem(PREFIX + element.dataset.clearDraft);
});

document.querySelectorAll("form[data-keep-draft]").forEach((form) => {
  const key = PREFIX + form.dataset.keepDraft;
  let draft = {};
  try { draft = JSON.parse(window.sessionStorage.getItem(key) || "{}"); } catch (error) { draft = {}; }

  // A page showing errors holds what was just sent: keep its choices, fill only empty fields.
  const redisplayed = document.querySelector(".govuk-error-summary") !== null;
  form.querySelectorAll(KEPT).forEach((field) => {
    if (!(field.name in draft)) return;
    if (field.type === "radio") {
      if (!redisplayed) field.checked = field.value === draft[field.name];
    } else if (!field.value) {
      field.value = draft[field.name];
    }
  });

  form.addEventListener("input", (event) => {
    const field = event.target;
    if (!field.matches(KEPT) || !field.name) return;
    if (field.type === "radio" && !field.checked) return;
    draft[field.name] = field.value;
    window.sessionStorage.setItem(key, JSON.stringify(draft));
  });
});
