# The API's error messages (`crates/truce-server`, `docs/api-errors.md`), in
# English: the `message` of an error answer. The English is the text the API
# wrote before it had a catalogue, byte for byte; `code` is never translated.
# A value from elsewhere (a library's own English, a file's name) is placed as
# written.

## Users and tokens (admin.rs)

api-field-name-length = the field { $field }: expected 1 to 100 characters, none a control character
api-liaison-needs-party = the field { $field }: a party's liaison must name the party (its id in the agreement)
api-not-a-party = the field { $field }: { $party } is not a party of the agreement (its parties: { $parties })
api-party-only-for-liaison = the field { $field }: only a party's liaison is bound to a party
api-password-length = the field { $field }: expected at least 12 characters
api-user-exists = a user named { $name } exists
api-user-disabled = the user { $name } is disabled
api-no-such-user = no user { $name }
api-no-token-in-force = no token { $id } in force (it does not exist or is revoked already)

## Who calls (auth.rs, session.rs)

api-needs-token = this route needs a token ({ $header }) or a session
api-role-may-not = the role { $role } may not use this route
api-token-not-issued = the token is not one this server issued
api-token-revoked = the token was revoked
api-token-user-disabled = the token's user is disabled
api-csrf-missing = a request made with a session cookie that changes anything must send the session's { $header }
api-session-ended = the session has ended; log in again
api-authorization-form = the authorization header must be { $form }
api-token-backing-off = too many wrong secrets for this token; retry later
api-too-many-logins = too many logins from this address or for this name; retry later
api-login-refused = the name or the password is wrong
api-logout-needs-cookie = logging out needs the session cookie
api-logout-needs-csrf = logging out needs the session's { $header }

## The ledger and the entitlements (ledger.rs)

api-no-checkpoint = no checkpoint signed yet ({ $command } signs one)
api-no-mission-key = the server's settings name no mission key ({ $setting }): sign with { $command }
api-not-a-mission-key = the key { $name } is not one of the mission's keys the agreement lists in { $list }; nothing was signed
api-inclusion-out-of-range = expected { $index } < { $size } ≤ { $log } (the log's size); found index { $found_index } and size { $found_size }
api-consistency-out-of-range = expected 0 < { $from } ≤ { $to } ≤ { $log } (the log's size); found from { $found_from } and to { $found_to }
api-entries-limit = expected { $parameter } from 1 to 1000; found { $limit }
# `detail`: the bundle writer's own sentence.
api-bundle-empty = { $detail }
api-no-entitlement = no entitlement { $id } you may see
api-already-released = { $entitlement } is already released
api-nothing-to-suspend = { $entitlement } is not released: there is nothing to suspend
# `reason`: the check's reason, as the ledger's writer gave it in English.
api-refused-release = { $entitlement } may not be released: { $reason }
# `reason`: the check's reason, a sentence of the catalogue.
api-may-not-be-released = { $entitlement } may not be released: { $reason }
api-reason-length = the field { $field } must say why, in 1 to 2000 characters
# `why`: the ledger's words for the entitlement's standing, in English.
api-not-handed-over = entitlement { $entitlement } { $why }: its payload is not handed over
api-no-payload = entitlement { $entitlement } has no payload
api-no-payload-file = entitlement { $entitlement } has no payload file { $file }

## Every route (lib.rs, error.rs, web.rs)

api-internal = the server failed; its log has the cause
api-store-busy = the store is busy; retry
api-timeout = the request took longer than the server's limit
api-too-many-requests = more than { $limit } requests a minute from this address; retry later
api-no-route = no route { $path }
# What axum or a layer answered as plain text (`detail`, its own English), or
# the status's name when it said nothing: each placed as written.
api-rejected-not-found = { $detail }
api-rejected-method-not-allowed = { $detail }
api-rejected-timeout = { $detail }
api-rejected-payload-too-large = { $detail }
api-rejected-unsupported-media-type = { $detail }
api-rejected-invalid-body = { $detail }
api-rejected-bad-request = { $detail }
api-rejected-internal = { $detail }

## Monitors' reports (reports.rs, reports_wire.rs)

api-idempotency-key-missing = the header { $header } is missing: expected a key unique to this report (a UUID, say), the same on every retry
api-idempotency-key-form = the header { $header } must be 1 to 200 visible ASCII characters
api-report-as-json = a report is sent as JSON: { $header }
# `detail`: the JSON reader's own English.
api-report-not-json = the report is not valid: { $detail }
api-idempotency-key-reused = this idempotency key was used before for another report; use a new key for a new report
api-limit-thousand = the parameter { $parameter } is { $limit }: expected 1 to 1000
api-no-unpublished-submission = no unpublished submission { $submission } (it does not exist or is published already)
api-submission-rejected = submission { $submission } was rejected: it is no longer evidence and cannot be published
api-submission-gone = submission { $submission } was rejected or withdrawn already
# A field of a report, and what was expected there (an `api-expected-…` sentence).
api-report-field = the field { $field }: expected { $expected }
api-expected-date = a date that exists ({ $form }), found { $found }
api-expected-after-date = a day on or after { $date }
api-expected-lat-lon-range = a latitude between -90 and 90 and a longitude between -180 and 180
api-expected-lat-lon-both = both a latitude and a longitude, or neither
api-expected-one-of = one of { $values }
api-expected-point-or-place = a point or a place name (or { $field } = { $unknown })
api-expected-kind = a kind of truce's hierarchy
api-expected-kind-hint = a kind of truce's hierarchy (did you mean { $closest }?)
api-expected-name = a name
api-expected-role = { $initiator }, { $target } or { $unknown }
api-expected-casualties = { $low } ≤ { $best } ≤ { $high }
api-expected-at-most = at most { $high }
api-expected-sha256 = a { $hash } in lowercase hex (64 characters)
api-expected-url = an { $http } or { $https } address

## The agreement, the check and the map (routes.rs)

api-parameter-one-of = the parameter { $parameter } is { $value }: expected one of { $allowed }
api-parameter-date = the parameter { $parameter } is { $value }: expected a date ({ $form })
api-bad-cursor = the cursor is not one this server gave out
api-no-incident = no incident { $id }
api-limit-million = the parameter { $parameter } is { $limit }: expected 1 to 1000000

## Uploads (uploads.rs)

api-agreement-not-utf8 = the agreement is not { $encoding } text (invalid byte at offset { $offset })
api-agreement-has-errors = the agreement has { $errors } error(s); nothing was changed
api-agreement-other-id = the agreement's id is { $uploaded }, but this server verifies { $current }: a new version keeps the id
api-upload-too-large = the file is larger than the server's limit for uploads ({ $limit } bytes); import it with { $command }
# `detail`: the HTTP library's own English.
api-upload-cut-off = the upload was cut off: { $detail }
api-upload-name = the parameter { $parameter }: expected the file's name (1 to 300 characters)
# `detail`: the importer's own English.
api-unknown-format = the parameter { $parameter } is { $value }: { $detail }
# `detail`: the importer's own English, with its causes.
api-evidence-unreadable = { $detail }
