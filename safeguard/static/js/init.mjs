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
