// Follows a statutory return's job on its page without reloading it (no meta refresh:
// WCAG 2.2.1). Every 2 seconds it asks the job's status endpoint (the same job, to the same
// person, as the page: returns:job-status) and writes the progress into the page's polite
// live region, so that a screen reader hears each change without losing its place. When the
// job is finished it says so there and puts the page's finished part in place (the download
// button, or what the DfE rules found), rendered by the server from the page's own template.
// Without JavaScript the page offers a "Refresh this page to see progress" link instead.

const INTERVAL_MS = 2000

const box = document.querySelector('[data-job-progress]')

const FINISHED = {
  done: 'The file is ready: download it below.',
  refused: 'The export was refused: what to fix is listed below.',
  failed: 'The job failed: see below.'
}

const show = (state) => {
  const bar = document.getElementById('job-progress')
  bar.max = state.total || 1
  bar.value = state.done
  bar.textContent = `${state.percent}%`
  document.getElementById('job-status').innerHTML = state.status_html
  const live = document.getElementById('job-progress-text')
  if (!state.finished) {
    if (live.textContent !== state.progress_text) live.textContent = state.progress_text
    return
  }
  box.querySelector('[data-progress-bar]').remove()
  box.querySelector('[data-refresh-link]').remove()
  document.getElementById('job-result').innerHTML = state.result_html
  live.textContent = `${state.status_label}. ${FINISHED[state.status] ?? ''}`.trim()
}

const poll = async () => {
  let state
  try {
    const response = await fetch(box.dataset.statusUrl, {
      credentials: 'same-origin',
      headers: { Accept: 'application/json' }
    })
    if (!response.ok) throw new Error(String(response.status))
    state = await response.json()
  } catch {
    // Signed out, or the server unreachable: the refresh link is the way on.
    box.querySelector('[data-refresh-link]').hidden = false
    return
  }
  show(state)
  if (!state.finished) window.setTimeout(poll, INTERVAL_MS)
}

if (box) {
  box.querySelector('[data-refresh-link]').hidden = true
  window.setTimeout(poll, INTERVAL_MS)
}
