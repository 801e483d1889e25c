# What the server says in place of a reason the caller may not read in full
# (the mission's disclosure policy), in English.

-withheld = withheld under the mission's disclosure policy

disclosed-withheld = { -withheld }
disclosed-place-withheld = the place: { -withheld }
disclosed-site-withheld = near a protected site: its name and the distance are { -withheld }
disclosed-evidence-withheld = the reports it rests on: { -withheld }
disclosed-a-protected-site = a protected site
disclosed-actor = the reports name actor `{ $actor }`{ $party }{ $doubt }
disclosed-actor-party = {" → "}party `{ $party }`
disclosed-actor-no-party = {""}
disclosed-actor-sure = {""}
disclosed-actor-doubt = ; the name, or the actor's party, may not hold on every day of the event
disclosed-initiator-certain = the reports say this side carried out the act
disclosed-initiator-possible = the reports do not say for certain which side carried out the act
disclosed-target-certain = the act was against a target the clause protects
disclosed-target-possible = the act may have been against a target the clause protects
disclosed-kind-certain = the event is of a kind the clause covers
disclosed-kind-possible = the event may be of a kind the clause covers

# Why a ledger entry is withheld from its reader (the disclosure policy's words)
disclosed-record-accounts = the mission's accounts are for its staff
disclosed-record-monitor = a monitor's report: withheld to protect the monitor
disclosed-record-other-party = an entitlement of another party
disclosed-record-not-public = the disclosure policy withholds it from the public
disclosed-record-unknown = a record type this truce does not know is for the staff only
disclosed-record-as-written = { $why }
