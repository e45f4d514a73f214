// Keeps what a worker types safe until the form is saved: a moment after they stop typing,
// the form is saved to the server as a draft (never to the browser: a shared computer must
// not hold a child's details). Coming back to the page puts the draft back; saving the form
// removes it (the server does that when the form is accepted).
//
// Every form that posts in the page's main content takes part, except those marked
// data-no-draft and any with a password field.

// How long after the last keystroke the draft is saved: the layout says (a setting).
const DELAY_MS = Number(document.body.dataset.draftDelayMs) || 1500

const token = (form) => form.querySelector('input[name="csrfmiddlewaretoken"]')?.value

const post = (url, form, extra) => {
  const body = extra ?? new FormData()
  body.set('_draft_key', window.location.pathname)
  const csrf = token(form)
  return fetch(url, {
    method: 'POST',
    body,
    credentials: 'same-origin',
    headers: csrf ? { 'X-CSRFToken': csrf } : {}
  })
}

// The form's own child that holds node (node itself if it is one), or null.
const childHolding = (form, node) => {
  let child = node
  while (child && child.parentNode !== form) child = child.parentNode
  return child ?? null
}

const statusFor = (form) => {
  let status = form.querySelector('[data-draft-status]')
  if (!status) {
    status = document.createElement('p')
    status.className = 'govuk-body-s sg-draft-status'
    status.setAttribute('data-draft-status', '')
    status.setAttribute('aria-live', 'polite')
    // Just above the row holding the submit button. The button is often not a child of the
    // form itself (a GOV.UK button group, a fieldset), so the status goes before the form's
    // own child that holds it, or last in the form if there is no button.
    const button = form.querySelector('button[type="submit"], input[type="submit"]')
    form.insertBefore(status, childHolding(form, button))
  }
  return status
}

const fill = (form, data) => {
  for (const [name, values] of Object.entries(data)) {
    const field = form.elements.namedItem(name)
    if (!field) continue
    const elements = field instanceof RadioNodeList ? Array.from(field) : [field]
    for (const element of elements) {
      if (element.type === 'checkbox' || element.type === 'radio') {
        element.checked = values.includes(element.value)
      } else if (element.tagName === 'SELECT' && element.multiple) {
        for (const option of element.options) option.selected = values.includes(option.value)
      } else if (element.type !== 'hidden' && element.type !== 'file') {
        element.value = values[0] ?? ''
        // Lets the field's own script catch up (the character count); the event does not
        // bubble, so it is not taken for new typing.
        element.dispatchEvent(new Event('input'))
      }
    }
  }
}

const restore = async (form, status) => {
  // A form shown again with errors holds what was just submitted, and a form the server
  // has already filled from the draft needs nothing more.
  if (document.querySelector('.govuk-error-summary') || status.hasAttribute('data-draft-restored')) return
  const response = await fetch(`/drafts/load/?key=${encodeURIComponent(window.location.pathname)}`, {
    credentials: 'same-origin'
  })
  if (!response.ok) return
  const draft = await response.json()
  if (!draft.found) return
  fill(form, draft.data)
  status.textContent = `Restored your draft from ${draft.at}. `
  const discard = document.createElement('button')
  discard.type = 'button'
  discard.className = 'govuk-button govuk-button--secondary govuk-!-margin-bottom-0'
  discard.textContent = 'Discard draft'
  discard.addEventListener('click', async () => {
    await post('/drafts/discard/', form)
    window.location.reload()
  })
  status.append(discard)
}

const forms = Array.from(document.querySelectorAll('main form')).filter((form) =>
  form.method.toLowerCase() === 'post' &&
  !form.hasAttribute('data-no-draft') &&
  !form.querySelector('input[type="password"]')
)

for (const form of forms) {
  const status = statusFor(form)
  let timer = null
  const say = (text) => { status.textContent = text }

  const save = async () => {
    try {
      const response = await post('/drafts/save/', form, new FormData(form))
      if (response.ok) {
        const result = await response.json()
        say(`Draft saved at ${result.at}`)
      } else if (response.status === 401 || response.status === 403) {
        say('Your draft could not be saved: you may have been signed out. Sign in again in a new tab, then keep typing here.')
      } else {
        say('Your draft could not be saved. Keep this page open and try saving the form.')
      }
    } catch {
      say('No connection: your draft is not saved yet. Keep this page open; it will try again as you type.')
    }
  }

  form.addEventListener('input', () => {
    clearTimeout(timer)
    timer = setTimeout(save, DELAY_MS)
  })
  restore(form, status)
}
