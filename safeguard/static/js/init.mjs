// Starts GOV.UK Frontend's components. Kept in its own file, not inline, so that a
// Content-Security-Policy without 'unsafe-inline' allows it.
//
// The library is imported from the URL of its own <script data-govuk-frontend> tag so
// that the browser loads it once, under the (hashed) URL the server chose.

document.body.classList.add('js-enabled', 'govuk-frontend-supported')

const library = document.querySelector('script[data-govuk-frontend]')
if (library) {
  const { initAll } = await import(library.src)
  initAll()
}

// A conditional reveal marked data-clear-when-hidden (the indicators under each level of
// need) sends nothing once it is hidden: when another radio of its group is chosen, the
// boxes ticked in the hidden part are cleared, so that what is sent is what is seen.
document.addEventListener('change', (event) => {
  const radio = event.target
  if (!(radio instanceof HTMLInputElement) || radio.type !== 'radio' || !radio.form) return
  for (const other of radio.form.querySelectorAll('input[type="radio"]')) {
    if (other.name !== radio.name || other.checked) continue
    const id = other.getAttribute('aria-controls') || other.dataset.ariaControls
    const part = id && document.getElementById(id)
    if (!part || !part.hasAttribute('data-clear-when-hidden')) continue
    for (const box of part.querySelectorAll('input[type="checkbox"]:checked')) box.checked = false
  }
})
