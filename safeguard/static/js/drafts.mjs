// Saves what the worker types on a form marked data-draft, a moment after they stop typing,
// so that a timeout or a lost connection never loses their text. The server keeps the draft
// (never the browser: a shared computer must not hold a child's details), restores it when
// the worker comes back to the form, and removes it when the form is saved.

const DELAY_MS = 1500

for (const form of document.querySelectorAll('form[data-draft]')) {
  const status = form.querySelector('[data-draft-status]')
  const token = form.querySelector('input[name="csrfmiddlewaretoken"]')
  let timer = null

  const say = (text) => { if (status) status.textContent = text }

  const save = async () => {
    const body = new FormData(form)
    body.set('_draft_key', window.location.pathname)
    try {
      const response = await fetch('/drafts/save/', {
        method: 'POST',
        body,
        credentials: 'same-origin',
        headers: token ? { 'X-CSRFToken': token.value } : {}
      })
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
}
