import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { it } from 'node:test'
import { VERSION } from '../../src/version.js'

it('the version the program reports is the one package.json declares', () => {
  assert.equal(VERSION, JSON.parse(readFileSync('package.json', 'utf8')).version)
})
