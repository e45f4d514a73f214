// Builds safeguard/static/govuk/: the compiled stylesheet and GOV.UK Frontend's JavaScript.
//
// Run with `npm run build`. The output directory is generated (and gitignored), so it is
// emptied first; nothing else from node_modules is copied: Safeguard uses no GOV.UK
// images, fonts or manifest, which belong to GOV.UK.

import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

import * as sass from 'sass'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const govuk = join(root, 'node_modules', 'govuk-frontend', 'dist', 'govuk')
const out = join(root, 'safeguard', 'static', 'govuk')

rmSync(out, { recursive: true, force: true })
mkdirSync(out, { recursive: true })

const { css } = sass.compile(join(root, 'frontend', 'application.scss'), {
  style: 'compressed',
  loadPaths: [join(root, 'node_modules')],
  // Deprecation notices inside govuk-frontend are its maintainers' to fix.
  quietDeps: true
})

// The typeface and crest are reserved for GOV.UK: fail the build rather than ship them.
const forbidden = ['GDS Transport', '@font-face', 'govuk-crest', '/fonts/']
const found = forbidden.filter((text) => css.includes(text))
if (found.length) {
  console.error(`application.css must not contain: ${found.join(', ')}`)
  process.exit(1)
}
writeFileSync(join(out, 'application.css'), css + '\n')

// The source map travels with the script: Django's manifest storage follows its
// sourceMappingURL comment and fails collectstatic if the map is missing.
for (const name of ['govuk-frontend.min.js', 'govuk-frontend.min.js.map']) {
  copyFileSync(join(govuk, name), join(out, name))
}

const version = JSON.parse(readFileSync(join(root, 'node_modules', 'govuk-frontend', 'package.json'))).version
console.log(`Built safeguard/static/govuk/ with govuk-frontend ${version} (${css.length} bytes of CSS)`)
